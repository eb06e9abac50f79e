import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from './connection.ts';
import { tempDir } from '../testing/test-app.ts';

const test = suite('database connection');

test('the data file opens in WAL mode with a busy timeout, foreign keys on and synchronous NORMAL', async () => {
  const dir = tempDir();
  const opened = openDatabase(dir);
  try {
    assert.is(opened.sqlite.pragma('journal_mode', { simple: true }), 'wal');
    assert.is(opened.sqlite.pragma('busy_timeout', { simple: true }), 5000);
    assert.is(opened.sqlite.pragma('foreign_keys', { simple: true }), 1);
    assert.is(opened.sqlite.pragma('synchronous', { simple: true }), 1, 'NORMAL');
    assert.is(opened.sqlite.pragma('secure_delete', { simple: true }), 1, 'erased data is overwritten');
    assert.is(fs.statSync(opened.file).mode & 0o777, 0o600, 'only the owner reads the data file');
    assert.is(opened.sqlite.pragma('wal_autocheckpoint', { simple: true }), 1000);
  } finally {
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a CLI tool\'s read-then-write transaction beside a running server commits: it holds the write lock from its start, so the server waits instead of invalidating its snapshot', async () => {
  const dir = tempDir();
  const tool = openDatabase(dir);
  const server = openDatabase(dir);
  try {
    tool.sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    server.sqlite.pragma('busy_timeout = 0'); // a single-threaded test: the server cannot wait for the tool here
    const serverWrites: string[] = [];
    await tool.db.transaction().execute(async (trx) => {
      await sql`SELECT count(*) FROM t`.execute(trx);
      // The server writes between the tool's read and its write (with a deferred BEGIN this
      // write would commit and the tool's write below fail with SQLITE_BUSY_SNAPSHOT).
      try { server.sqlite.prepare("INSERT INTO t (v) VALUES ('server')").run(); serverWrites.push('committed'); } catch (err) { serverWrites.push((err as { code: string }).code); }
      await sql`INSERT INTO t (v) VALUES ('tool')`.execute(trx);
    });
    assert.equal(serverWrites, ['SQLITE_BUSY'], 'the server waited (its busy timeout retries it in real life)');
    assert.equal(server.sqlite.prepare('SELECT v FROM t').pluck().all(), ['tool']);
  } finally {
    await server.close();
    await tool.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
