import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { makeTestApp, buildClient, type TestApp } from '../../testing/test-app.ts';
import { CHANNEL_DRIVERS, createChannelAccount, findChannelAccount } from '../index.ts';
import { makeWhatsappDriver } from './index.ts';

// A real Baileys socket with no route to WhatsApp (as on a machine without internet): it points at
// a closed 127.0.0.1 port. The supervisor backs off, the status and reason show, nothing else suffers.

const test = suite<{ app: TestApp; attempts: number[] }>('whatsapp: a real socket that cannot connect');

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

test.before.each(async (ctx) => {
  ctx.attempts = [];
  const port = await closedPort();
  const driver = makeWhatsappDriver({
    waWebSocketUrl: `ws://127.0.0.1:${port}/ws/chat`, connectTimeoutMs: 2000,
    onAttempt: () => void ctx.attempts.push(Date.now()),
  });
  ctx.app = await makeTestApp({ channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('the supervisor backs off (a handful of attempts a minute), the status and reason show, the app answers meanwhile', async (ctx) => {
  const { app } = ctx;
  const client = await buildClient(app);
  const account = await createChannelAccount(app.ctx.db, app.ctx.clock, app.ctx.vault, { clientId: client.id, kind: 'whatsapp', name: 'Offline' }, app.ctx.channels.registry);
  const started = Date.now();
  await app.ctx.channels.start();
  let a = await findChannelAccount(app.ctx.db, account.id);
  while (a!.status !== 'disconnected' && Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 50));
    a = await findChannelAccount(app.ctx.db, account.id);
  }
  assert.is(a!.status, 'disconnected');
  assert.ok(a!.lastError && a!.lastError.length > 0, `the reason shows: ${a!.lastError}`);
  // Meanwhile the appliance answers as usual.
  const health = await app.request('/healthz');
  assert.ok(health.status < 500);
  // The default policy's first retry comes 2.5–5 s later: within 6 s at most two attempts, never a loop.
  await new Promise((r) => setTimeout(r, Math.max(0, 6000 - (Date.now() - started))));
  assert.ok(ctx.attempts.length >= 1 && ctx.attempts.length <= 3, `attempts in 6 s: ${ctx.attempts.length}`);
  const sockets = await app.ctx.db.selectFrom('whatsapp_auth_keys').select('type').where('channel_account_id', '=', account.id).execute();
  assert.ok(sockets.some((r) => r.type === 'hash-key'), 'its auth state lives in sealed rows');
});

test.run();
