import { sql, type Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// FTS5 merges its index segments inside the writing transaction by default (automerge), which
// made every few committed messages pay a 10–80 ms merge. Automatic merging is turned off here;
// the periodic job `search.merge` (src/messaging/search-merge.ts) merges in small bounded steps.
// Raw SQL: FTS5 configuration is an INSERT of a command row, which kysely cannot say.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO messages_fts(messages_fts, rank) VALUES('automerge', 0)`.execute(db);
  await sql`INSERT INTO contacts_fts(contacts_fts, rank) VALUES('automerge', 0)`.execute(db);
}
