import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant } from '../testing/api-client.ts';

const test = suite('a client that disconnects mid-body');
let app: TestApp;
let url: URL;

test.before(async () => {
  app = await makeTestApp();
  url = new URL(await app.listen());
});
test.after(async () => app.cleanup());

/** Sends the headers and part of a declared body over a real socket, then hangs up. */
async function hangUpMidBody(path: string, headers: Record<string, string>, partial: string): Promise<void> {
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const head = Object.entries({ host: url.host, 'content-length': '100000', ...headers }).map(([k, v]) => `${k}: ${v}`).join('\r\n');
  socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n${partial}`);
  await new Promise((resolve) => setTimeout(resolve, 150));
  socket.destroy();
}

test('a dropped form post, upload or chat message is a debug line without a stack, not an error', async () => {
  const page = await fetch(`${url.origin}/login`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { key } = await buildApiTenant(app, 'gone');
  const chat = await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  const multipart = { 'content-type': 'multipart/form-data; boundary=xyz' };
  const part = '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\nhello';
  const before = app.logs.length;
  await hangUpMidBody('/login', { ...multipart, cookie }, part);
  await hangUpMidBody('/api/v1/attachments', { ...multipart, authorization: `Bearer ${key}` }, part);
  await hangUpMidBody(`/c/${chat.public_token}/messages`, { 'content-type': 'application/json' }, '{"text": "hel');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const lines = app.logs.slice(before).map((l) => JSON.parse(l));
  assert.equal(lines.filter((l) => l.level === 'error' || l.level === 'warn'), [], 'nothing at warn or error');
  assert.not.ok(lines.some((l) => l.stack), 'no stack');
  assert.is(lines.filter((l) => l.msg === 'client closed the connection mid-request' && l.level === 'debug').length, 3, JSON.stringify(lines));
});

test.run();
