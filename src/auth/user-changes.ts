import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { createUser, setPassword, type NewUser, type User } from './users.ts';
import { endAllSessions } from './sessions.ts';
import { clearLoginFailures } from './throttle.ts';
import { generatePassword } from './passwords.ts';

// Accounts changed by someone else (an admin, an owner, the CLI): the same commands and audit rows
// whichever screen or command does it; the callers check who may.

/** Creates a user and records `user.created` with the role, in one transaction. */
export async function addUser(db: Db, clock: Clock, input: NewUser, by: AuditBy): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const u = await createUser(trx, clock, input);
    await recordAudit(trx, clock, { actor: by, action: 'user.created', clientId: u.clientId, targetType: 'user', targetId: u.id, ip: by.ip, details: { role: u.role } });
    return u;
  });
}

/**
 * Sets another user's password and ends all their sessions (`user.password_reset`). Without a
 * password a one-time one is made and returned (show it once); a one-time password (`mustChange`,
 * the default when none is given) must be changed at the next login.
 * `clearThrottle` also forgets the account's failed logins (the CLI's rescue of a locked-out user).
 */
export async function resetUserPassword(
  db: Db, clock: Clock, user: Pick<User, 'id' | 'email' | 'clientId'>, opts: { password?: string; mustChange?: boolean; clearThrottle?: boolean }, by: AuditBy,
): Promise<{ password: string; sessionsEnded: number }> {
  const password = opts.password ?? generatePassword();
  return db.transaction().execute(async (trx) => {
    await setPassword(trx, clock, user.id, password, opts.mustChange ?? opts.password === undefined);
    const sessionsEnded = await endAllSessions(trx, user.id);
    if (opts.clearThrottle) await clearLoginFailures(trx, user.email);
    await recordAudit(trx, clock, { actor: by, action: 'user.password_reset', clientId: user.clientId, targetType: 'user', targetId: user.id, ip: by.ip, details: { sessions_ended: sessionsEnded } });
    return { password, sessionsEnded };
  });
}
