import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { JobHandler } from '../jobs/index.ts';

export const SEARCH_MERGE_KIND = 'search.merge';
export const SEARCH_MERGE_EVERY_MS = 5_000;
/** Pages of merge work per run: small, so one run is a short pause, not a stall. */
export const SEARCH_MERGE_PAGES = 64;

/**
 * Merges the inbox search indexes' segments in bounded steps (automatic merging on write is off,
 * migration 0007), keeping search fast without charging the merge to whichever message commits.
 */
export async function mergeSearchIndexes(db: Db, pages = SEARCH_MERGE_PAGES): Promise<void> {
  // Raw SQL: FTS5 commands are INSERTs of a command row, which kysely cannot say.
  await sql`INSERT INTO messages_fts(messages_fts, rank) VALUES('merge', ${pages})`.execute(db);
  await sql`INSERT INTO contacts_fts(contacts_fts, rank) VALUES('merge', ${pages})`.execute(db);
}

export function searchMergeHandler(deps: { db: Db }): JobHandler {
  return { kind: SEARCH_MERGE_KIND, run: () => mergeSearchIndexes(deps.db) };
}
