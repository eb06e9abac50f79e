import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant } from '../testing/api-client.ts';
import { ManualClock } from '../lib/clock.ts';
import { backupIfDue, BACKUP_CHECK_MS } from '../db/index.ts';

// Policy 7.3 with backups: an erased person stays in the scheduled backups taken before the erasure
// until they rotate out; the erasure record's backups_expire_at promises when. This runs the
// scheduled-backup worker's rhythm (a check every 10 minutes, each a little earlier than the last,
// so every backup slips by one check: the worst case) on the real data file with a moved clock, and
// finds the moment the last backup holding the person is deleted.

const HOUR = 3600_000;
const T0 = '2026-09-01T00:00:00.000Z';
const test = suite<{ app: TestApp; clock: ManualClock }>('backups_expire_at against the scheduled backups');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock(T0);
  ctx.app = await makeTestApp({ clock: ctx.clock, seed: false, flags: { 'backup-interval-hours': '24', 'backup-keep': '3' } });
});
test.after.each(async (ctx) => { await ctx.app.cleanup(); });

test('the last backup holding an erased person is deleted by backups_expire_at, even when every backup slips a check', async ({ app, clock }) => {
  const t = await buildApiTenant(app, 'acme');
  await t.customerSays('Zhanar-Unique-Marker-7731 asks about delivery', 'zhanar');
  const contactId = (await t.api('GET', '/api/v1/contacts')).body.data[0].id;
  const dir = path.join(app.dir, 'backups');
  let k = 0;
  // The worker's checks, drifting earlier by 0.1 s each (a timer that runs a little fast).
  const check = async () => {
    clock.set(new Date(Date.parse(T0) + k * BACKUP_CHECK_MS + 60_000 - k * 100));
    k++;
    return backupIfDue(app.ctx.sqlite, dir, clock.now(), 24, 3);
  };
  const scheduled = () => fs.readdirSync(dir).filter((f) => f.endsWith('-scheduled.db')).sort();

  // A day and a bit of backups; the erasure comes right after one (the worst case).
  let last: Awaited<ReturnType<typeof check>>;
  do last = await check(); while (!last || k < 144);
  const holding = scheduled();
  assert.ok(holding.length >= 2);
  for (const f of holding) assert.ok(fs.readFileSync(path.join(dir, f)).includes('Zhanar-Unique-Marker-7731'), `${f} holds the person`);
  const erased = (await t.api('POST', `/api/v1/contacts/${contactId}/erase`)).body;
  await app.ctx.jobs.drain();
  const record = (await t.api('GET', `/api/v1/requests/${erased.id}`)).body;
  assert.is(record.status, 'done');
  const promised = Date.parse(record.backups_expire_at);

  let goneAt: number | undefined;
  while (clock.now().getTime() < promised + 24 * HOUR) {
    await check();
    if (goneAt === undefined && !scheduled().some((f) => holding.includes(f))) goneAt = clock.now().getTime();
  }
  assert.ok(goneAt !== undefined, 'the old backups rotated out');
  assert.ok(goneAt! <= promised, `gone at ${new Date(goneAt!).toISOString()}, promised ${record.backups_expire_at}`);
  assert.ok(goneAt! > promised - 3 * BACKUP_CHECK_MS, 'and the promise is not loose: the slips did happen');
  for (const f of scheduled()) assert.not.ok(fs.readFileSync(path.join(dir, f)).includes('Zhanar-Unique-Marker-7731'), `${f} holds nothing of the person`);
});

test('with off-site backups on, the promise waits for their retention too (the later of the two)', async ({ app, clock }) => {
  const { setSettings } = await import('../settings/index.ts');
  // Stored directly: the write-and-delete check of the storage is the backups room's own test.
  await setSettings(app.ctx.db, app.ctx.vault, app.ctx.clock, {
    'backup.remote.endpoint': 'http://127.0.0.1:9', 'backup.remote.bucket': 'habar-backups', 'backup.remote.access_key': 'k', 'backup.remote.secret_key': 's',
    'backup.remote.in_kazakhstan': 'true', 'backup.remote.keep_days': '30', 'backup.remote.enabled': 'true',
  }, null, { id: null, label: 'test' });
  const t = await buildApiTenant(app, 'acme');
  await t.customerSays('Please forget me', 'aigul');
  const contactId = (await t.api('GET', '/api/v1/contacts')).body.data[0].id;
  const erased = (await t.api('POST', `/api/v1/contacts/${contactId}/erase`)).body;
  await app.ctx.jobs.drain();
  const record = (await t.api('GET', `/api/v1/requests/${erased.id}`)).body;
  assert.is(record.status, 'done');
  const days = (Date.parse(record.backups_expire_at) - clock.now().getTime()) / (24 * HOUR);
  assert.ok(days >= 30 && days <= 31.01, `off-site copies live 30 days (+1 between retention passes), not the local 3: ${days}`);
});

test.run();
