import type { Sqlite } from '../db/index.ts';

/**
 * Every byte the full-text indexes keep in their own tables (not the pending list), so that a
 * test can prove a text's trigrams are or are not in the file. `contacts` adds contacts_fts.
 */
export function searchIndexBytes(sqlite: Sqlite, opts: { contacts?: boolean } = {}): Buffer {
  const tables = sqlite.prepare(`select name from sqlite_master where type = 'table'
    and (name like 'messages_fts_%' ${opts.contacts ? "or name like 'contacts_fts_%'" : ''}) and name <> 'messages_fts_pending'`).all() as Array<{ name: string }>;
  const parts: Buffer[] = [];
  for (const { name } of tables) {
    for (const row of sqlite.prepare(`select * from "${name}"`).raw().all() as unknown[][]) {
      for (const v of row) if (v !== null) parts.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
    }
  }
  return Buffer.concat(parts);
}
