import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';

// Growing delays: the first FREE failures cost nothing, then each further one doubles the wait.
const RULES = {
  account: { free: 5, baseSeconds: 2, maxSeconds: 15 * 60 },
  ip: { free: 20, baseSeconds: 2, maxSeconds: 15 * 60 },
};

const keys = (email: string, ip: string) => [
  { key: `account:${email.trim().toLowerCase()}`, rule: RULES.account },
  { key: `ip:${ip}`, rule: RULES.ip },
];

/** Seconds the caller must still wait before another attempt (0 = may try now). */
export async function loginWaitSeconds(db: Db, clock: Clock, email: string, ip: string): Promise<number> {
  const now = clock.now().getTime();
  let wait = 0;
  for (const { key } of keys(email, ip)) {
    const row = await db.selectFrom('login_throttle').select('blocked_until').where('key', '=', key).executeTakeFirst();
    if (row?.blocked_until) wait = Math.max(wait, Math.ceil((new Date(row.blocked_until).getTime() - now) / 1000));
  }
  return Math.max(0, wait);
}

export async function recordLoginFailure(db: Db, clock: Clock, email: string, ip: string): Promise<void> {
  const now = clock.now();
  for (const { key, rule } of keys(email, ip)) {
    const row = await db.selectFrom('login_throttle').select('failures').where('key', '=', key).executeTakeFirst();
    const failures = (row?.failures ?? 0) + 1;
    const over = failures - rule.free;
    const blocked = over > 0 ? new Date(now.getTime() + Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** (over - 1)) * 1000).toISOString() : null;
    await db.insertInto('login_throttle').values({ key, failures, blocked_until: blocked, updated_at: now.toISOString() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures, blocked_until: blocked, updated_at: now.toISOString() })).execute();
  }
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', `account:${email.trim().toLowerCase()}`).execute();
}
