import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { BufferJSON, Curve, proto, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import { rotateKey } from '../../vault/index.ts';
import type { ManualClock } from '../../lib/clock.ts';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import { createChannelAccount, type ChannelAccount } from '../index.ts';
import { AUTH_CONTEXT, CorruptAuthStateError, eraseContactKeys, deleteAccountKeys, loadSealedAuthState } from './auth-state.ts';

interface Ctx { app: TestApp; account: ChannelAccount; other: ChannelAccount }
const test = suite<Ctx>('whatsapp: sealed auth state');

const PHONE = '77011234567';
const LID = '190283746501234';

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  const client = await buildClient(ctx.app);
  const { db, clock, vault } = ctx.app.ctx;
  ctx.account = await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'whatsapp', name: 'Shop' });
  ctx.other = await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'whatsapp', name: 'Second' });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

/** One key of every type Baileys stores, several naming the contact (PHONE, LID). */
function everyKeyType(): SignalDataSet {
  return {
    'pre-key': { 1: Curve.generateKeyPair(), 2: Curve.generateKeyPair() },
    session: { [`${PHONE}.0`]: randomBytes(300), [`${LID}_1.2`]: randomBytes(280), '77779998877.0': randomBytes(64) },
    'sender-key': { [`120363025246125486@g.us::${PHONE}::0`]: randomBytes(120) },
    'sender-key-memory': { '120363025246125486@g.us': { [`${PHONE}@s.whatsapp.net`]: true } },
    'app-state-sync-key': { AAAAAE2X: proto.Message.AppStateSyncKeyData.fromObject({ keyData: randomBytes(32), timestamp: 1700000000 }) },
    'app-state-sync-version': { critical_block: { version: 7, hash: randomBytes(128), indexValueMap: { abc: { valueMac: randomBytes(32) } } } },
    'lid-mapping': { [PHONE]: LID, [`${LID}_reverse`]: PHONE },
    'device-list': { [PHONE]: ['0', '3'] },
    tctoken: { [`${PHONE}@s.whatsapp.net`]: { token: randomBytes(24), timestamp: '1700000000' } },
    'identity-key': { [`${PHONE}@s.whatsapp.net`]: randomBytes(33) },
  };
}

const serialised = (v: unknown) => JSON.stringify(v, BufferJSON.replacer);

async function readAll(app: TestApp, account: ChannelAccount, written: SignalDataSet) {
  const auth = await loadSealedAuthState(app.ctx, account);
  const out: Record<string, Record<string, unknown>> = {};
  for (const type of Object.keys(written) as (keyof SignalDataTypeMap)[]) out[type] = await auth.state.keys.get(type, Object.keys(written[type]!));
  return { auth, out };
}

test('a restart keeps the creds and every key of every type byte-identical', async (ctx) => {
  const first = await loadSealedAuthState(ctx.app.ctx, ctx.account);
  const written = everyKeyType();
  await first.state.keys.set(written);
  first.state.creds.me = { id: `${PHONE}:12@s.whatsapp.net`, name: 'Shop' };
  await first.saveCreds();
  const creds = serialised(first.state.creds);
  await ctx.app.close();

  const again = await makeTestApp({ dir: ctx.app.dir });
  try {
    const { auth, out } = await readAll(again, ctx.account, written);
    assert.is(serialised(auth.state.creds), creds, 'creds byte-identical');
    for (const type of Object.keys(written)) assert.is(serialised(out[type]), serialised(written[type as keyof SignalDataSet]), `${type} byte-identical`);
    assert.instance(out['app-state-sync-key'].AAAAAE2X, proto.Message.AppStateSyncKeyData, 'app-state sync keys come back as proto objects');
    // A null in a batch deletes the key.
    await auth.state.keys.set({ session: { [`${PHONE}.0`]: null } });
    const fresh = await loadSealedAuthState(again.ctx, ctx.account);
    assert.equal(await fresh.state.keys.get('session', [`${PHONE}.0`]), {});
  } finally {
    await again.cleanup();
  }
});

test('no creds, session key, phone number or LID is in the data file or its WAL in plain text', async (ctx) => {
  const auth = await loadSealedAuthState(ctx.app.ctx, ctx.account);
  const written = everyKeyType();
  await auth.state.keys.set(written);
  auth.state.creds.me = { id: `${PHONE}:12@s.whatsapp.net`, name: 'Shop' };
  await auth.saveCreds();
  const file = path.join(ctx.app.dir, 'habar.db');
  const bytes = () => Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
  const secrets: [string, Buffer][] = [
    ['noise private key', Buffer.from(auth.state.creds.noiseKey.private)],
    ['identity private key', Buffer.from(auth.state.creds.signedIdentityKey.private)],
    ['session', Buffer.from(written.session![`${PHONE}.0`] as Uint8Array)],
    ['sender key', Buffer.from(written['sender-key']![`120363025246125486@g.us::${PHONE}::0`] as Uint8Array)],
  ];
  const texts = [PHONE, LID, Buffer.from(auth.state.creds.noiseKey.private).toString('base64'), Buffer.from(written.session![`${PHONE}.0`] as Uint8Array).toString('base64')];
  for (const when of ['before checkpoint', 'after checkpoint']) {
    const all = bytes();
    assert.ok(all.includes(Buffer.from(ctx.account.name)), `${when}: the scan sees plain rows`);
    for (const [name, b] of secrets) assert.not.ok(all.includes(b.subarray(0, 16)), `${when}: ${name} raw bytes absent`);
    for (const t of texts) assert.not.ok(all.includes(Buffer.from(t)), `${when}: ${t.slice(0, 6)}… absent`);
    ctx.app.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
});

test('a corrupt key row fails its own number\'s read with a clear error, and another number reads on', async (ctx) => {
  const mine = await loadSealedAuthState(ctx.app.ctx, ctx.account);
  const theirs = await loadSealedAuthState(ctx.app.ctx, ctx.other);
  await mine.state.keys.set({ session: { [`${PHONE}.0`]: randomBytes(40) } });
  const theirSession = randomBytes(40);
  await theirs.state.keys.set({ session: { [`${PHONE}.0`]: theirSession } });
  await ctx.app.ctx.db.updateTable('whatsapp_auth_keys').set({ value: 'hv1.garbage' }).where('channel_account_id', '=', ctx.account.id).where('type', '=', 'session').execute();

  const heard: string[] = [];
  const reloaded = await loadSealedAuthState(ctx.app.ctx, ctx.account, { onCorrupt: (e) => heard.push(e.code) });
  try {
    await reloaded.state.keys.get('session', [`${PHONE}.0`]);
    assert.unreachable('the read fails');
  } catch (err) {
    assert.instance(err, CorruptAuthStateError);
    assert.match((err as Error).message, /saved WhatsApp session is damaged .*scan the QR code again/);
  }
  assert.equal(heard, ['whatsapp_session_corrupt']);
  const other = await loadSealedAuthState(ctx.app.ctx, ctx.other);
  assert.equal(Buffer.from((await other.state.keys.get('session', [`${PHONE}.0`]))[`${PHONE}.0`]), theirSession);
});

test('erasing a contact deletes their sessions, device list and LID mappings on every number, by the keyed hash; others stay', async (ctx) => {
  const a = await loadSealedAuthState(ctx.app.ctx, ctx.account);
  const b = await loadSealedAuthState(ctx.app.ctx, ctx.other);
  await a.state.keys.set(everyKeyType());
  await b.state.keys.set({ session: { [`${PHONE}.0`]: randomBytes(30), '77779998877.0': randomBytes(30) } });
  const deleted = await eraseContactKeys(ctx.app.ctx, ctx.account.clientId, [`+${PHONE}`, `${LID}@lid`]);
  // a: 2 sessions, sender key, sender-key memory is the group's (stays), 2 LID rows, device list, tctoken, identity key = 8; b: 1.
  assert.is(deleted, 9);
  const fresh = await loadSealedAuthState(ctx.app.ctx, ctx.account);
  assert.equal(Object.keys(await fresh.state.keys.get('session', [`${PHONE}.0`, `${LID}_1.2`, '77779998877.0'])), ['77779998877.0']);
  assert.equal(await fresh.state.keys.get('lid-mapping', [PHONE, `${LID}_reverse`]), {});
  assert.equal(Object.keys(await fresh.state.keys.get('pre-key', ['1', '2'])).sort(), ['1', '2']);
  const freshB = await loadSealedAuthState(ctx.app.ctx, ctx.other);
  assert.equal(Object.keys(await freshB.state.keys.get('session', [`${PHONE}.0`, '77779998877.0'])), ['77779998877.0']);
});

test('a running number stops using an erased contact\'s keys once its cache entry expires (five minutes)', async (ctx) => {
  const auth = await loadSealedAuthState(ctx.app.ctx, ctx.account);
  await auth.state.keys.set({ session: { [`${PHONE}.0`]: randomBytes(40) } });
  await eraseContactKeys(ctx.app.ctx, ctx.account.clientId, [PHONE]);
  assert.equal(Object.keys(await auth.state.keys.get('session', [`${PHONE}.0`])), [`${PHONE}.0`], 'still cached');
  (ctx.app.clock as ManualClock).advance(300_001);
  assert.equal(await auth.state.keys.get('session', [`${PHONE}.0`]), {}, 'read from the rows again: gone');
});

test('deleting a number\'s keys leaves the other number\'s; a rotated master key still finds every key', async (ctx) => {
  const a = await loadSealedAuthState(ctx.app.ctx, ctx.account);
  const b = await loadSealedAuthState(ctx.app.ctx, ctx.other);
  const session = randomBytes(50);
  await a.state.keys.set({ session: { [`${PHONE}.0`]: randomBytes(50) } });
  await b.state.keys.set({ session: { [`${PHONE}.0`]: session } });
  await a.saveCreds();
  assert.ok(await deleteAccountKeys(ctx.app.ctx.db, ctx.account.id) >= 3);
  const { vault, db, clock } = ctx.app.ctx;
  const before = (await db.selectFrom('whatsapp_auth_keys').select('value').where('channel_account_id', '=', ctx.other.id).execute()).map((r) => r.value);
  const { key } = await rotateKey(db, vault, { file: path.join(ctx.app.dir, 'master.key') }, clock.now().toISOString());
  await ctx.app.close();
  const again = await makeTestApp({ dir: ctx.app.dir });
  try {
    const after = (await again.ctx.db.selectFrom('whatsapp_auth_keys').select('value').where('channel_account_id', '=', ctx.other.id).execute()).map((r) => r.value);
    assert.not.equal(after, before, 'the rows were re-sealed under the new key');
    assert.ok(again.ctx.vault.open(after[0], AUTH_CONTEXT) !== undefined && key.length === 32);
    const reloaded = await loadSealedAuthState(again.ctx, ctx.other);
    assert.equal(Buffer.from((await reloaded.state.keys.get('session', [`${PHONE}.0`]))[`${PHONE}.0`]), session);
    assert.equal(await again.ctx.db.selectFrom('whatsapp_auth_keys').select('type').where('channel_account_id', '=', ctx.account.id).execute(), []);
  } finally {
    await again.cleanup();
  }
});

test.run();
