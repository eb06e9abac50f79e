// otpauth: RFC 6238 time-based one-time passwords (the only file that speaks it).
import { Secret, TOTP } from 'otpauth';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { AppError, conflict, forbidden, notFound, tooMany } from '../lib/errors.ts';
import { recordAudit, type AuditActor } from '../audit/index.ts';
import { getSetting } from '../settings/index.ts';
import { isStaffRole } from './roles.ts';
import { markTotpPassed } from './sessions.ts';
import { clearThrottle, takeThrottleAttempt, totpKeys } from './throttle.ts';
import type { User } from './users.ts';

export const TOTP_CONTEXT = 'users.totp_secret';
const ISSUER = 'Habar';
const PERIOD = 30;
// One step either side: a phone clock 30 s off still works.
const WINDOW = 1;

const totpOf = (secret: string, label: string) =>
  new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD });

/** Strips the spaces people type; a code is exactly six digits. */
export function normaliseTotpCode(code: string): string | undefined {
  const c = code.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(c) ? c : undefined;
}

/** The current code for a secret (for tests and the CLI; never shown in the UI). */
export const totpCodeAt = (secret: string, at: Date) => totpOf(secret, 'x').generate({ timestamp: at.getTime() });

async function userRow(db: Db, userId: string) {
  const r = await db.selectFrom('users').select(['id', 'email', 'client_id', 'totp_secret', 'totp_enabled', 'totp_last_step']).where('id', '=', userId).executeTakeFirst();
  if (!r) throw notFound('No such user');
  return r;
}

export interface TotpEnrolment {
  /** Base32 secret, for typing into an app by hand. */
  secret: string;
  /** otpauth:// URI, for the QR code. */
  uri: string;
}

/**
 * Starts (or resumes, so a reload shows the same QR code) enrolment: a fresh secret is sealed on
 * the user and becomes active only when a code from it is confirmed.
 */
export async function beginTotpEnrolment(db: Db, vault: Vault, clock: Clock, userId: string): Promise<TotpEnrolment> {
  const r = await userRow(db, userId);
  if (r.totp_enabled) throw conflict('Two-factor authentication is already on', 'totp_already_enabled');
  let secret = r.totp_secret ? vault.open(r.totp_secret, TOTP_CONTEXT) : undefined;
  if (!secret) {
    secret = new Secret({ size: 20 }).base32;
    await db.updateTable('users').set({ totp_secret: vault.seal(secret, TOTP_CONTEXT), totp_last_step: null, updated_at: clock.now().toISOString() })
      .where('id', '=', userId).execute();
  }
  return { secret, uri: totpOf(secret, r.email).toString() };
}

/**
 * Accepts a code once: it must match the user's secret within the window and belong to a later
 * time step than the last accepted code (so an overheard code cannot be replayed).
 */
async function acceptCode(db: Db, vault: Vault, clock: Clock, userId: string, code: string): Promise<boolean> {
  const r = await userRow(db, userId);
  const token = normaliseTotpCode(code);
  if (!r.totp_secret || !token) return false;
  const at = clock.now().getTime();
  const delta = totpOf(vault.open(r.totp_secret, TOTP_CONTEXT), r.email).validate({ token, timestamp: at, window: WINDOW });
  if (delta === null) return false;
  const step = TOTP.counter({ period: PERIOD, timestamp: at }) + delta;
  // Conditional update: of two requests racing with the same code, only one wins.
  const res = await db.updateTable('users').set({ totp_last_step: step })
    .where('id', '=', userId).where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

const actorOf = (u: { id: string; email: string }): AuditActor => ({ id: u.id, label: u.email });

/** Turns TOTP on when `code` comes from the secret being enrolled; false when it does not. */
export async function confirmTotpEnrolment(db: Db, vault: Vault, clock: Clock, userId: string, code: string, ip: string): Promise<boolean> {
  const r = await userRow(db, userId);
  if (r.totp_enabled) throw conflict('Two-factor authentication is already on', 'totp_already_enabled');
  if (!(await acceptCode(db, vault, clock, userId, code))) return false;
  await db.updateTable('users').set({ totp_enabled: 1, updated_at: clock.now().toISOString() }).where('id', '=', userId).execute();
  await recordAudit(db, clock, { actor: actorOf(r), action: 'auth.totp_enabled', clientId: r.client_id, targetType: 'user', targetId: userId, ip });
  return true;
}

async function removeTotp(db: Db, clock: Clock, userId: string): Promise<void> {
  await db.updateTable('users').set({ totp_secret: null, totp_enabled: 0, totp_last_step: null, updated_at: clock.now().toISOString() }).where('id', '=', userId).execute();
}

/** Turns TOTP off for oneself: needs a current code, and is refused while a policy requires TOTP. */
export async function disableTotp(db: Db, vault: Vault, clock: Clock, user: User, code: string, ip: string): Promise<void> {
  if (await totpRequiredFor(db, vault, user)) throw forbidden('Two-factor authentication is required for your account and cannot be turned off');
  if (!(await acceptCode(db, vault, clock, user.id, code))) throw new AppError('invalid_totp', 'That code is not right. Enter the current code from your app.', 400, true, 'code');
  await removeTotp(db, clock, user.id);
  await recordAudit(db, clock, { actor: actorOf(user), action: 'auth.totp_disabled', clientId: user.clientId, targetType: 'user', targetId: user.id, ip });
}

/** For a user who lost their device: an admin (or the client's owner) removes the second factor; the user enrols again. */
export async function resetTotpByAdmin(db: Db, clock: Clock, userId: string, by: AuditActor & { ip?: string }): Promise<void> {
  const r = await userRow(db, userId);
  await removeTotp(db, clock, userId);
  await recordAudit(db, clock, { actor: { id: by.id, label: by.label }, action: 'auth.totp_disabled', clientId: r.client_id, targetType: 'user', targetId: userId, ip: by.ip, details: { by_admin: true } });
}

/** Whether a policy requires this user to have TOTP: the staff setting, or the member's client. */
export async function totpRequiredFor(db: Db, vault: Vault, user: Pick<User, 'role' | 'clientId'>): Promise<boolean> {
  if (isStaffRole(user.role)) return (await getSetting(db, vault, 'security.staff_require_totp')) === 'true';
  if (!user.clientId) return false;
  const c = await db.selectFrom('clients').select('require_totp').where('id', '=', user.clientId).executeTakeFirst();
  return !!c?.require_totp;
}

/**
 * The second step of login: checks the code under the throttle, and on success lifts the
 * session's pending state. Wrong codes are audited (auth.totp_failed).
 */
export async function passTotpLogin(db: Db, vault: Vault, clock: Clock, input: { sessionId: string; user: User; code: string; ip: string }): Promise<void> {
  const keys = totpKeys(input.user.id);
  // Counted before the code is checked, so concurrent guesses cannot all pass one check.
  const wait = await takeThrottleAttempt(db, clock, keys);
  if (wait > 0) throw tooMany(`Too many wrong codes. Try again in ${wait} s.`, wait);
  if (!(await acceptCode(db, vault, clock, input.user.id, input.code))) {
    await recordAudit(db, clock, { actor: actorOf(input.user), action: 'auth.totp_failed', clientId: input.user.clientId, ip: input.ip });
    throw new AppError('invalid_totp', 'That code is not right', 401, true, 'code');
  }
  await clearThrottle(db, keys);
  await markTotpPassed(db, input.sessionId);
  await recordAudit(db, clock, { actor: actorOf(input.user), action: 'auth.totp_passed', clientId: input.user.clientId, ip: input.ip });
}
