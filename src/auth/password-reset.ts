import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError, tooMany } from '../lib/errors.ts';
import { randomToken } from '../lib/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';
import { hashToken } from './sessions.ts';
import { clearLoginFailures, clearThrottle, resetAccountKeys, resetIpKeys, takeThrottleAttempt } from './throttle.ts';
import { findUserByEmail, getUser, type User } from './users.ts';

export const RESET_TTL_MS = 60 * 60 * 1000;

export const resetLinkInvalid = () => new AppError('reset_link_invalid', 'This password-reset link has expired or was already used. Ask for a new one.', 410);

/**
 * Asks for a reset link. Returns the user and the token to e-mail, or undefined when nothing is
 * to be sent (unknown or disabled e-mail, or this account's e-mail quota spent): the caller answers
 * the same neutral message either way. Too many requests from one address get 429.
 * Only the token's hash is stored; it works once, within RESET_TTL_MS.
 */
export async function requestPasswordReset(db: Db, clock: Clock, input: { email: string; ip: string }): Promise<{ user: User; token: string } | undefined> {
  // Each check counts the request in the same transaction, so concurrent requests cannot slip past the quota.
  const ipWait = await takeThrottleAttempt(db, clock, resetIpKeys(input.ip));
  if (ipWait > 0) throw tooMany(`Too many requests. Try again in ${ipWait} s.`, ipWait);
  if ((await takeThrottleAttempt(db, clock, resetAccountKeys(input.email))) > 0) return undefined;
  const user = await findUserByEmail(db, input.email);
  if (!user || user.disabled) return undefined;
  const token = randomToken(32);
  const now = clock.now();
  await db.insertInto('password_resets').values({
    id: hashToken(token), user_id: user.id, created_at: now.toISOString(), used_at: null,
    expires_at: new Date(now.getTime() + RESET_TTL_MS).toISOString(),
  }).execute();
  await recordAudit(db, clock, { actor: { id: user.id, label: user.email }, action: 'auth.password_reset_requested', clientId: user.clientId, targetType: 'user', targetId: user.id, ip: input.ip });
  return { user, token };
}

/** The user a still-valid (unused, unexpired) reset token belongs to. */
export async function findPasswordReset(db: Db, clock: Clock, token: string): Promise<User | undefined> {
  if (!token || token.length > 200) return undefined;
  const row = await db.selectFrom('password_resets').select(['user_id', 'expires_at', 'used_at']).where('id', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.used_at || clock.now().getTime() >= new Date(row.expires_at).getTime()) return undefined;
  const user = await getUser(db, row.user_id);
  return user.disabled ? undefined : user;
}

/**
 * Sets a new password with a reset token: the token is spent, every other reset link of the user
 * is withdrawn, all the user's sessions end and the account's login throttle starts again.
 */
export async function completePasswordReset(db: Db, clock: Clock, input: { token: string; password: string; ip: string }): Promise<User> {
  checkPasswordStrength(input.password);
  const user = await findPasswordReset(db, clock, input.token);
  if (!user) throw resetLinkInvalid();
  const hash = await hashPassword(input.password);
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    // Conditional on used_at: of two submissions racing with one link, only one wins.
    const spent = await trx.updateTable('password_resets').set({ used_at: now }).where('id', '=', hashToken(input.token)).where('used_at', 'is', null).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw resetLinkInvalid();
    await trx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0, updated_at: now }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await recordAudit(trx, clock, { actor: { id: user.id, label: user.email }, action: 'auth.password_reset', clientId: user.clientId, targetType: 'user', targetId: user.id, ip: input.ip });
  });
  await clearLoginFailures(db, user.email);
  await clearThrottle(db, resetAccountKeys(user.email));
  return user;
}
