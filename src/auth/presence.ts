import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * Whether any member of the client (owner, representative, agent) has a session that was active
 * within the last `minutes` (sessions record their last request, at most a minute stale).
 */
export async function anyMemberOnline(db: Db, clock: Clock, clientId: string, minutes: number): Promise<boolean> {
  const now = clock.now();
  const since = new Date(now.getTime() - minutes * 60_000).toISOString();
  const r = await db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select('sessions.id')
    .where('users.client_id', '=', clientId).where('users.disabled', '=', 0)
    .where('sessions.last_seen_at', '>=', since).where('sessions.expires_at', '>', now.toISOString()).where('sessions.totp_pending', '=', 0)
    .limit(1).executeTakeFirst();
  return !!r;
}
