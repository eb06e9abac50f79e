import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * A throttle rule: `free` failures in a row are allowed; the `free`-th and each later one block the
 * key for a delay that doubles (base, 2·base, 4·base …) up to `maxSeconds`. Failures older than
 * `forgetAfterSeconds` (counted from the last one, once no block is running) are forgotten.
 */
export interface ThrottleRule {
  free: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetAfterSeconds: number;
}

export interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
}

const HOUR = 60 * 60;

export const THROTTLE_RULES = {
  /** Wrong passwords for one account, from anywhere. */
  account: { free: 5, baseSeconds: 30, maxSeconds: 15 * 60, forgetAfterSeconds: HOUR },
  /** Failed logins from one address, across accounts (password spraying). */
  ip: { free: 20, baseSeconds: 30, maxSeconds: 15 * 60, forgetAfterSeconds: HOUR },
  /** Wrong second-factor codes for one account. */
  totp: { free: 5, baseSeconds: 30, maxSeconds: 15 * 60, forgetAfterSeconds: HOUR },
  /** Password-reset e-mails for one account (each request counts). */
  resetAccount: { free: 3, baseSeconds: 5 * 60, maxSeconds: HOUR, forgetAfterSeconds: HOUR },
  /** Password-reset requests from one address (each request counts). */
  resetIp: { free: 10, baseSeconds: 60, maxSeconds: HOUR, forgetAfterSeconds: HOUR },
} satisfies Record<string, ThrottleRule>;

const normEmail = (email: string) => email.trim().toLowerCase().slice(0, 254);
const ipKey = (prefix: string, ip: string) => `${prefix}:${ip || 'unknown'}`;

export const loginKeys = (email: string, ip: string): ThrottleKey[] => [
  { key: `account:${normEmail(email)}`, rule: THROTTLE_RULES.account },
  { key: ipKey('ip', ip), rule: THROTTLE_RULES.ip },
];
export const totpKeys = (userId: string): ThrottleKey[] => [{ key: `totp:${userId}`, rule: THROTTLE_RULES.totp }];
export const resetAccountKeys = (email: string): ThrottleKey[] => [{ key: `reset:${normEmail(email)}`, rule: THROTTLE_RULES.resetAccount }];
export const resetIpKeys = (ip: string): ThrottleKey[] => [{ key: ipKey('reset-ip', ip), rule: THROTTLE_RULES.resetIp }];

/** Seconds the caller must still wait before another attempt on any of `keys` (0 = may try now). */
export async function throttleWait(db: Db, clock: Clock, keys: ThrottleKey[]): Promise<number> {
  const now = clock.now().getTime();
  let wait = 0;
  for (const { key } of keys) {
    const row = await db.selectFrom('login_throttle').select('blocked_until').where('key', '=', key).executeTakeFirst();
    if (row?.blocked_until) wait = Math.max(wait, Math.ceil((new Date(row.blocked_until).getTime() - now) / 1000));
  }
  return Math.max(0, wait);
}

/** Counts one failure on each key, blocking it for a growing delay once its free failures are spent. */
export async function recordThrottleFailure(db: Db, clock: Clock, keys: ThrottleKey[]): Promise<void> {
  const now = clock.now();
  const at = now.toISOString();
  for (const { key, rule } of keys) {
    const row = await db.selectFrom('login_throttle').select(['failures', 'blocked_until', 'updated_at']).where('key', '=', key).executeTakeFirst();
    const blockRunning = !!row?.blocked_until && new Date(row.blocked_until).getTime() > now.getTime();
    const stale = !!row && !blockRunning && now.getTime() - new Date(row.updated_at).getTime() > rule.forgetAfterSeconds * 1000;
    const failures = (row && !stale ? row.failures : 0) + 1;
    const over = failures - rule.free;
    const seconds = over >= 0 ? Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** Math.min(over, 30)) : 0;
    const blocked = seconds ? new Date(now.getTime() + seconds * 1000).toISOString() : null;
    await db.insertInto('login_throttle').values({ key, failures, blocked_until: blocked, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures, blocked_until: blocked, updated_at: at })).execute();
  }
}

export async function clearThrottle(db: Db, keys: ThrottleKey[]): Promise<void> {
  for (const { key } of keys) await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Runs `fn` in one transaction (or in the caller's, when `db` already is one). */
const atomically = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db) : db.transaction().execute(fn));

/**
 * Takes one attempt on `keys` before the credential is checked: in one transaction, either some
 * key is blocked (nothing is counted; returns the seconds to wait) or the attempt is counted on
 * every key as a failure (returns 0). Counting first means concurrent requests cannot all pass the
 * check before any failure is recorded (kysely's SQLite driver runs one transaction at a time).
 * After a good credential, clear or refund the count.
 */
export async function takeThrottleAttempt(db: Db, clock: Clock, keys: ThrottleKey[]): Promise<number> {
  return atomically(db, async (trx) => {
    const wait = await throttleWait(trx, clock, keys);
    if (wait > 0) return wait;
    await recordThrottleFailure(trx, clock, keys);
    return 0;
  });
}

/** Gives back one attempt taken on `keys` (a good credential): the count drops by one, and a block it started is lifted. */
export async function refundThrottleAttempt(db: Db, clock: Clock, keys: ThrottleKey[]): Promise<void> {
  await atomically(db, async (trx) => {
    for (const { key, rule } of keys) {
      const row = await trx.selectFrom('login_throttle').select('failures').where('key', '=', key).executeTakeFirst();
      if (!row) continue;
      const failures = row.failures - 1;
      if (failures <= 0) {
        await trx.deleteFrom('login_throttle').where('key', '=', key).execute();
        continue;
      }
      const set = failures < rule.free ? { failures, blocked_until: null } : { failures };
      await trx.updateTable('login_throttle').set({ ...set, updated_at: clock.now().toISOString() }).where('key', '=', key).execute();
    }
  });
}

/** Seconds to wait before the next password attempt for this e-mail from this address. */
export const loginWaitSeconds = (db: Db, clock: Clock, email: string, ip: string) => throttleWait(db, clock, loginKeys(email, ip));

export const recordLoginFailure = (db: Db, clock: Clock, email: string, ip: string) => recordThrottleFailure(db, clock, loginKeys(email, ip));

/** After a good password: the account's count starts again (the address's does not, so one known account cannot launder a spray). */
export const clearLoginFailures = (db: Db, email: string) => clearThrottle(db, loginKeys(email, '').slice(0, 1));

/** Counts a password attempt on the account and the address before the password is checked; returns the seconds to wait (0 = go on). */
export const takeLoginAttempt = (db: Db, clock: Clock, email: string, ip: string) => takeThrottleAttempt(db, clock, loginKeys(email, ip));

/** A good password after takeLoginAttempt: the account's count starts again, the address's attempt is given back. */
export async function loginSucceeded(db: Db, clock: Clock, email: string, ip: string): Promise<void> {
  const [account, address] = loginKeys(email, ip);
  await atomically(db, async (trx) => {
    await clearThrottle(trx, [account]);
    await refundThrottleAttempt(trx, clock, [address]);
  });
}
