import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { loadSqliteNativeBinding } from '../lib/sea.ts';
import type { DB } from './schema.ts';

export type Sqlite = Database.Database;
export type Db = Kysely<DB>;

export const DB_FILE = 'habar.db';

export interface Opened {
  sqlite: Sqlite;
  db: Db;
  file: string;
  close(): Promise<void>;
}

/** Opens the raw better-sqlite3 handle with Habar's pragmas (order matters: busy_timeout before WAL). */
export function openSqlite(file: string, opts: { readonly?: boolean } = {}): Sqlite {
  const sqlite = new Database(file, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
    nativeBinding: loadSqliteNativeBinding() as never,
  });
  sqlite.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  }
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/** Opens `<dataDir>/habar.db` (creating the folder) as a kysely handle over better-sqlite3. */
export function openDatabase(dataDir: string): Opened {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DB_FILE);
  const sqlite = openSqlite(file);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  return {
    sqlite,
    db,
    file,
    async close() {
      if (closed) return;
      closed = true;
      // Fold the WAL into the main file so that copying habar.db alone is a complete backup.
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      await db.destroy();
    },
  };
}
