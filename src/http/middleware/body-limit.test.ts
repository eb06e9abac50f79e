import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, CookieJar, type TestApp } from '../../testing/test-app.ts';
import { buildApiTenant } from '../../testing/api-client.ts';
import { DEFAULT_BODY_LIMIT } from './body-limit.ts';

const test = suite('request body limits');
let app: TestApp;
let key: string;

test.before(async () => {
  app = await makeTestApp();
  key = (await buildApiTenant(app, 'uploads')).key;
});
test.after(async () => app.cleanup());

const MB = 1024 * 1024;

/** A body of `size` bytes that counts how much of it the server pulled. */
function countedBody(size: number) {
  const chunk = new Uint8Array(64 * 1024).fill(97);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      controller.enqueue(chunk.subarray(0, n));
    },
  }, { highWaterMark: 0 });
  return { stream, read: () => sent };
}

async function post(path: string, size: number, opts: { declared?: boolean; headers?: Record<string, string>; jar?: CookieJar } = {}) {
  const body = countedBody(size);
  const headers: Record<string, string> = { 'content-type': 'multipart/form-data; boundary=xyz', ...opts.headers };
  if (opts.declared !== false) headers['content-length'] = String(size);
  const res = await app.request(path, { method: 'POST', body: body.stream, headers, jar: opts.jar, duplex: 'half' } as RequestInit);
  await res.arrayBuffer();
  return { status: res.status, read: body.read() };
}

test('anonymous 25 MB posts to upload-looking paths are refused before the body is read', async () => {
  const anon = new CookieJar();
  await app.request('/login', { jar: anon }); // holds a pre-session CSRF cookie, as any visitor can
  for (const path of ['/nope/attachments', '/nope/restore', '/clients/demo/inbox/x/reply', '/api/v1/attachments', '/login']) {
    for (const jar of [undefined, anon]) {
      const r = await post(path, 25 * MB, { jar });
      assert.ok(r.status === 413 || r.status === 403, `${path}: ${r.status}`);
      assert.is(r.read, 0, `${path}: nothing of the body was read`);
    }
  }
  const badKey = await post('/api/v1/attachments', 25 * MB, { headers: { authorization: 'Bearer hb_not_a_key' } });
  assert.is(badKey.status, 413);
  assert.is(badKey.read, 0);
});

test('a chunked anonymous body (no declared length) is cut off at the default limit', async () => {
  const anon = new CookieJar();
  await app.request('/login', { jar: anon });
  const r = await post('/nope/attachments', 25 * MB, { declared: false, jar: anon });
  assert.is(r.status, 413);
  assert.ok(r.read <= DEFAULT_BODY_LIMIT + 128 * 1024, `read ${r.read} bytes`);
});

test('an integrator with a valid API key still uploads a file larger than the default limit', async () => {
  const form = new FormData();
  form.set('file', new File([new Uint8Array(3 * MB).fill(1)], 'scan.pdf', { type: 'application/pdf' }));
  const res = await app.request('/api/v1/attachments', { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  assert.is(res.status, 201, await res.clone().text());
  assert.is(((await res.json()) as { size: number }).size, 3 * MB);
});

test.run();
