import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { JobHandler } from '../jobs/index.ts';

// Deferred indexing of message text (migration 0008): storing a message only notes its row id in
// messages_fts_pending; the row is moved into the full-text index messages_fts here, many at a
// time, so FTS5 writes one segment per batch instead of one per committed transaction. Whatever
// reads messages_fts first calls catchUpSearchIndex, so search never misses a stored message.
//
// Raw SQL: FTS5 rows are addressed by the implicit rowid, which kysely's typed schema of messages
// does not name, and the insert goes into a virtual table it does not know.

export const SEARCH_INDEX_KIND = 'search.index';
export const SEARCH_INDEX_EVERY_MS = 1_000;
/** Messages per transaction: bounds how long one step holds the (single) connection. */
const SEARCH_INDEX_BATCH = 2_000;
/** Batches per job run: a huge backlog (a restored or imported file) is worked off over several runs. */
const SEARCH_INDEX_RUN_BATCHES = 25;

/**
 * Indexes up to `limit` pending messages, lowest row ids first, in one transaction: their text
 * goes into messages_fts and their row ids leave the pending list. Returns how many it took.
 */
export async function indexPendingMessages(db: Db, limit = SEARCH_INDEX_BATCH): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const r = await sql<{ n: number; last: number | null }>`select count(*) as n, max(rowid) as last
      from (select rowid from messages_fts_pending order by rowid limit ${limit})`.execute(trx);
    const { n, last } = r.rows[0] ?? { n: 0, last: null };
    if (!n || last === null) return 0;
    // Ascending row ids: FTS5 flushes its in-memory segment whenever a row id goes backwards.
    // CROSS JOIN keeps the pending list as the outer loop (a range of it, then one lookup each).
    await sql`insert into messages_fts(rowid, text)
      select m.rowid, m.text from messages_fts_pending p cross join messages m on m.rowid = p.rowid
      where p.rowid <= ${last} order by p.rowid`.execute(trx);
    await sql`delete from messages_fts_pending where rowid <= ${last}`.execute(trx);
    return Number(n);
  });
}

/** Whether some stored message is not in the full-text index yet (one index probe). */
async function hasPendingMessages(db: Db): Promise<boolean> {
  return (await db.selectFrom('messages_fts_pending').select('rowid').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Brings messages_fts up to date with every message stored before the call, whatever its client:
 * call before matching against it. Costs one probe when nothing is pending (the periodic job
 * keeps the list short). Not a visible change of state, so a read (a GET) may call it.
 */
export async function catchUpSearchIndex(db: Db): Promise<number> {
  if (!(await hasPendingMessages(db))) return 0;
  let total = 0;
  let n: number;
  do {
    n = await indexPendingMessages(db);
    total += n;
  } while (n === SEARCH_INDEX_BATCH);
  return total;
}

/**
 * The periodic job: indexes pending messages batch by batch until none is left or the run's
 * budget is spent, letting other work (inbound messages) in between batches.
 */
export function searchIndexHandler(deps: { db: Db }): JobHandler {
  return {
    kind: SEARCH_INDEX_KIND,
    async run() {
      if (!(await hasPendingMessages(deps.db))) return;
      for (let i = 0; i < SEARCH_INDEX_RUN_BATCHES; i++) {
        if ((await indexPendingMessages(deps.db)) < SEARCH_INDEX_BATCH) return;
        await nextTurn();
      }
    },
  };
}
