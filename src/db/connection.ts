import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
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
    // Checkpoint every ~4 MB of WAL (SQLite's default, said explicitly) while no checkpointer
    // thread runs (db/checkpointer.ts takes over once the server listens): a checkpoint here
    // blocks the event loop while it copies pages back, so larger ones (16 MB tried) became
    // 20–80 ms stalls. The WAL file is truncated back to 64 MB after a checkpoint.
    sqlite.pragma('wal_autocheckpoint = 1000');
    sqlite.pragma('journal_size_limit = 67108864');
  }
  sqlite.pragma('foreign_keys = ON');
  // Erasure is a promise of the privacy policy: freed pages are overwritten, so deleted
  // messages and contacts do not linger in the file's free space (nor in the search index's).
  sqlite.pragma('secure_delete = ON');
  return sqlite;
}

/** Opens `<dataDir>/habar.db` (creating the folder) as a kysely handle over better-sqlite3. */
export function openDatabase(dataDir: string): Opened {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DB_FILE);
  const sqlite = openSqlite(file);
  // The data file holds personal data: readable by its owner only, whatever the umask.
  fs.chmodSync(file, 0o600);
  const statements = withStatementCache(sqlite);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }) });
  ownStatements.set(db, statements);
  ownHandles.set(db, sqlite);
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

/** The raw connection behind each opened handle. */
const ownHandles = new WeakMap<Db, Sqlite>();

/**
 * Whether the connection behind `db` (an opened handle) is inside a transaction; undefined for a
 * handle this module did not open. SQLite ends a transaction by itself on some errors (a full
 * disk, an I/O error): what runs after that would run in autocommit.
 */
export function isTransactionOpen(db: Db): boolean | undefined {
  return ownHandles.get(db)?.inTransaction;
}

/** The statement cache behind each opened handle (for lending, below). */
const ownStatements = new WeakMap<Db, SqliteDatabase>();
/** Transactions that hold the connection, and the statements they may run directly. */
const lentStatements = new WeakMap<Db, SqliteDatabase>();

/**
 * Lets `trx`, a transaction of `db` that holds the connection until it ends, run statements on it
 * synchronously (db/compiled.ts), skipping kysely's asynchronous executor (a few µs per query;
 * a message runs a dozen). Only a holder of the connection may: anything else might run inside
 * somebody else's open transaction. Returns the function that ends the loan.
 */
export function lendStatements(db: Db, trx: Db): () => void {
  const statements = ownStatements.get(db);
  if (!statements) return () => {};
  lentStatements.set(trx, statements);
  return () => { lentStatements.delete(trx); };
}

/** The statements `db` may run directly: only a transaction lent them (see lendStatements). */
export function lentStatementsOf(db: Db): SqliteDatabase | undefined {
  return lentStatements.get(db);
}

/**
 * kysely's SQLite driver prepares every query anew, and preparing (parsing, planning) costs more
 * than running most of our queries: the inbound transaction's CPU halves with this cache
 * (scripts/bench-ingest.ts). better-sqlite3 statements are reusable, so the most recently used
 * `max` are kept. `iterate` (kysely's stream()) gets a statement of its own, since a statement
 * being iterated cannot run anything else.
 */
export function withStatementCache(sqlite: Sqlite, max = 1000): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(query: string): SqliteStatement {
      // kysely opens a transaction with a deferred BEGIN. Another process (a CLI tool beside the
      // server, or the server beside one) that commits between such a transaction's first read
      // and its first write makes that write fail at once with SQLITE_BUSY_SNAPSHOT, which no busy
      // timeout retries. BEGIN IMMEDIATE takes the write lock up front, where the busy timeout waits.
      const sql = query === 'begin' ? 'begin immediate' : query;
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-inserted below: the Map's order is the recency order
      } else {
        const s = sqlite.prepare(sql);
        stmt = { reader: s.reader, all: (p) => s.all(p), run: (p) => s.run(p), iterate: (p) => sqlite.prepare(sql).iterate(p) };
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close: () => sqlite.close(),
  };
}
