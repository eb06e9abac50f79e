import type { Db } from '../db/index.ts';
import { groupCommitOf } from '../db/index.ts';
import type { EventHub, MessagingEvent } from './events.ts';

/** Whether SQLite refused a write for a unique or primary key (a concurrent writer won a race). */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs `fn` as one atomic unit of work (db/group-commit.ts: units arriving together share one
 * commit, and this resolves only after the commit; `fn` may run again alone if another unit of
 * its group failed, so it must touch nothing but the database); on a unique
 * conflict (a concurrent writer created the same contact, conversation or message first) runs it
 * again, so the second pass finds the winner's rows. The events `fn` collects go to the hub's
 * transactional subscribers inside the same unit (so the work they queue commits with the cause,
 * or not at all), and to the in-memory subscribers only after the commit.
 */
export async function inTransaction<T>(
  deps: { db: Db; hub: EventHub },
  fn: (trx: Db, events: MessagingEvent[]) => Promise<T>,
  attempts = 3,
): Promise<T> {
  const group = groupCommitOf(deps.db);
  for (let i = 1; ; i++) {
    const events: MessagingEvent[] = [];
    try {
      const result = await group.run(async (trx) => {
        events.length = 0; // the unit may run again alone (its group rolled back): its events anew
        const r = await fn(trx, events);
        await deps.hub.beforeCommit(trx, events);
        return r;
      });
      deps.hub.publishAll(events);
      return result;
    } catch (err) {
      if (i >= attempts || !isUniqueViolation(err)) throw err;
    }
  }
}
