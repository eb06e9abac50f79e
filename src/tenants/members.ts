import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { badRequest, forbidden, notFound } from '../lib/errors.ts';
import { recordAudit, type AuditAction } from '../audit/index.ts';
import { addUser, findUserById, generatePassword, isMemberRole, resetUserPassword, listUsers, updateUser, MEMBER_ROLES, type MemberRole, type User } from '../auth/index.ts';
import type { Principal } from './access.ts';

/** Who acts on a client's members (already past assertClientAccess), and from where. */
export interface MemberActor {
  principal: Principal;
  ip: string;
}

/** Owners and admins manage every member role; representatives manage agents only; others none. */
export function manageableMemberRoles(p: Principal): MemberRole[] {
  if (p.role === 'admin' || p.role === 'owner') return [...MEMBER_ROLES];
  if (p.role === 'representative') return ['agent'];
  return [];
}

/** Only admins and owners reset a member's password. */
export const mayResetMemberPasswords = (p: Principal) => p.role === 'admin' || p.role === 'owner';

function assertMayManage(p: Principal, role: string): void {
  if (!(manageableMemberRoles(p) as string[]).includes(role)) throw forbidden('Your role may not manage members with this role');
}

function memberRole(role: string | undefined): MemberRole {
  if (!role || !isMemberRole(role)) throw badRequest('Choose owner, representative or agent', 'role', 'invalid_role');
  return role;
}

const actorOf = (by: MemberActor) => ({ id: by.principal.id, label: by.principal.email, ip: by.ip });
const audit = (db: Db, clock: Clock, by: MemberActor, clientId: string, action: AuditAction, target: string, details: Record<string, unknown> = {}) =>
  recordAudit(db, clock, { actor: actorOf(by), action, clientId, targetType: 'user', targetId: target, ip: by.ip, details });

export const listMembers = (db: Db, clientId: string) => listUsers(db, clientId);

/** A member of this client (a user of another client is "not found"). */
export async function getMember(db: Db, clientId: string, userId: string): Promise<User> {
  const u = await findUserById(db, userId);
  if (!u || u.clientId !== clientId) throw notFound('No such member');
  return u;
}

/** Creates a member with a one-time password (returned to be shown once; must be changed at first login). */
export async function addMember(db: Db, clock: Clock, by: MemberActor, clientId: string, input: { email: string; name?: string; role?: string }): Promise<{ user: User; password: string }> {
  const role = memberRole(input.role);
  assertMayManage(by.principal, role);
  const password = generatePassword();
  const user = await addUser(db, clock, { email: input.email, name: input.name, role, clientId, password, mustChangePassword: true }, actorOf(by));
  return { user, password };
}

/** Rectification of a member: changes only the fields given; the audit names the changed fields, never their values. */
export async function editMember(db: Db, clock: Clock, by: MemberActor, clientId: string, userId: string, patch: { name?: string; email?: string; role?: string }): Promise<{ user: User; changed: string[] }> {
  const current = await getMember(db, clientId, userId);
  assertMayManage(by.principal, current.role);
  const role = patch.role === undefined ? undefined : memberRole(patch.role);
  if (role !== undefined && role !== current.role) {
    assertMayManage(by.principal, role);
    if (current.id === by.principal.id) throw forbidden('You cannot change your own role');
  }
  const changed: string[] = [];
  if (patch.name !== undefined && patch.name.trim() !== current.name) changed.push('name');
  if (patch.email !== undefined && patch.email.trim().toLowerCase() !== current.email) changed.push('email');
  if (role !== undefined && role !== current.role) changed.push('role');
  if (!changed.length) return { user: current, changed };
  const user = await db.transaction().execute(async (trx) => {
    const u = await updateUser(trx, clock, current.id, {
      name: changed.includes('name') ? patch.name : undefined,
      email: changed.includes('email') ? patch.email : undefined,
      role: changed.includes('role') ? role : undefined,
    });
    await audit(trx, clock, by, clientId, 'user.updated', u.id, { fields: changed });
    return u;
  });
  return { user, changed };
}

/** Disables a member (ending their sessions) or enables them again; nobody disables themselves. */
export async function setMemberDisabled(db: Db, clock: Clock, by: MemberActor, clientId: string, userId: string, disabled: boolean): Promise<User> {
  const current = await getMember(db, clientId, userId);
  assertMayManage(by.principal, current.role);
  if (current.id === by.principal.id) throw badRequest('You cannot disable yourself', 'user', 'cannot_disable_self');
  return db.transaction().execute(async (trx) => {
    const u = await updateUser(trx, clock, current.id, { disabled });
    await audit(trx, clock, by, clientId, disabled ? 'user.disabled' : 'user.enabled', u.id);
    return u;
  });
}

/** Gives a member a new one-time password (returned to be shown once) and ends their sessions. */
export async function resetMemberPassword(db: Db, clock: Clock, by: MemberActor, clientId: string, userId: string): Promise<string> {
  const current = await getMember(db, clientId, userId);
  if (!mayResetMemberPasswords(by.principal)) throw forbidden('Only an owner or an admin may reset passwords');
  if (current.id === by.principal.id) throw badRequest('Change your own password on your account page', 'user', 'cannot_reset_self');
  return (await resetUserPassword(db, clock, current, {}, actorOf(by))).password;
}
