import type { Db } from '../db/index.ts';
import type { UsersTable } from '../db/index.ts';
import type { Selectable } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, conflict, notFound } from '../lib/errors.ts';
import { hashPassword, checkPasswordStrength } from './passwords.ts';
import { isMemberRole, isStaffRole, isLanguage, type Role, type Language } from './roles.ts';

export interface User {
  id: string;
  clientId: string | null;
  email: string;
  name: string;
  role: Role;
  mustChangePassword: boolean;
  language: Language;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: string;
}

export function toUser(r: Selectable<UsersTable>): User {
  return {
    id: r.id, clientId: r.client_id, email: r.email, name: r.name, role: r.role as Role,
    mustChangePassword: !!r.must_change_password, language: (isLanguage(r.language) ? r.language : 'ru'),
    totpEnabled: !!r.totp_enabled, disabled: !!r.disabled, createdAt: r.created_at,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The one e-mail shape check (surrounding spaces ignored): something@domain.tld, at most 254 characters. */
export function isValidEmail(email: string): boolean {
  const e = email.trim();
  return e.length <= 254 && EMAIL.test(e);
}

/** The e-mail trimmed and lower-cased, or a field error (code invalid_email) when it is not one. */
export function normaliseEmail(email: string, field = 'email'): string {
  const e = email.trim().toLowerCase();
  if (!isValidEmail(e)) throw badRequest('Enter a valid e-mail address', field, 'invalid_email');
  return e;
}

export interface NewUser {
  email: string;
  name?: string;
  role: Role;
  clientId?: string | null;
  password?: string;
  mustChangePassword?: boolean;
  language?: Language;
}

/** Creates a user; staff have no client, members must have one. */
export async function createUser(db: Db, clock: Clock, input: NewUser): Promise<User> {
  const email = normaliseEmail(input.email);
  if (isStaffRole(input.role) && input.clientId) throw badRequest('Staff users belong to no client', 'role');
  if (isMemberRole(input.role) && !input.clientId) throw badRequest('A client member needs a client', 'client');
  if (!isStaffRole(input.role) && !isMemberRole(input.role)) throw badRequest(`Unknown role "${input.role}"`, 'role', 'invalid_role');
  if (input.password !== undefined) checkPasswordStrength(input.password);
  const exists = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (exists) throw conflict('A user with this e-mail already exists', 'email_taken');
  const now = clock.now().toISOString();
  const row = {
    id: newId(), client_id: input.clientId ?? null, email, name: input.name?.trim() ?? '', role: input.role,
    password_hash: input.password ? await hashPassword(input.password) : null,
    must_change_password: input.mustChangePassword ? 1 : 0, language: input.language ?? 'ru',
    totp_secret: null, totp_enabled: 0, totp_last_step: null, disabled: 0, created_at: now, updated_at: now, first_steps_dismissed_at: null,
  };
  await db.insertInto('users').values(row).execute();
  return toUser(row);
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toUser(r);
}

export async function findUserByEmail(db: Db, email: string): Promise<(User & { passwordHash: string | null; totpSecret: string | null }) | undefined> {
  const r = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return r && { ...toUser(r), passwordHash: r.password_hash, totpSecret: r.totp_secret };
}

export async function getUser(db: Db, id: string): Promise<User> {
  const u = await findUserById(db, id);
  if (!u) throw notFound('No such user');
  return u;
}

export async function listUsers(db: Db, clientId: string | null): Promise<User[]> {
  const q = db.selectFrom('users').selectAll().orderBy('email');
  const rows = clientId === null ? await q.where('client_id', 'is', null).execute() : await q.where('client_id', '=', clientId).execute();
  return rows.map(toUser);
}

/** Sets a new password (checked for strength) and ends the must-change state. */
export async function setPassword(db: Db, clock: Clock, userId: string, password: string, mustChange = false): Promise<void> {
  checkPasswordStrength(password);
  await db.updateTable('users').set({ password_hash: await hashPassword(password), must_change_password: mustChange ? 1 : 0, updated_at: clock.now().toISOString() }).where('id', '=', userId).execute();
}

export interface UserPatch {
  name?: string;
  email?: string;
  role?: Role;
  language?: Language;
  disabled?: boolean;
}

export async function updateUser(db: Db, clock: Clock, userId: string, patch: UserPatch): Promise<User> {
  const current = await getUser(db, userId);
  const set: Partial<Record<string, string | number>> = { updated_at: clock.now().toISOString() };
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.email !== undefined) {
    const email = normaliseEmail(patch.email);
    const other = await db.selectFrom('users').select('id').where('email', '=', email).where('id', '!=', userId).executeTakeFirst();
    if (other) throw conflict('A user with this e-mail already exists', 'email_taken');
    set.email = email;
  }
  if (patch.role !== undefined) {
    if (isStaffRole(patch.role) !== isStaffRole(current.role)) throw badRequest('A staff user cannot become a client member or the reverse', 'role');
    set.role = patch.role;
  }
  if (patch.language !== undefined) set.language = patch.language;
  if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
  await db.updateTable('users').set(set).where('id', '=', userId).execute();
  if (patch.disabled) await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  return getUser(db, userId);
}

/**
 * A member's erasure (the privacy room's command runs this in its transaction): deletes the user
 * (their sessions and password resets go with it; conversations and messages keep no link), their
 * sign-in throttle rows (keyed by e-mail) and the e-mail as the label of the API keys they made.
 * Returns whether the user existed.
 */
export async function eraseUserRows(trx: Db, userId: string, pseudonym: string): Promise<boolean> {
  const user = await trx.selectFrom('users').select(['email']).where('id', '=', userId).executeTakeFirst();
  if (!user) return false;
  const email = user.email.trim().toLowerCase().slice(0, 254); // as throttle.ts keys it
  await trx.deleteFrom('login_throttle').where('key', 'in', [`account:${email}`, `reset:${email}`, `totp:${userId}`]).execute();
  await trx.updateTable('api_keys').set({ created_by: pseudonym }).where('created_by', '=', user.email).execute();
  await trx.deleteFrom('users').where('id', '=', userId).execute();
  return true;
}
