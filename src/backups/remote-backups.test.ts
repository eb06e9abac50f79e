import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { backupTo } from '../db/index.ts';
import { setSettings } from '../settings/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { startS3StandIn, type S3StandIn } from '../testing/s3-stand-in.ts';
import { startSmtpStandIn, type SmtpStandIn } from '../testing/smtp-stand-in.ts';
import { buildClient, buildUser, makeTestApp, tempDir, type TestApp } from '../testing/test-app.ts';
import {
  backupKeyFromMaster, backupKeyOf, fetchRemoteBackup, lastRun, openObjectStore, pickRemoteBackup, pruneRemote, remoteBackupHorizon,
  restoreDrillHandler, runRestoreDrill, uploadBackupFile, uploadIfDue, type RemoteTarget,
} from './index.ts';

const test = suite<{ app: TestApp; s3: S3StandIn; target: RemoteTarget; work: string; clock: ManualClock }>('off-site backups');

const DAY = 86_400_000;

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock('2026-03-01T02:00:00.000Z');
  ctx.app = await makeTestApp({ clock: ctx.clock });
  ctx.s3 = await startS3StandIn();
  ctx.work = tempDir();
  ctx.target = { endpoint: ctx.s3.endpoint, region: 'kz-ala-1', bucket: 'habar-backups', prefix: 'prod/habar', accessKey: ctx.s3.accessKey, secretKey: ctx.s3.secretKey };
});
test.after.each(async (ctx) => {
  await ctx.s3.close();
  await ctx.app.cleanup();
  fs.rmSync(ctx.work, { recursive: true, force: true });
});

/** A snapshot of the app's data file, as the scheduled worker makes one. */
async function snapshot(app: TestApp, work: string, name = 'snap.db') {
  const file = path.join(work, name);
  await backupTo(app.ctx.sqlite, file);
  return file;
}

const objects = (s3: S3StandIn) => [...s3.buckets.get('habar-backups')!.keys()].sort();

async function enableRemote(app: TestApp, t: RemoteTarget, extra: Record<string, string> = {}) {
  await setSettings(app.ctx.db, app.ctx.vault, app.ctx.clock, {
    'backup.remote.endpoint': t.endpoint, 'backup.remote.region': t.region, 'backup.remote.bucket': t.bucket, 'backup.remote.prefix': t.prefix,
    'backup.remote.access_key': t.accessKey, 'backup.remote.secret_key': t.secretKey, 'backup.remote.in_kazakhstan': 'true', 'backup.remote.enabled': 'true', ...extra,
  }, null, { id: null, label: 'test' }, undefined, app.ctx.settingsGuards);
}

test('an upload is the encrypted object plus its manifest (time, schema, sizes, sha256, key id, row counts; nothing about clients)', async ({ app, s3, target, work }) => {
  await buildClient(app, { slug: 'acme-secret-name' });
  const file = await snapshot(app, work);
  const store = openObjectStore(target);
  const at = new Date('2026-03-01T02:00:00Z');
  const done = await uploadBackupFile(target, backupKeyOf(app.ctx.vault), file, at);
  store.close();
  assert.equal(objects(s3), ['prod/habar/habar-20260301T020000Z.db.enc', 'prod/habar/habar-20260301T020000Z.manifest.json']);
  const bucket = s3.buckets.get('habar-backups')!;
  const sealed = bucket.get('prod/habar/habar-20260301T020000Z.db.enc')!.body;
  assert.ok(!sealed.includes(Buffer.from('acme-secret-name')), 'the object is ciphertext');
  assert.ok(!sealed.includes(Buffer.from('SQLite format 3')));
  const manifest = JSON.parse(bucket.get('prod/habar/habar-20260301T020000Z.manifest.json')!.body.toString('utf8'));
  assert.is(manifest.time, '2026-03-01T02:00:00.000Z');
  assert.is(manifest.size, fs.statSync(file).size);
  assert.is(manifest.object_size, sealed.length);
  assert.match(manifest.sha256, /^[0-9a-f]{64}$/);
  assert.is(manifest.master_key_id, app.ctx.vault.activeKeyId);
  assert.ok(manifest.schema_version > 0);
  assert.is(manifest.tables.clients, 2, 'demo and acme');
  assert.not.match(JSON.stringify(manifest), /acme/);
  assert.equal(done.manifest, manifest);
});

test('retention keeps the newest N and drops backups older than the age limit, manifest and object together', async ({ app, s3, target, work }) => {
  const file = await snapshot(app, work);
  const store = openObjectStore(target);
  const key = backupKeyOf(app.ctx.vault);
  for (const day of [1, 2, 3, 4, 5]) await uploadBackupFile(target, key, file, new Date(`2026-03-0${day}T02:00:00Z`));
  assert.is(objects(s3).length, 10);
  const byCount = await pruneRemote(store, target.prefix, 3, 30, new Date('2026-03-05T03:00:00Z'));
  assert.equal(byCount, ['prod/habar/habar-20260302T020000Z.db.enc', 'prod/habar/habar-20260301T020000Z.db.enc']);
  assert.equal(objects(s3).filter((k) => k.endsWith('.db.enc')), ['prod/habar/habar-20260303T020000Z.db.enc', 'prod/habar/habar-20260304T020000Z.db.enc', 'prod/habar/habar-20260305T020000Z.db.enc']);
  const byAge = await pruneRemote(store, target.prefix, 3, 1, new Date('2026-03-05T12:00:00Z'));
  assert.is(byAge.length, 2, 'only the one of the last day stays');
  assert.equal(objects(s3), ['prod/habar/habar-20260305T020000Z.db.enc', 'prod/habar/habar-20260305T020000Z.manifest.json']);
  store.close();
});

test('a fetched backup is the same data; a damaged object or a wrong master key is refused and leaves no file', async ({ app, s3, target, work }) => {
  await buildClient(app, { slug: 'kept' });
  const file = await snapshot(app, work);
  const store = openObjectStore(target);
  await uploadBackupFile(target, backupKeyOf(app.ctx.vault), file, new Date('2026-03-01T02:00:00Z'));
  const backup = await pickRemoteBackup(store, target.prefix);
  const out = path.join(work, 'out.db');
  await fetchRemoteBackup(store, backup, backupKeyOf(app.ctx.vault), out);
  assert.equal(fs.readFileSync(out), fs.readFileSync(file), 'byte-identical to the snapshot');

  const wrong = backupKeyFromMaster(randomBytes(32));
  fs.rmSync(out);
  await fetchRemoteBackup(store, backup, wrong, out).then(() => assert.unreachable('a wrong key must be refused'), (err: Error) => assert.match(err.message, /encrypted with master key .* but the key given is/));
  // The same wrong key under the manifest's key id: the cipher's authentication refuses it.
  await fetchRemoteBackup(store, backup, { key: wrong.key, masterKeyId: app.ctx.vault.activeKeyId }, out).then(() => assert.unreachable(), (err: Error) => assert.match(err.message, /failed authentication/));
  assert.not.ok(fs.existsSync(out));

  const obj = s3.buckets.get('habar-backups')!.get(backup.objectKey)!;
  obj.body[Math.floor(obj.body.length / 2)] ^= 0xff;
  await fetchRemoteBackup(store, backup, backupKeyOf(app.ctx.vault), out).then(() => assert.unreachable(), (err: Error) => assert.match(err.message, /does not match its manifest's checksum/));
  assert.not.ok(fs.existsSync(out));
  assert.equal(fs.readdirSync(work).sort(), ['snap.db']);
  store.close();
});

test('a large backup goes up in parts; a part that fails is sent again and the backup is whole', async ({ app, s3, target, work }) => {
  // ~20 MB of incompressible rows: three 8 MB parts.
  app.ctx.sqlite.exec('CREATE TABLE ballast (b BLOB)');
  const insert = app.ctx.sqlite.prepare('INSERT INTO ballast VALUES (?)');
  for (let i = 0; i < 320; i++) insert.run(randomBytes(64 * 1024));
  const file = await snapshot(app, work);
  s3.failNextPart(1);
  const store = openObjectStore(target);
  const seen: number[] = [];
  await uploadBackupFile(target, backupKeyOf(app.ctx.vault), file, new Date('2026-03-01T02:00:00Z'), (sent) => seen.push(sent));
  const partCalls = s3.calls.filter((c) => c.startsWith('PUT') && c.includes('partNumber'));
  assert.ok(partCalls.length >= 4, `three parts and one retry: ${partCalls.join(', ')}`);
  assert.ok(s3.calls.some((c) => c.startsWith('POST') && c.endsWith('?uploads')), 'a multipart upload');
  assert.ok(seen.length >= 2 && seen[seen.length - 1] > 16 * 1024 * 1024, 'progress is reported');
  const out = path.join(work, 'back.db');
  await fetchRemoteBackup(store, await pickRemoteBackup(store, target.prefix), backupKeyOf(app.ctx.vault), out);
  assert.equal(fs.readFileSync(out), fs.readFileSync(file));
  store.close();
});

test('the scheduled upload sends the newest local backup once, records it, and the erasure horizon counts remote backups', async ({ app, s3, target, clock }) => {
  assert.is(await remoteBackupHorizon(app.ctx.db, app.ctx.vault, clock.now()), undefined, 'no off-site backups: no remote horizon');
  const dir = path.join(app.dir, 'backups');
  await backupTo(app.ctx.sqlite, path.join(dir, 'habar-20260301T020000-scheduled.db'));
  assert.is(await uploadIfDue(app.ctx, dir), undefined, 'off while not enabled');
  await enableRemote(app, target, { 'backup.remote.keep_days': '10' });
  const up = await uploadIfDue(app.ctx, dir);
  assert.is(up?.objectKey, 'prod/habar/habar-20260301T020000Z.db.enc');
  assert.is(await uploadIfDue(app.ctx, dir), undefined, 'already uploaded');
  const run = await lastRun(app.ctx.db, 'upload');
  assert.is(run?.status, 'ok');
  assert.is(run?.objectKey, up!.objectKey);
  assert.is(run?.bytesTotal, fs.statSync(path.join(dir, 'habar-20260301T020000-scheduled.db')).size, 'the progress line knows the file size');
  assert.is(objects(s3).length, 2);
  const horizon = await remoteBackupHorizon(app.ctx.db, app.ctx.vault, clock.now());
  assert.equal(horizon, new Date(clock.now().getTime() + 11 * DAY), 'keep_days plus the day between retention passes');
});

test('the restore drill passes on a good backup and records it; on a damaged one it fails, says why and e-mails the admins', async ({ app, s3, target, clock }) => {
  const smtp: SmtpStandIn = await startSmtpStandIn();
  try {
    await setSettings(app.ctx.db, app.ctx.vault, clock, { 'smtp.host': '127.0.0.1', 'smtp.port': String(smtp.port), 'smtp.from': 'habar@example.kz' }, null, { id: null, label: 'test' });
    const admin = await buildUser(app, 'admin', null, 'ops@example.kz');
    const dir = path.join(app.dir, 'backups');
    await backupTo(app.ctx.sqlite, path.join(dir, 'habar-20260301T020000-scheduled.db'));
    await enableRemote(app, target);
    await uploadIfDue(app.ctx, dir);
    const handler = restoreDrillHandler(app.ctx);
    await handler.run({} as never);
    const ok = await lastRun(app.ctx.db, 'drill');
    assert.is(ok?.status, 'ok', ok?.error ?? '');
    assert.ok(Number(ok?.details.tables) > 10);
    assert.not.ok(fs.readdirSync(path.join(dir, 'drill')).length, 'the scratch copy is gone');
    const dash = await app.request('/');
    assert.ok(dash.status < 500);

    // A week later the object is damaged: the drill fails, names the cause, the admin hears of it.
    clock.advance(7 * DAY);
    const obj = s3.buckets.get('habar-backups')!.get('prod/habar/habar-20260301T020000Z.db.enc')!;
    obj.body[100] ^= 0x01;
    await handler.run({} as never);
    const failed = await lastRun(app.ctx.db, 'drill');
    assert.is(failed?.status, 'failed');
    assert.match(failed!.error!, /checksum/);
    const mail = await smtp.waitFor(admin.email);
    const text = Buffer.from(mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    assert.match(text, /does not match its manifest's checksum/);
    assert.match(text, /Последняя успешная проверка: 2026-03-01T02:00:00/);
    // The next day nothing more happens (drills are weekly; the failure was mailed).
    clock.advance(DAY);
    const before = smtp.messages.length;
    await handler.run({} as never);
    assert.is(smtp.messages.length, before);
  } finally {
    await smtp.close();
  }
});

test('when no drill has passed for two weeks (one hangs), the admins get one e-mail a week about it', async ({ app, target, clock }) => {
  const smtp: SmtpStandIn = await startSmtpStandIn();
  try {
    await setSettings(app.ctx.db, app.ctx.vault, clock, { 'smtp.host': '127.0.0.1', 'smtp.port': String(smtp.port), 'smtp.from': 'habar@example.kz' }, null, { id: null, label: 'test' });
    const admin = await buildUser(app, 'admin', null, 'ops2@example.kz');
    await enableRemote(app, target);
    const row = (id: string, kind: 'upload' | 'drill', status: 'ok' | 'running', at: string) =>
      app.ctx.db.insertInto('backup_runs').values({ id, kind, status, started_at: at, finished_at: status === 'ok' ? at : null }).execute();
    await row('u1', 'upload', 'ok', '2026-02-10T02:00:00.000Z');
    await row('d1', 'drill', 'ok', '2026-02-12T03:00:00.000Z');
    await row('d2', 'drill', 'running', '2026-02-28T03:00:00.000Z');
    const handler = restoreDrillHandler(app.ctx);
    await handler.run({} as never);
    const mail = await smtp.waitFor(admin.email);
    assert.match(mail.raw, /^Subject: /m);
    assert.is((await lastRun(app.ctx.db, 'notice'))?.details.reason, 'drill_stale');
    clock.advance(DAY);
    await handler.run({} as never);
    assert.is(smtp.messages.filter((m) => m.to.includes(admin.email)).length, 1, 'not again the next day');
  } finally {
    await smtp.close();
  }
});

test('a drill whose row counts differ from the manifest fails and names the table', async ({ app, s3, target, work }) => {
  const file = await snapshot(app, work);
  await enableRemote(app, target);
  const store = openObjectStore(target);
  await uploadBackupFile(target, backupKeyOf(app.ctx.vault), file, new Date('2026-03-01T02:00:00Z'));
  store.close();
  assert.is((await runRestoreDrill(app.ctx, path.join(work, 'scratch'))).ok, true);
  const manifest = s3.buckets.get('habar-backups')!.get('prod/habar/habar-20260301T020000Z.manifest.json')!;
  const m = JSON.parse(manifest.body.toString('utf8'));
  m.tables.clients = 99;
  manifest.body = Buffer.from(JSON.stringify(m));
  const r = await runRestoreDrill(app.ctx, path.join(work, 'scratch'));
  assert.is(r.ok, false);
  assert.match(r.error!, /row counts differ from the manifest: clients: 1 rows, manifest 99/);
});

test.run();
