import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { backupTo, latestVersion, openSqlite } from '../db/index.ts';
import { runHabar } from '../testing/cli.ts';
import { buildClient, makeTestApp, tempDir, type TestApp } from '../testing/test-app.ts';

const test = suite<{ app: TestApp; backup: string; work: string }>('habar restore');

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test.before.each(async (ctx) => {
  // A data dir with client "before", a backup of it, then client "after" (the restore must bring "after" away).
  ctx.app = await makeTestApp();
  ctx.work = tempDir();
  await buildClient(ctx.app, { slug: 'before' });
  ctx.backup = path.join(ctx.work, 'good.db');
  await backupTo(ctx.app.ctx.sqlite, ctx.backup);
  await buildClient(ctx.app, { slug: 'after' });
  await ctx.app.close();
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
  fs.rmSync(ctx.work, { recursive: true, force: true });
});

const slugs = (file: string) => {
  const db = openSqlite(file);
  const rows = (db.prepare('SELECT slug FROM clients ORDER BY slug').all() as { slug: string }[]).map((r) => r.slug);
  db.close();
  return rows;
};

test('a corrupt, non-SQLite, foreign or newer file is refused and the existing data is unchanged', async ({ app, backup, work }) => {
  const corrupt = path.join(work, 'corrupt.db');
  const bytes = fs.readFileSync(backup);
  for (let i = 4096 + 200; i < bytes.length; i += 97) bytes[i] ^= 0x5a; // damage every page after the first
  fs.writeFileSync(corrupt, bytes);
  const text = path.join(work, 'notes.txt');
  fs.writeFileSync(text, 'this is not a database\n');
  const foreign = path.join(work, 'other-app.db');
  const other = openSqlite(foreign);
  other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES (\'hi\')');
  other.close();
  const newer = path.join(work, 'newer.db');
  fs.copyFileSync(backup, newer);
  const n = openSqlite(newer);
  n.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', '2030-01-01T00:00:00.000Z')").run(latestVersion() + 1);
  n.pragma('journal_mode = DELETE');
  n.close();

  const dataFile = path.join(app.dir, 'habar.db');
  const before = sha(dataFile);
  const cases: [string, RegExp][] = [
    [corrupt, /integrity check|cannot be read|malformed/],
    [text, /not a SQLite database/],
    [foreign, /not a Habar data file/],
    [newer, new RegExp(`schema version ${latestVersion() + 1}.*knows only up to ${latestVersion()}`)],
    [path.join(work, 'missing.db'), /No such file/],
  ];
  for (const [file, message] of cases) {
    const r = await runHabar(['restore', '--data-dir', app.dir, file]);
    assert.is.not(r.code, 0, `${path.basename(file)} is refused`);
    assert.match(r.stderr, message);
    assert.is(sha(dataFile), before, `${path.basename(file)} left the data file as it was`);
    assert.not.ok(fs.existsSync(path.join(app.dir, 'backups')), 'nothing was written');
  }
  assert.equal(slugs(dataFile), ['after', 'before', 'demo']);
});

test('a good backup replaces the data, keeps the previous file in backups/ and drops a stale WAL', async ({ app, backup }) => {
  const dataFile = path.join(app.dir, 'habar.db');
  fs.writeFileSync(`${dataFile}-shm`, Buffer.alloc(32768));
  fs.writeFileSync(`${dataFile}-wal`, Buffer.alloc(0));
  const r = await runHabar(['restore', '--data-dir', app.dir, backup]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^restored: /m);
  const kept = r.stdout.match(/^previous data kept as (\S+)$/m)?.[1];
  assert.ok(kept && /backups\/habar-\d{8}T\d{6}-before-restore\.db$/.test(kept), r.stdout);
  assert.not.ok(fs.existsSync(`${dataFile}-wal`));
  assert.not.ok(fs.existsSync(`${dataFile}-shm`));
  assert.equal(slugs(dataFile), ['before', 'demo']);
  assert.equal(slugs(kept!), ['after', 'before', 'demo'], 'the replaced data is kept whole');
});

test.run();
