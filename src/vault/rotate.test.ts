import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openHabar, type Habar } from '../app.ts';
import { loadBootConfig } from '../config/boot-config.ts';
import { getSetting, setSetting } from '../settings/index.ts';
import { beginTotpEnrolment, findUserByEmail } from '../auth/index.ts';
import { DEFAULT_ADMIN_EMAIL } from '../tenants/index.ts';
import { SEALED_COLUMNS } from '../db/index.ts';
import { silentLogger } from '../lib/logger.ts';
import { generateKey, keyIdOf, parseKey, rotateKey, Vault } from './index.ts';
import { runHabarInProcess } from '../testing/cli.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';

const test = suite<{ app: TestApp; totp: string }>('vault: key rotation');
const SMTP_PASSWORD = 'rotate-me-smtp-secret';

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  const { db, vault, clock } = ctx.app.ctx;
  await setSetting(db, vault, clock, 'smtp.password', SMTP_PASSWORD);
  ctx.totp = (await beginTotpEnrolment(db, vault, clock, (await findUserByEmail(db, DEFAULT_ADMIN_EMAIL))!.id)).secret;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const keyFile = (app: TestApp) => path.join(app.dir, 'master.key');
const src = (app: TestApp) => ({ file: keyFile(app) });
const reopen = (app: TestApp, env: Record<string, string> = {}) =>
  openHabar(loadBootConfig({ 'data-dir': app.dir, port: '0' }, env), { createKey: false, seed: false, log: silentLogger });

/** The key id of every sealed value in every registered sealed column that exists in this schema. */
async function sealedKeyIds(h: Habar): Promise<string[]> {
  const ids: string[] = [];
  for (const col of SEALED_COLUMNS) {
    const exists = h.ctx.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(col.table);
    if (!exists) continue;
    const where = col.flag ? sql`WHERE ${sql.ref(col.flag)} = 1 AND ${sql.ref(col.column)} IS NOT NULL` : sql`WHERE ${sql.ref(col.column)} IS NOT NULL`;
    const rows = await sql<{ v: string }>`SELECT ${sql.ref(col.column)} AS v FROM ${sql.table(col.table)} ${where}`.execute(h.ctx.db);
    for (const r of rows.rows) ids.push(r.v.split('.')[1]);
  }
  return ids;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    const h = (await p) as Habar;
    await h.close();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

test('rotation re-seals every secret under the new key, and the old key no longer opens the file', async ({ app, totp }) => {
  const oldKey = fs.readFileSync(keyFile(app), 'utf8');
  const { key, resealed } = await rotateKey(app.ctx.db, app.ctx.vault, src(app), app.clock.now().toISOString());
  assert.is(resealed, 2);
  assert.ok((await sealedKeyIds(app)).every((id) => id === keyIdOf(key)), 'every sealed value names the new key');
  assert.not.ok(fs.existsSync(`${keyFile(app)}.new`));
  assert.is(keyIdOf(parseKey(fs.readFileSync(keyFile(app), 'utf8'), 'test')), keyIdOf(key));
  await app.close();

  const next = await reopen(app);
  assert.is(await getSetting(next.ctx.db, next.ctx.vault, 'smtp.password'), SMTP_PASSWORD);
  const row = (await next.ctx.db.selectFrom('users').select('totp_secret').where('email', '=', DEFAULT_ADMIN_EMAIL).executeTakeFirst())!;
  assert.is(new Vault(key).open(row.totp_secret!, 'users.totp_secret'), totp);
  await next.close();

  fs.writeFileSync(keyFile(app), oldKey, { mode: 0o600 });
  assert.match(await refusal(reopen(app)), /does not match this data file/);
});

test('a rotation that fails part-way changes nothing (one transaction)', async ({ app }) => {
  // A sealed setting that no key opens: the rotation reaches it after re-sealing others, then fails.
  await app.ctx.db.insertInto('settings').values({ client_id: '', key: 'zz.broken', value: 'hv1.000000000000.AAAA.AAAA', sealed: 1, updated_at: app.clock.now().toISOString() }).execute();
  const before = await sealedKeyIds(app);
  const keyBefore = fs.readFileSync(keyFile(app), 'utf8');
  let failed = false;
  try {
    await rotateKey(app.ctx.db, app.ctx.vault, src(app), app.clock.now().toISOString());
  } catch {
    failed = true;
  }
  assert.ok(failed);
  assert.equal(await sealedKeyIds(app), before);
  assert.is(fs.readFileSync(keyFile(app), 'utf8'), keyBefore);
  assert.not.ok(fs.existsSync(`${keyFile(app)}.new`), 'the unused new key is dropped');
  assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'smtp.password'), SMTP_PASSWORD);
});

test('a rotation interrupted after its commit (master.key.new left behind) is finished at the next start', async ({ app }) => {
  const oldKey = fs.readFileSync(keyFile(app), 'utf8');
  const { key } = await rotateKey(app.ctx.db, app.ctx.vault, src(app), app.clock.now().toISOString());
  await app.close();
  // As if the process died between the commit and the rename: the old key file, and the new one beside it.
  fs.writeFileSync(`${keyFile(app)}.new`, key.toString('hex') + '\n', { mode: 0o600 });
  fs.writeFileSync(keyFile(app), oldKey, { mode: 0o600 });

  const next = await reopen(app);
  assert.is(await getSetting(next.ctx.db, next.ctx.vault, 'smtp.password'), SMTP_PASSWORD);
  await next.close();
  assert.not.ok(fs.existsSync(`${keyFile(app)}.new`));
  assert.is(keyIdOf(parseKey(fs.readFileSync(keyFile(app), 'utf8'), 'test')), keyIdOf(key));
});

test('rotate-key with HABAR_MASTER_KEY prints the new key once, and only that key opens the file afterwards', async () => {
  const oldKey = generateKey().toString('hex');
  const app = await makeTestApp({ env: { HABAR_MASTER_KEY: oldKey } });
  try {
    await setSetting(app.ctx.db, app.ctx.vault, app.clock, 'smtp.password', SMTP_PASSWORD);
    await app.close();
    const r = await runHabarInProcess(['rotate-key', '--data-dir', app.dir], { env: { HABAR_MASTER_KEY: oldKey } });
    assert.is(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.is(lines.length, 1);
    const newKey = lines[0].match(/^new master key: ([0-9a-f]{64})$/)?.[1];
    assert.ok(newKey, r.stdout);
    assert.match(r.stderr, /Set HABAR_MASTER_KEY to the new key/);
    assert.not.ok(r.stderr.includes(newKey!) || r.stderr.includes(oldKey));
    assert.not.ok(fs.existsSync(path.join(app.dir, 'master.key')), 'no key file is written when the key lives in the environment');

    assert.match(await refusal(reopen(app, { HABAR_MASTER_KEY: oldKey })), /does not match/);
    const next = await reopen(app, { HABAR_MASTER_KEY: newKey! });
    assert.is(await getSetting(next.ctx.db, next.ctx.vault, 'smtp.password'), SMTP_PASSWORD);
    await next.close();
  } finally {
    fs.rmSync(app.dir, { recursive: true, force: true });
  }
});

test.run();
