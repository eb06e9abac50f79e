import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from './lib/clock.ts';
import { backupIfDue, lastBackupAt, openSqlite, verifyDataFile } from './db/index.ts';
import { scheduledBackupsEvery } from './background.ts';
import { buildClient, makeTestApp, type TestApp } from './testing/test-app.ts';

const test = suite<{ app: TestApp; clock: ManualClock; dir: string }>('scheduled backups');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock('2026-03-01T02:00:00.000Z');
  ctx.app = await makeTestApp({ clock: ctx.clock, flags: { 'backup-interval-hours': '24', 'backup-keep': '3' } });
  ctx.dir = path.join(ctx.app.dir, 'backups');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const HOUR = 3600_000;
const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
const settle = (ms = 80) => new Promise((r) => setTimeout(r, ms));

test('a backup is taken when none exists or the newest is a full interval old, by the clock', async ({ app, clock, dir }) => {
  const first = await backupIfDue(app.ctx.sqlite, dir, clock.now(), 24, 3);
  assert.ok(first);
  assert.is(path.basename(first!.file), 'habar-20260301T020000-scheduled.db');
  assert.is(verifyDataFile(first!.file).version > 0, true);
  clock.advance(23 * HOUR);
  assert.is(await backupIfDue(app.ctx.sqlite, dir, clock.now(), 24, 3), undefined, 'not yet due');
  clock.advance(HOUR);
  assert.ok(await backupIfDue(app.ctx.sqlite, dir, clock.now(), 24, 3));
  assert.equal(lastBackupAt(dir), new Date('2026-03-02T02:00:00.000Z'), 'the schedule is read from the files, so a restart keeps it');
});

test('the worker backs up on schedule and keeps only the newest N', async ({ app, clock, dir }) => {
  fs.mkdirSync(dir, { recursive: true });
  // Backups of other kinds are never pruned by the schedule.
  fs.writeFileSync(path.join(dir, 'habar-20250101T000000-before-restore.db'), '');
  const worker = scheduledBackupsEvery(10)(app.ctx);
  try {
    await settle();
    assert.is(list(dir).filter((f) => f.endsWith('-scheduled.db')).length, 1);
    await buildClient(app, { slug: 'late' });
    for (let day = 1; day <= 4; day++) {
      clock.advance(24 * HOUR);
      await settle();
    }
    const scheduled = list(dir).filter((f) => f.endsWith('-scheduled.db'));
    assert.equal(scheduled, ['habar-20260303T020000-scheduled.db', 'habar-20260304T020000-scheduled.db', 'habar-20260305T020000-scheduled.db']);
    assert.ok(list(dir).includes('habar-20250101T000000-before-restore.db'));
    assert.not.ok(list(dir).some((f) => f.endsWith('.partial')));
    const newest = openSqlite(path.join(dir, scheduled[2]), { readonly: true });
    assert.ok(newest.prepare("SELECT 1 FROM clients WHERE slug = 'late'").get(), 'a backup holds the data of its time');
    newest.close();
  } finally {
    await worker.stop();
  }
});

test('with --backup-interval-hours 0 the worker does nothing', async () => {
  const app = await makeTestApp({ flags: { 'backup-interval-hours': '0' } });
  try {
    const worker = scheduledBackupsEvery(5)(app.ctx);
    await settle(40);
    await worker.stop();
    assert.equal(list(path.join(app.dir, 'backups')), []);
  } finally {
    await app.cleanup();
  }
});

test.run();
