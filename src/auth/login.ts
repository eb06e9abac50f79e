import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError, tooMany } from '../lib/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { verifyPassword } from './passwords.ts';
import { findUserByEmail, type User } from './users.ts';
import { createSession, type Session } from './sessions.ts';
import { loginSucceeded, takeLoginAttempt } from './throttle.ts';

export interface LoginResult {
  token: string;
  session: Session;
  user: User;
}

const wrongCredentials = () => new AppError('invalid_credentials', 'Wrong e-mail or password', 401);

/**
 * Checks credentials under the throttle and opens a session. A user with TOTP on gets a
 * session that is pending its second factor. Every attempt is audited.
 */
export async function login(db: Db, clock: Clock, input: { email: string; password: string; ip: string; userAgent: string }): Promise<LoginResult> {
  // The attempt counts before the password is checked, so concurrent guesses cannot all pass one check.
  const wait = await takeLoginAttempt(db, clock, input.email, input.ip);
  if (wait > 0) throw tooMany(`Too many failed attempts. Try again in ${wait} s.`, wait);
  const user = await findUserByEmail(db, input.email);
  // Always one scrypt derivation (a throwaway one for an unknown e-mail): the answer takes as long either way.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? null);
  if (!user || !ok || user.disabled) {
    await recordAudit(db, clock, {
      actor: { id: user?.id ?? null, label: input.email.trim().toLowerCase().slice(0, 254) },
      action: 'auth.sign_in_failed', clientId: user?.clientId ?? null, ip: input.ip,
      details: { reason: !user ? 'unknown_user' : user.disabled ? 'disabled' : 'wrong_password' },
    });
    throw wrongCredentials();
  }
  if (user.clientId && (await clientTerminated(db, user.clientId))) {
    await recordAudit(db, clock, {
      actor: { id: user.id, label: user.email }, action: 'auth.sign_in_failed', clientId: user.clientId, ip: input.ip, details: { reason: 'client_terminated' },
    });
    throw new AppError('client_terminated', 'This company\u2019s Habar account has been terminated: signing in is no longer possible', 403);
  }
  await loginSucceeded(db, clock, input.email, input.ip);
  const { token, session } = await createSession(db, clock, user.id, { ip: input.ip, userAgent: input.userAgent, totpPending: user.totpEnabled });
  await recordAudit(db, clock, { actor: { id: user.id, label: user.email }, action: 'auth.signed_in', clientId: user.clientId, ip: input.ip, details: { totp_pending: user.totpEnabled } });
  return { token, session, user };
}

/** A member's client has been terminated: nobody of it signs in any more. */
async function clientTerminated(db: Db, clientId: string): Promise<boolean> {
  const r = await db.selectFrom('clients').select('status').where('id', '=', clientId).executeTakeFirst();
  return r?.status === 'terminated';
}

/**
 * Checks a signed-in user's current password (before changing it) under the same throttle as
 * login: the attempt counts first, a good password clears the count; too many wrong ones get 429.
 */
export async function verifyCurrentPassword(db: Db, clock: Clock, input: { email: string; password: string; ip: string }): Promise<boolean> {
  const wait = await takeLoginAttempt(db, clock, input.email, input.ip);
  if (wait > 0) throw tooMany(`Too many failed attempts. Try again in ${wait} s.`, wait);
  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? null);
  if (ok) await loginSucceeded(db, clock, input.email, input.ip);
  return ok;
}
