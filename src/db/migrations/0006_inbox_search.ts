import { sql, type Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Inbox search: full-text indexes over messages.text and contacts.display_name/phone, so that a
// substring search no longer scans every message of a client (0.4–1.2 s at 1M messages).
//
// Raw SQL throughout: kysely's schema builder cannot create virtual tables or triggers, and the
// FTS5 commands ('rebuild', 'secure-delete', 'delete') are INSERTs into a hidden column it does
// not know.
//
// - tokenize 'trigram': any substring of 3 or more characters matches, whatever the language
//   (Russian and Kazakh need no stemmer), case-insensitively (Unicode case folding, so "ӘЛЕМ"
//   finds "әлем"). Shorter searches keep using LIKE (messaging/inbox-search.ts).
// - External content (content='messages' / 'contacts'): the index keeps only trigrams and row
//   ids, never a second copy of the text. Chosen over a contentless table (content='',
//   contentless_delete=1) because erasure must reach every copy of personal data: a contentless
//   table deletes by marking a row id dead (tombstone), and the row's trigrams stay in the file
//   until its segments happen to be merged (in practice: an 'optimize' rewriting the whole
//   index). An external-content table is told the deleted row's old values, so with
//   'secure-delete' on, FTS5 removes those trigrams from the index pages at once, inside the
//   erasing transaction. It can also be rebuilt and checked against its content
//   ('rebuild', 'integrity-check'), which a contentless one cannot. The price: each deleted
//   message costs ~1 ms (10,000 from a 1M-message index: 7-11 s instead of 0.4 s), so bulk
//   purges should delete a few hundred rows per transaction. The freed page space leaves the
//   file only with PRAGMA secure_delete = ON on the connection (true of every deleted row).
// - The triggers keep the index exact: every insert, update of the indexed columns and delete
//   (cascades from contacts, conversations and clients included) passes the row's values.
//   Nothing may bypass them: no INSERT OR REPLACE on these tables (a REPLACE deletes without
//   firing delete triggers unless recursive_triggers is on). The row id is SQLite's implicit
//   rowid: the online backup copies pages, and VACUUM keeps rowids of tables with indexes.
// - Needs SQLite >= 3.42 (trigram: 3.34, secure-delete: 3.42); better-sqlite3 bundles 3.54.
// - columnsize=0: no per-row token counts (only bm25 ranking would use them; the inbox orders
//   by activity), which saves a write per message. detail stays 'full': a substring longer
//   than 3 characters is a phrase of trigrams, which needs positions.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='rowid', tokenize='trigram', columnsize=0)`.execute(db);
  await sql`INSERT INTO messages_fts(messages_fts, rank) VALUES('secure-delete', 1)`.execute(db);
  await sql`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  END`.execute(db);

  // The phone is indexed as stored ("+77015554433"); the inbox searches it with the digits typed.
  await sql`CREATE VIRTUAL TABLE contacts_fts USING fts5(display_name, phone, content='contacts', content_rowid='rowid', tokenize='trigram', columnsize=0)`.execute(db);
  await sql`INSERT INTO contacts_fts(contacts_fts, rank) VALUES('secure-delete', 1)`.execute(db);
  await sql`CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts(rowid, display_name, phone) VALUES (new.rowid, new.display_name, new.phone);
  END`.execute(db);
  await sql`CREATE TRIGGER contacts_fts_update AFTER UPDATE OF display_name, phone ON contacts BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, display_name, phone) VALUES ('delete', old.rowid, old.display_name, old.phone);
    INSERT INTO contacts_fts(rowid, display_name, phone) VALUES (new.rowid, new.display_name, new.phone);
  END`.execute(db);
  await sql`CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, display_name, phone) VALUES ('delete', old.rowid, old.display_name, old.phone);
  END`.execute(db);

  // Backfill: index the rows that exist already, read from the content tables.
  await sql`INSERT INTO messages_fts(messages_fts) VALUES('rebuild')`.execute(db);
  await sql`INSERT INTO contacts_fts(contacts_fts) VALUES('rebuild')`.execute(db);
}
