import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, csrfFrom, buildUser, CookieJar, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant } from '../testing/api-client.ts';

// Malformed bodies must be refused as the client's fault (4xx), never answered 500 with a stack in the log.
const test = suite('malformed request bodies');
let app: TestApp;
let chat: string;
let apiKey: string;
let admin: CookieJar;
let adminCsrf: string;
let anon: CookieJar;

test.before(async () => {
  app = await makeTestApp();
  const r = await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  chat = `/c/${r.public_token}/messages`;
  apiKey = (await buildApiTenant(app, 'fuzz')).key;
  const user = await buildUser(app, 'admin');
  admin = await loginAs(app, user.email, TEST_PASSWORD);
  adminCsrf = csrfFrom(await (await app.request('/account', { jar: admin })).text());
  anon = new CookieJar();
  await app.request('/login', { jar: anon });
});
test.after(async () => app.cleanup());

/** A small seeded generator, so a failure names a reproducible case. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)], int: (n: number) => Math.floor(next() * n) };
}

const CONTENT_TYPES = [
  'multipart/form-data; boundary=xyz', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary="unterminated',
  'multipart/form-data; boundary=----b; charset=koi8-r', 'multipart/form-data; boundary=' + 'x'.repeat(300),
  'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-16', 'application/json', 'application/json; charset=latin1',
  'text/plain', 'application/octet-stream', 'multipart/mixed; boundary=xyz', ';;;', 'multipart/form-data; boundary="a b"; boundary=c',
];

function body(rng: ReturnType<typeof random>): Uint8Array | string {
  const bytes = () => Uint8Array.from({ length: rng.int(2000) }, () => rng.int(256));
  const part = (b: string) => `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello`;
  return rng.pick<() => Uint8Array | string>([
    () => 'garbage',
    bytes,
    () => '',
    () => part('xyz'),
    () => `${part('xyz')}\r\n--xyz--\r\n`.slice(0, rng.int(120)),
    () => `--xyz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--xyz--\r\n`,
    () => `--xyz\r\n\r\n\r\n--xyz--`,
    () => '%%%&=&_csrf=%E0%A4%A&text=%',
    () => '{"text": ',
    () => '[1,2,',
    () => '\u0000\uffff\ud800',
    () => `--xyz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${'a'.repeat(rng.int(5000))}`,
  ])();
}

interface Target { path: string; headers: () => Record<string, string>; jar?: () => CookieJar }
const targets = (): Target[] => [
  { path: '/login', headers: () => ({}) },
  { path: '/login', headers: () => ({}), jar: () => anon },
  { path: '/password/forgot', headers: () => ({}), jar: () => anon },
  { path: '/no/such/path', headers: () => ({}) },
  { path: '/nope/attachments', headers: () => ({}), jar: () => anon },
  { path: chat, headers: () => ({}) },
  { path: '/api/v1/attachments', headers: () => ({ authorization: `Bearer ${apiKey}` }) },
  { path: '/api/v1/conversations', headers: () => ({ authorization: `Bearer ${apiKey}` }) },
  { path: '/account/language', headers: () => ({}), jar: () => admin },
  { path: '/account/profile', headers: () => ({ 'x-csrf-token': adminCsrf }), jar: () => admin },
];

test('a few hundred malformed bodies and content types against form, upload, chat and API routes: never a 5xx, never an error in the log', async () => {
  const rng = random(9);
  const counts: Record<string, number> = {};
  const failures: string[] = [];
  const logsBefore = app.logs.length;
  const list = targets();
  for (let i = 0; i < 400; i++) {
    const t = list[i % list.length];
    const type = rng.pick(CONTENT_TYPES);
    const res = await app.request(t.path, { method: 'POST', jar: t.jar?.(), headers: { 'content-type': type, ...t.headers() }, body: body(rng) as string });
    await res.arrayBuffer();
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    if (res.status >= 500 && failures.length < 5) failures.push(`#${i} ${t.path} (${type}) → ${res.status}`);
  }
  const errors = app.logs.slice(logsBefore).filter((l) => JSON.parse(l).level === 'error');
  const summary = `400 requests, statuses ${JSON.stringify(counts)}, ${errors.length} error log lines`;
  if (process.env.HABAR_FUZZ_REPORT) console.log(summary);
  assert.equal(failures, [], summary);
  assert.is(errors.length, 0, `${summary}: ${errors[0]}`);
});

test('a multipart body without a valid boundary gets 400 with a message that says so', async () => {
  const bad = { 'content-type': 'multipart/form-data; boundary=xyz' };
  const login = await app.request('/login', { method: 'POST', jar: anon, headers: bad, body: 'garbage' });
  assert.is(login.status, 400);
  assert.match(await login.text(), /malformed|form body/i);
  const upload = await app.request('/api/v1/attachments', { method: 'POST', headers: { ...bad, authorization: `Bearer ${apiKey}` }, body: 'garbage' });
  assert.is(upload.status, 400);
  assert.match(((await upload.json()) as { error: { message: string } }).error.message, /multipart/i);
  const customer = await app.request(chat, { method: 'POST', headers: bad, body: 'garbage' });
  assert.is(customer.status, 400);
});

test.run();
