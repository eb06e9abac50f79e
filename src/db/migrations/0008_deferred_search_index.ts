import { sql, type Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Deferred message indexing: a new message no longer enters the full-text index (messages_fts,
// migration 0006) inside the transaction that stores it. FTS5 writes a new small segment at every
// commit that touched the index, which cost ~40–60 µs of ~150 µs per message on the inbound path
// (10 messages per transaction). The insert trigger now only notes the message's row id in
// messages_fts_pending; messaging/search-index.ts moves pending rows into the index in bulk (one
// segment per few thousand messages) from the periodic job `search.index`, and inbox search
// indexes whatever is still pending before it matches, so search stays exact and immediate.
//
// - A list of row ids, not a watermark ("rowid > N is not indexed yet"): messages has no
//   AUTOINCREMENT, so SQLite may give a new message the row id of the deleted newest one.
// - The index must always equal "every message whose row id is not pending": an update of the
//   text of an indexed message moves it in the index as before; of a pending one changes nothing
//   (it is indexed later, with its text of that moment). A deleted indexed message is removed with
//   the FTS5 'delete' command and its old values, so with secure-delete (0006) none of its
//   trigrams stays in the index; a deleted pending one only leaves the pending list (the index
//   never held it). Both steps sit in one trigger body, in that order: two AFTER DELETE triggers
//   would fire in an order SQLite does not document, and a 'delete' of a row the index does not
//   hold would corrupt it.
// - contacts_fts keeps its immediate triggers: contacts are inserted rarely.
//
// Raw SQL: kysely's schema builder cannot create triggers, and the FTS5 'delete' command is an
// INSERT into a hidden column it does not know.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE messages_fts_pending (rowid INTEGER PRIMARY KEY)`.execute(db);
  await sql`DROP TRIGGER messages_fts_insert`.execute(db);
  await sql`DROP TRIGGER messages_fts_update`.execute(db);
  await sql`DROP TRIGGER messages_fts_delete`.execute(db);
  await sql`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts_pending(rowid) VALUES (new.rowid);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
    WHEN NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE rowid = old.rowid) BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) SELECT 'delete', old.rowid, old.text
      WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE rowid = old.rowid);
    DELETE FROM messages_fts_pending WHERE rowid = old.rowid;
  END`.execute(db);
}
