import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { recordAudit } from '../audit/index.ts';
import { setPassword, updateUser, type User, type UserPatch } from './users.ts';
import { endAllSessions, endSession } from './sessions.ts';

// What a signed-in user does to their own account, each change audited with the user as the actor.

type Self = Pick<User, 'id' | 'email' | 'clientId'>;
const actor = (u: Self) => ({ id: u.id, label: u.email });

/** Ends this browser's session and records `auth.signed_out` when it belonged to a user. */
export async function logout(db: Db, clock: Clock, token: string | undefined, user: Self | undefined, ip: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (token) await endSession(trx, token);
    if (user) await recordAudit(trx, clock, { actor: actor(user), action: 'auth.signed_out', clientId: user.clientId, ip });
  });
}

/**
 * Sets a new password (the current one checked by the caller, see verifyCurrentPassword) and signs
 * out every other session of the account (a stolen cookie, a forgotten computer): `user.password_changed`.
 * Returns how many sessions ended.
 */
export async function changeOwnPassword(db: Db, clock: Clock, user: Self, password: string, keepSessionId: string, ip: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await setPassword(trx, clock, user.id, password);
    const ended = await endAllSessions(trx, user.id, keepSessionId);
    await recordAudit(trx, clock, { actor: actor(user), action: 'user.password_changed', clientId: user.clientId, targetType: 'user', targetId: user.id, ip, details: { sessions_ended: ended } });
    return ended;
  });
}

/** The user's own name and language (`user.updated`, self). */
export async function updateOwnProfile(db: Db, clock: Clock, user: Self, patch: Pick<UserPatch, 'name' | 'language'>, ip: string): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const updated = await updateUser(trx, clock, user.id, patch);
    await recordAudit(trx, clock, { actor: actor(user), action: 'user.updated', clientId: user.clientId, targetType: 'user', targetId: user.id, ip, details: { fields: Object.keys(patch), self: true } });
    return updated;
  });
}

/** Signs the user out everywhere but this session (`auth.sessions_ended`); returns how many ended. */
export async function endOtherSessions(db: Db, clock: Clock, user: Self, keepSessionId: string, ip: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const count = await endAllSessions(trx, user.id, keepSessionId);
    await recordAudit(trx, clock, { actor: actor(user), action: 'auth.sessions_ended', clientId: user.clientId, targetType: 'user', targetId: user.id, ip, details: { count } });
    return count;
  });
}
