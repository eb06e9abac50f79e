import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
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

test.run();
