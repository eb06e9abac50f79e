import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { recordAudit, type AuditAction } from '../audit/index.ts';
import { generatePassword } from './passwords.ts';
import { findUserById, listUsers, updateUser, type User } from './users.ts';
import { addUser, resetUserPassword } from './user-changes.ts';
import { isStaffRole } from './roles.ts';

/** Who acts, for the audit log. */
export interface StaffActor {
  id: string;
  email: string;
  ip: string;
}

const actorOf = (by: StaffActor) => ({ id: by.id, label: by.email, ip: by.ip });
const audit = (db: Db, clock: Clock, by: StaffActor, action: AuditAction, target: string) =>
  recordAudit(db, clock, { actor: actorOf(by), action, targetType: 'user', targetId: target, ip: by.ip });

export async function listStaff(db: Db): Promise<User[]> {
  return (await listUsers(db, null)).filter((u) => isStaffRole(u.role));
}

export async function getStaff(db: Db, userId: string): Promise<User> {
  const u = await findUserById(db, userId);
  if (!u || !isStaffRole(u.role) || u.clientId) throw notFound('No such staff user');
  return u;
}

/** Creates an operator staff user with a one-time password (returned to be shown once). */
export async function addStaff(db: Db, clock: Clock, by: StaffActor, input: { email: string; name?: string; role: string }): Promise<{ user: User; password: string }> {
  const role = input.role;
  if (!isStaffRole(role)) throw badRequest('Choose admin or support', 'role', 'invalid_role');
  const password = generatePassword();
  const user = await addUser(db, clock, { email: input.email, name: input.name, role, password, mustChangePassword: true }, actorOf(by));
  return { user, password };
}

/** Disables (ending every session) or re-enables a staff user; nobody disables themselves. */
export async function setStaffDisabled(db: Db, clock: Clock, by: StaffActor, userId: string, disabled: boolean): Promise<User> {
  const target = await getStaff(db, userId);
  if (target.id === by.id) throw badRequest('You cannot disable yourself', 'user', 'cannot_disable_self');
  return db.transaction().execute(async (trx) => {
    const u = await updateUser(trx, clock, target.id, { disabled });
    await audit(trx, clock, by, disabled ? 'user.disabled' : 'user.enabled', u.id);
    return u;
  });
}

export async function resetStaffPassword(db: Db, clock: Clock, by: StaffActor, userId: string): Promise<string> {
  const target = await getStaff(db, userId);
  if (target.id === by.id) throw badRequest('Change your own password on your account page', 'user', 'cannot_reset_self');
  return (await resetUserPassword(db, clock, target, {}, actorOf(by))).password;
}
