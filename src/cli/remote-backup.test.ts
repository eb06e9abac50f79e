import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { openSqlite } from '../db/index.ts';
import { setSettings } from '../settings/index.ts';
import { backupKeyOf, uploadBackupFile } from '../backups/index.ts';
import { backupTo } from '../db/index.ts';
import { runHabarInProcess, startHabar } from '../testing/cli.ts';
import { startS3StandIn, type S3StandIn } from '../testing/s3-stand-in.ts';
import { buildClient, makeTestApp, tempDir, type TestApp } from '../testing/test-app.ts';

const test = suite<{ app: TestApp; s3: S3StandIn; work: string }>('habar backup --to remote / restore --from remote');

test.before.each(async (ctx) => {
  ctx.s3 = await startS3StandIn();
  ctx.app = await makeTestApp();
  ctx.work = tempDir();
  await buildClient(ctx.app, { slug: 'before' });
  await setSettings(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, {
    'backup.remote.endpoint': ctx.s3.endpoint, 'backup.remote.bucket': 'habar-backups', 'backup.remote.prefix': 'site-1',
    'backup.remote.access_key': ctx.s3.accessKey, 'backup.remote.secret_key': ctx.s3.secretKey, 'backup.remote.in_kazakhstan': 'true', 'backup.remote.enabled': 'true',
  }, null, { id: null, label: 'test' }, undefined, ctx.app.ctx.settingsGuards);
});
test.after.each(async (ctx) => {
  await ctx.s3.close();
  await ctx.app.cleanup();
  fs.rmSync(ctx.work, { recursive: true, force: true });
});

const slugs = (file: string) => {
  const db = openSqlite(file, { readonly: true });
  const rows = (db.prepare('SELECT slug FROM clients ORDER BY slug').all() as { slug: string }[]).map((r) => r.slug);
  db.close();
  return rows;
};
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const objects = (s3: S3StandIn) => [...s3.buckets.get('habar-backups')!.keys()].sort();
const keysEnv = (s3: S3StandIn) => ({ HABAR_BACKUP_REMOTE_ACCESS_KEY: s3.accessKey, HABAR_BACKUP_REMOTE_SECRET_KEY: s3.secretKey });

test('backup --to remote uploads an encrypted copy and prints its key; restore --from remote brings that data back', async ({ app, s3 }) => {
  const up = await runHabarInProcess(['backup', '--data-dir', app.dir, '--to', 'remote']);
  assert.is(up.code, 0, up.stderr);
  const m = up.stdout.match(/^backup: (site-1\/habar-\d{8}T\d{6}Z\.db\.enc) \((\d+) bytes, schema (\d+)\)$/m);
  assert.ok(m, up.stdout);
  assert.ok(objects(s3).includes(m![1]));
  assert.ok(objects(s3).includes(m![1].replace('.db.enc', '.manifest.json')));
  assert.is(Number(m![2]), s3.buckets.get('habar-backups')!.get(m![1])!.body.length);
  assert.equal(fs.readdirSync(path.join(app.dir, 'backups')), [], 'the local snapshot is removed after the upload');

  await buildClient(app, { slug: 'after' });
  await app.close();
  const doctor = await runHabarInProcess(['doctor', '--data-dir', app.dir]);
  assert.match(doctor.stdout, /ok {4}off-site backups last upload none yet; last restore drill passed never/);
  const r = await runHabarInProcess(['restore', '--data-dir', app.dir, '--from', 'remote']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^restored: ${m![1].replace(/\./g, '\\.')} -> `, 'm'));
  assert.equal(slugs(path.join(app.dir, 'habar.db')), ['before', 'demo']);
  const kept = r.stdout.match(/^previous data kept as (\S+)$/m)?.[1];
  assert.equal(slugs(kept!), ['after', 'before', 'demo'], 'the replaced data is kept whole');
  assert.not.ok(fs.readdirSync(app.dir).some((f) => f.includes('remote-restore')), 'no fetched file is left behind');
});

test('--at picks the newest backup at or before that time; a new server restores with only flags, the keys and the master key', async ({ app, s3, work }) => {
  const first = path.join(work, 'first.db');
  await backupTo(app.ctx.sqlite, first);
  await buildClient(app, { slug: 'second' });
  const second = path.join(work, 'second.db');
  await backupTo(app.ctx.sqlite, second);
  const target = { endpoint: s3.endpoint, region: '', bucket: 'habar-backups', prefix: 'site-1', accessKey: s3.accessKey, secretKey: s3.secretKey };
  await uploadBackupFile(target, backupKeyOf(app.ctx.vault), first, new Date('2026-03-01T02:00:00Z'));
  await uploadBackupFile(target, backupKeyOf(app.ctx.vault), second, new Date('2026-03-02T02:00:00Z'));
  const masterKey = fs.readFileSync(path.join(app.dir, 'master.key'), 'utf8').trim();

  const fresh = path.join(work, 'new-server');
  const flags = ['--remote-endpoint', s3.endpoint, '--remote-bucket', 'habar-backups', '--remote-prefix', 'site-1'];
  const noKey = await runHabarInProcess(['restore', '--data-dir', fresh, '--from', 'remote', ...flags], { env: keysEnv(s3) });
  assert.is.not(noKey.code, 0);
  assert.match(noKey.stderr, /no master key/);
  const noS3Keys = await runHabarInProcess(['restore', '--data-dir', fresh, '--from', 'remote', ...flags], { env: { HABAR_MASTER_KEY: masterKey } });
  assert.is.not(noS3Keys.code, 0);
  assert.match(noS3Keys.stderr, /HABAR_BACKUP_REMOTE_ACCESS_KEY/);
  const tooEarly = await runHabarInProcess(['restore', '--data-dir', fresh, '--from', 'remote', '--at', '2026-02-01T00:00:00Z', ...flags], { env: { ...keysEnv(s3), HABAR_MASTER_KEY: masterKey } });
  assert.is.not(tooEarly.code, 0);
  assert.match(tooEarly.stderr, /No remote backup at or before 2026-02-01T00:00:00.000Z \(the oldest is from 2026-03-01T02:00:00.000Z\)/);
  assert.not.ok(fs.existsSync(path.join(fresh, 'habar.db')));

  const r = await runHabarInProcess(['restore', '--data-dir', fresh, '--from', 'remote', '--at', '2026-03-01T12:00:00+05:00', ...flags], { env: { ...keysEnv(s3), HABAR_MASTER_KEY: masterKey } });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /restored: site-1\/habar-20260301T020000Z\.db\.enc/);
  assert.equal(slugs(path.join(fresh, 'habar.db')), ['before', 'demo'], 'the backup of the first day');
  assert.not.match(r.stderr, /warning/, 'the master key given opens the restored data');
});

test('a damaged object, a wrong master key, a running server or a bad --at is refused, and the data file is unchanged', async ({ app, s3 }) => {
  const up = await runHabarInProcess(['backup', '--data-dir', app.dir, '--to', 'remote']);
  assert.is(up.code, 0, up.stderr);
  const key = up.stdout.match(/^backup: (\S+)/m)![1];
  await app.close();
  const dataFile = path.join(app.dir, 'habar.db');
  const before = sha(dataFile);

  const target = ['--remote-endpoint', s3.endpoint, '--remote-bucket', 'habar-backups', '--remote-prefix', 'site-1'];
  const wrong = await runHabarInProcess(['restore', '--data-dir', app.dir, '--from', 'remote', ...target], { env: { ...keysEnv(s3), HABAR_MASTER_KEY: randomBytes(32).toString('hex') } });
  assert.is.not(wrong.code, 0);
  assert.match(wrong.stderr, /was encrypted with master key [0-9a-f]{12}, but the key given is [0-9a-f]{12}/);

  const obj = s3.buckets.get('habar-backups')!.get(key)!;
  obj.body[obj.body.length - 5] ^= 0x10;
  const damaged = await runHabarInProcess(['restore', '--data-dir', app.dir, '--from', 'remote']);
  assert.is.not(damaged.code, 0);
  assert.match(damaged.stderr, /does not match its manifest's checksum/);

  const bad = await runHabarInProcess(['restore', '--data-dir', app.dir, '--from', 'remote', '--at', 'yesterday']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--at takes an RFC 3339 time/);
  assert.is(sha(dataFile), before, 'nothing changed');
  assert.not.ok(fs.existsSync(path.join(app.dir, 'backups')) && fs.readdirSync(path.join(app.dir, 'backups')).length, 'nothing was kept: nothing was replaced');

  // A running server (it writes the file itself, so the check is on what a restore would change).
  s3.buckets.get('habar-backups')!.get(key)!.body[obj.body.length - 5] ^= 0x10;
  const server = await startHabar(['--data-dir', app.dir]);
  try {
    const busy = await runHabarInProcess(['restore', '--data-dir', app.dir, '--from', 'remote']);
    assert.is.not(busy.code, 0);
    assert.match(busy.stderr, /stop it before you restore/);
  } finally {
    await server.stop();
  }
  assert.ok(slugs(dataFile).includes('before'));
  assert.not.ok(fs.existsSync(path.join(app.dir, 'backups')) && fs.readdirSync(path.join(app.dir, 'backups')).some((f) => f.includes('before-restore')));
});

test.run();
