import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { generatePassword } from './passwords.ts';
import { setPassword } from './users.ts';
import { endAllSessions } from './sessions.ts';

/**
 * Replaces a user's password with a fresh one-time password that must be changed at the next
 * login, and ends the user's sessions. Returns the password: show it once, never store or log it.
 */
export async function issueOneTimePassword(db: Db, clock: Clock, userId: string): Promise<string> {
  const password = generatePassword();
  await setPassword(db, clock, userId, password, true);
  await endAllSessions(db, userId);
  return password;
}
