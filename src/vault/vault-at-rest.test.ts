import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { openHabar } from '../app.ts';
import { loadBootConfig } from '../config/boot-config.ts';
import { setSetting } from '../settings/index.ts';
import { beginTotpEnrolment, findUserByEmail } from '../auth/index.ts';
import { DEFAULT_ADMIN_EMAIL } from '../tenants/index.ts';
import { silentLogger } from '../lib/logger.ts';
import { generateKey, writeKeyFile } from './index.ts';
import { runHabarInProcess } from '../testing/cli.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';

const test = suite<{ app: TestApp }>('vault: secrets at rest and the master key');

const SMTP_PASSWORD = 'Smtp-Pa55word-Nobody-Should-See';
const MARKER = 'mail.visible-marker.example.kz';

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const bytesOf = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0));
const sha = (file: string) => createHash('sha256').update(bytesOf(file)).digest('hex');
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

const open = (dir: string, env: Record<string, string> = {}) =>
  openHabar(loadBootConfig({ 'data-dir': dir, port: '0' }, env), { createKey: true, seed: true, log: silentLogger });

async function writeSecrets(app: TestApp): Promise<string> {
  const { db, vault, clock } = app.ctx;
  await setSetting(db, vault, clock, 'smtp.host', MARKER);
  await setSetting(db, vault, clock, 'smtp.password', SMTP_PASSWORD);
  const admin = (await findUserByEmail(db, DEFAULT_ADMIN_EMAIL))!;
  return (await beginTotpEnrolment(db, vault, clock, admin.id)).secret;
}

test('a known secret is in neither habar.db nor its WAL, before or after the checkpoint', async ({ app }) => {
  const totp = await writeSecrets(app);
  const file = path.join(app.dir, 'habar.db');
  const scan = (when: string) => {
    const all = Buffer.concat([bytesOf(file), bytesOf(`${file}-wal`)]);
    // The scan can see plain text: a non-secret setting written the same way is found.
    assert.ok(all.includes(MARKER), `${when}: the scan finds plain settings`);
    for (const secret of [SMTP_PASSWORD, totp]) assert.not.ok(all.includes(secret), `${when}: the secret is not in the bytes`);
  };
  assert.ok(bytesOf(`${file}-wal`).length > 0, 'the WAL holds the recent writes');
  scan('before checkpoint');
  await app.close();
  assert.is(bytesOf(`${file}-wal`).length, 0, 'closing folds the WAL into the file');
  scan('after checkpoint');
});

test('a wrong master key refuses to start with a clear message and changes nothing', async ({ app }) => {
  await writeSecrets(app);
  await app.close();
  const keyFile = path.join(app.dir, 'master.key');
  writeKeyFile(keyFile, generateKey());
  const before = [sha(path.join(app.dir, 'habar.db')), sha(keyFile)];
  const r = await runHabarInProcess(['serve', '--data-dir', app.dir, '--port', '0']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /master key .* does not match this data file .*Use the key that was backed up with this data file/);
  assert.is(r.stdout, '', 'nothing is served, no password printed');
  assert.equal([sha(path.join(app.dir, 'habar.db')), sha(keyFile)], before);
  assert.not.ok(fs.existsSync(path.join(app.dir, 'habar.pid')));
});

test('a missing key with sealed rows refuses to start and no new key is made', async ({ app }) => {
  await writeSecrets(app);
  await app.close();
  const keyFile = path.join(app.dir, 'master.key');
  fs.rmSync(keyFile);
  assert.match(await refusal(open(app.dir)), /master key is missing .*holds sealed secrets.*will not make a new key/);
  assert.not.ok(fs.existsSync(keyFile), 'no key was made');
  // The same with HABAR_MASTER_KEY given but empty: the empty value counts as unset.
  assert.match(await refusal(open(app.dir, { HABAR_MASTER_KEY: '' })), /master key is missing/);
  assert.not.ok(fs.existsSync(keyFile));
});

test('a fresh data dir gets a key file readable by its owner only', async ({ app }) => {
  assert.is(fs.statSync(path.join(app.dir, 'master.key')).mode & 0o777, 0o600);
});

test.run();
