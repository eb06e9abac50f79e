import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, loginAs, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';

const test = suite('security headers');
let app: TestApp;
let chat: string;

test.before(async () => {
  app = await makeTestApp();
  const r = await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  chat = `/c/${r.public_token}`;
});
test.after(async () => app.cleanup());

function assertHardened(res: Response, what: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.ok(csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'"), `${what}: CSP (${csp || 'none'})`);
  assert.is(res.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.is(res.headers.get('x-frame-options'), 'DENY', `${what}: no framing`);
  assert.ok(/^[0-9a-f-]{36}$/.test(res.headers.get('x-request-id') ?? ''), `${what}: a request id`);
}

test('pages, redirects, JSON, errors, static files and the public chat all carry the security headers', async () => {
  const cases: Array<[string, Response]> = [
    ['login page', await app.request('/login')],
    ['redirect to login', await app.request('/')],
    ['unknown page', await app.request('/no/such/page')],
    ['static file', await app.request('/public/app.css')],
    ['API without a key', await app.request('/api/v1/conversations')],
    ['health check', await app.request('/healthz')],
    ['customer chat page', await app.request(chat)],
    ['customer JSON post', await app.request(`${chat}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi', message_id: 'sec-1' }) })],
    ['customer JSON post refused', await app.request(`${chat}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":' })],
  ];
  for (const [what, res] of cases) assertHardened(res, `${what} (${res.status})`);
  assert.is(cases[7][1].status, 201);
  assert.is(cases[8][1].status, 400);
});

test('each response has its own request id, and the chat page keeps its stricter referrer policy', async () => {
  const [a, b] = [await app.request('/login'), await app.request('/login')];
  assert.is.not(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
  assert.is(a.headers.get('referrer-policy'), 'same-origin');
  // The link's token is in its URL: the page must not leak it to sites it links to.
  assert.is((await app.request(chat)).headers.get('referrer-policy'), 'no-referrer');
});

test('every response to a signed-in request says no-store, so a shared browser or proxy keeps no copy', async () => {
  const admin = await buildUser(app, 'admin');
  const jar = await loginAs(app, admin.email, TEST_PASSWORD);
  const cases: Array<[string, Response]> = [
    ['dashboard', await app.request('/', { jar })],
    ['account page', await app.request('/account', { jar })],
    ['client inbox', await app.request('/clients/demo/inbox', { jar })],
    ['audit page', await app.request('/audit', { jar })],
    ['unknown page', await app.request('/no/such/page', { jar })],
    ['refused post (no CSRF token)', await app.request('/account/profile', { method: 'POST', jar })],
  ];
  for (const [what, res] of cases) assert.match(res.headers.get('cache-control') ?? '', /no-store/, `${what} (${res.status})`);
  assert.is(cases[0][1].status, 200);
  assert.is(cases[4][1].status, 404);
  // The stylesheet is the same for everyone: still cacheable.
  assert.match((await app.request('/public/app.css', { jar })).headers.get('cache-control') ?? '', /max-age/);
});

test.run();
