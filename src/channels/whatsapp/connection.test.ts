import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import { FakeWaNetwork, ManualTimers, closeError } from '../../testing/fake-wa-socket.ts';
import { CHANNEL_DRIVERS, createChannelAccount, findChannelAccount, type ChannelAccount, type ChannelDriver } from '../index.ts';
import { makeWhatsappDriver } from './index.ts';

// The connection supervisor, driven through the real adapter with the socket replaced at its boundary.

interface Ctx { app: TestApp; net: FakeWaNetwork; timers: ManualTimers; account: ChannelAccount; driver: ChannelDriver }
const test = suite<Ctx>('whatsapp: connection supervisor');

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 2000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const statusOf = async (ctx: Ctx, id = ctx.account.id) => (await findChannelAccount(ctx.app.ctx.db, id))!;
const authRows = (ctx: Ctx, id = ctx.account.id) => ctx.app.ctx.db.selectFrom('whatsapp_auth_keys').select('type').where('channel_account_id', '=', id).execute();

test.before.each(async (ctx) => {
  ctx.net = new FakeWaNetwork();
  ctx.timers = new ManualTimers();
  const driver = ctx.driver = makeWhatsappDriver({ sockets: ctx.net.factory, timers: ctx.timers, random: () => 1, typing: { msPerChar: 0, minMs: 0, maxMs: 0 } });
  ctx.app = await makeTestApp({ channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
  const client = await buildClient(ctx.app);
  const { db, clock, vault } = ctx.app.ctx;
  ctx.account = await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'whatsapp', name: 'Shop' }, ctx.app.ctx.channels.registry);
  await ctx.app.ctx.channels.start();
  await until('the first socket', () => ctx.net.sockets.length === 1);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('QR codes rotate live; scanning connects and shows the number and profile name', async (ctx) => {
  const { app, net, account } = ctx;
  assert.is((await statusOf(ctx)).status, 'connecting');
  net.current.emit('connection.update', { qr: '2@first-ref,abc' });
  await until('qr status', async () => (await statusOf(ctx)).status === 'qr');
  assert.equal(app.ctx.channels.pairing(account.id), { kind: 'qr', value: '2@first-ref,abc' });
  net.current.emit('connection.update', { qr: '2@second-ref,abc' });
  await until('the new code', () => app.ctx.channels.pairing(account.id)?.value === '2@second-ref,abc');
  net.current.user = { id: '77011234567:12@s.whatsapp.net', name: 'Flower Shop' };
  net.current.emit('connection.update', { connection: 'open' });
  await until('connected', async () => (await statusOf(ctx)).status === 'connected');
  const a = await statusOf(ctx);
  assert.equal([a.phone, a.profileName, a.lastError], ['+77011234567', 'Flower Shop', null]);
  assert.is(app.ctx.channels.pairing(account.id), undefined, 'no code once connected');
  assert.is(net.open().length, 1);
});

test('after the QR limit pairing stops as "qr_expired" and no new socket is made until someone starts again', async (ctx) => {
  for (let i = 1; i <= 7; i++) ctx.net.current.emit('connection.update', { qr: `ref-${i}` });
  await until('qr_expired', async () => (await statusOf(ctx)).status === 'qr_expired');
  assert.match((await statusOf(ctx)).lastError!, /QR code expired/);
  assert.equal([ctx.net.sockets.length, ctx.net.open().length, ctx.timers.size], [1, 0, 0]);
});

test('restartRequired (515) after pairing reconnects at once with the saved creds; a 401 right after it is not a logout', async (ctx) => {
  const { net } = ctx;
  net.current.emit('connection.update', { qr: 'ref-1' });
  // The phone scanned: Baileys saves the creds, then asks for a restart.
  net.current.options.auth.creds.me = { id: '77011234567:12@s.whatsapp.net' };
  net.current.emit('creds.update', { me: net.current.options.auth.creds.me });
  await until('creds saved', async () => (await authRows(ctx)).some((r) => r.type === 'creds'));
  net.current.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(515, 'Stream Errored (restart required)'), date: new Date() } });
  await until('a second socket', () => net.sockets.length === 2);
  assert.equal(ctx.timers.delays, [], 'no waiting before the restart');
  assert.equal(net.sockets[1].options.auth.creds.me?.id, '77011234567:12@s.whatsapp.net', 'the new socket has the saved creds');
  assert.is(net.open().length, 1, 'the old socket was ended first');
  net.current.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(401), date: new Date() } });
  await until('a retry scheduled', () => ctx.timers.size === 1);
  assert.is((await statusOf(ctx)).status, 'disconnected');
  assert.ok((await authRows(ctx)).some((r) => r.type === 'creds'), 'the creds are kept');
});

test('a logout on the phone (401) is final: keys deleted, status "logged_out" with its reason (published as channel.status), no retries', async (ctx) => {
  const { app, net } = ctx;
  const published: string[] = [];
  app.ctx.hub.subscribe((e) => { if (e.type === 'channel.status') published.push(e.channel.status); });
  net.current.emit('creds.update', {});
  net.current.emit('connection.update', { connection: 'open' });
  await until('connected', async () => (await statusOf(ctx)).status === 'connected');
  net.current.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(401, 'Intentional Logout'), date: new Date() } });
  await until('logged_out', async () => (await statusOf(ctx)).status === 'logged_out');
  assert.match((await statusOf(ctx)).lastError!, /logged this device out: scan the QR code again/);
  assert.equal(await authRows(ctx), []);
  assert.equal([net.sockets.length, net.open().length, ctx.timers.size], [1, 0, 0]);
  assert.equal(published, ['connected', 'logged_out']);
});

for (const [code, reason, what] of [
  [440, 'Stream Errored (conflict)', 'a session taken over elsewhere'],
  [403, 'Forbidden', 'a number WhatsApp forbids'],
  [500, 'Bad MAC', 'a broken session'],
] as const) {
  test(`${what} (${code}) stops retrying with status "reconnect_needed" and its reason`, async (ctx) => {
    ctx.net.current.emit('connection.update', { connection: 'open' });
    await until('connected', async () => (await statusOf(ctx)).status === 'connected');
    ctx.net.current.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(code, reason), date: new Date() } });
    await until('reconnect_needed', async () => (await statusOf(ctx)).status === 'reconnect_needed');
    assert.is((await statusOf(ctx)).lastError, `${reason} (${code})`);
    assert.equal([ctx.net.sockets.length, ctx.net.open().length, ctx.timers.size], [1, 0, 0]);
  });
}

test('a storm of closes backs off exponentially up to the cap, one socket at a time, and the reason shows', async (ctx) => {
  const { net, timers } = ctx;
  for (let i = 0; i < 9; i++) {
    net.current.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(428, 'Connection Terminated'), date: new Date() } });
    await until(`retry ${i + 1} scheduled`, () => timers.size === 1);
    assert.is(net.open().length, 0, 'the closed socket is ended before the next');
    if (i === 0) assert.is((await statusOf(ctx)).lastError, 'Connection Terminated (428)');
    timers.fire();
    await until(`socket ${i + 2}`, () => net.sockets.length === i + 2);
    if (i === 0) assert.equal([(await statusOf(ctx)).status, (await statusOf(ctx)).lastError], ['connecting', 'Connection Terminated (428)'], 'each attempt shows, with the last reason');
  }
  assert.equal(timers.delays, [5000, 10000, 20000, 40000, 80000, 160000, 300000, 300000, 300000]);
  assert.is(net.open().length, 1);
  // Connected again: the next close starts from the first delay.
  net.current.emit('connection.update', { connection: 'open' });
  await until('connected', async () => (await statusOf(ctx)).status === 'connected');
  net.current.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(408), date: new Date() } });
  await until('retry', () => timers.size === 1);
  assert.is(timers.delays.at(-1), 5000);
});

test('after a restart the number reconnects with its saved session (no new scan); a redelivered message is stored once', async (ctx) => {
  const { app, net, account } = ctx;
  net.current.options.auth.creds.me = { id: '77011234567:12@s.whatsapp.net', name: 'Flower Shop' };
  net.current.emit('creds.update', { me: net.current.options.auth.creds.me });
  net.current.emit('connection.update', { connection: 'open' });
  const msg = { key: { id: 'OFFLINE1', remoteJid: '77019998877@s.whatsapp.net', fromMe: false }, message: { conversation: 'Sent while you were down' }, messageTimestamp: 1765000000 };
  net.current.emit('messages.upsert', { type: 'notify', messages: [msg] });
  const stored = () => app.ctx.db.selectFrom('messages').select('id').where('platform_message_id', '=', 'OFFLINE1').execute();
  await until('stored', async () => (await stored()).length === 1);
  const noiseKey = Buffer.from(net.current.options.auth.creds.noiseKey.private).toString('hex');
  await app.close();

  const net2 = new FakeWaNetwork();
  const driver = makeWhatsappDriver({ sockets: net2.factory, timers: new ManualTimers(), random: () => 1 });
  const again = await makeTestApp({ dir: app.dir, channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
  try {
    await again.ctx.channels.start();
    await until('a socket', () => net2.sockets.length === 1);
    const creds = net2.current.options.auth.creds;
    assert.equal([creds.me?.id, Buffer.from(creds.noiseKey.private).toString('hex')], ['77011234567:12@s.whatsapp.net', noiseKey], 'the saved session, no pairing');
    net2.current.emit('connection.update', { connection: 'open' });
    // WhatsApp redelivers what it had not seen acknowledged, and what arrived while down.
    net2.current.emit('messages.upsert', { type: 'append', messages: [msg, { ...msg, key: { ...msg.key, id: 'OFFLINE2' }, message: { conversation: 'And this one' } }] });
    await until('the new one', async () => !!(await again.ctx.db.selectFrom('messages').select('id').where('platform_message_id', '=', 'OFFLINE2').executeTakeFirst()));
    assert.is((await again.ctx.db.selectFrom('messages').select('id').where('platform_message_id', '=', 'OFFLINE1').execute()).length, 1);
    assert.is((await findChannelAccount(again.ctx.db, account.id))!.status, 'connected');
  } finally {
    await again.close();
  }
});

test('a corrupt creds row stops only its own number with a clear status; another number connects', async (ctx) => {
  const { app, net } = ctx;
  const { db, clock, vault } = app.ctx;
  net.current.emit('creds.update', {});
  await until('creds saved', async () => (await authRows(ctx)).some((r) => r.type === 'creds'));
  await app.ctx.channels.stop();
  await db.updateTable('whatsapp_auth_keys').set({ value: 'hv1.x.y.z' }).where('channel_account_id', '=', ctx.account.id).where('type', '=', 'creds').execute();
  const other = await createChannelAccount(db, clock, vault, { clientId: ctx.account.clientId, kind: 'whatsapp', name: 'Second' }, app.ctx.channels.registry);
  const before = net.sockets.length;
  await app.ctx.channels.start();
  await until('the error status', async () => (await statusOf(ctx)).status === 'error');
  assert.match((await statusOf(ctx)).lastError!, /saved WhatsApp session is damaged \(creds\)/);
  assert.is(net.sockets.length, before + 1, 'only the other number made a socket');
  net.current.emit('connection.update', { connection: 'open' });
  await until('the other connects', async () => (await statusOf(ctx, other.id)).status === 'connected');
});

test('a pairing code for a typed number; a bad number is a clear error; a connected number refuses', async (ctx) => {
  const { app, net, account } = ctx;
  await app.ctx.channels.stopAccount(account.id);
  const made = ctx.driver.create!(account, app.ctx.channels.host);
  const adapter = () => made;
  try {
    await adapter()!.requestPairingCode!('12ab');
    assert.unreachable();
  } catch (err) {
    assert.equal([(err as { code: string }).code, (err as { status: number }).status], ['invalid_phone', 400]);
  }
  const asked = adapter()!.requestPairingCode!('+7 701 123 45 67');
  await until('the new socket', () => net.sockets.length === 2);
  net.current.emit('connection.update', { qr: 'ref-1' }); // the socket is up: now the code can be asked for
  assert.is(await asked, 'ABCD1234');
  assert.equal(net.current.pairingRequests, ['77011234567']);
  assert.equal(made.pairing!(), { kind: 'code', value: 'ABCD1234' });
  net.current.emit('connection.update', { connection: 'open' });
  await until('connected', async () => (await statusOf(ctx)).status === 'connected');
  try {
    await adapter()!.requestPairingCode!('+77011234567');
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code: string }).code, 'already_connected');
  }
  await adapter()!.logout!();
  assert.equal([(await statusOf(ctx)).status, net.current.loggedOut, (await authRows(ctx)).length], ['logged_out', true, 0]);
});

test.run();
