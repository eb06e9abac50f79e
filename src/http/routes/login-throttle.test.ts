import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, buildUser, CookieJar, csrfFrom, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import type { ManualClock } from '../../lib/clock.ts';
import { THROTTLE_RULES } from '../../auth/index.ts';

// Login throttling through the real login form, per account and per address (X-Forwarded-For behind --trust-proxy).
const test = suite<{ app: TestApp }>('login throttling');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ flags: { 'trust-proxy': 'true' }, seed: false });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

async function attempt(app: TestApp, email: string, password: string, ip: string): Promise<Response> {
  const jar = new CookieJar();
  const headers = { 'x-forwarded-for': ip };
  const csrf = csrfFrom(await (await app.request('/login', { jar, headers })).text());
  return app.request('/login', { method: 'POST', jar, body: new URLSearchParams({ _csrf: csrf, email, password }), headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
}

test('after 5 wrong passwords even the right one waits (429, Retry-After, a message); after the wait it works', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  for (let i = 0; i < 5; i++) assert.is((await attempt(app, user.email, 'wrong password', '198.51.100.1')).status, 401);
  const blocked = await attempt(app, user.email, TEST_PASSWORD, '198.51.100.1');
  assert.is(blocked.status, 429);
  assert.is(blocked.headers.get('retry-after'), String(THROTTLE_RULES.account.baseSeconds));
  assert.match(await blocked.text(), /Слишком много неудачных попыток. Повторите через 30 с./);
  // Another address does not get around the account's block.
  assert.is((await attempt(app, user.email, TEST_PASSWORD, '198.51.100.2')).status, 429);
  (app.clock as ManualClock).advance(30_000);
  assert.is((await attempt(app, user.email, TEST_PASSWORD, '198.51.100.1')).status, 303);
});

test('the delays grow: a wrong password after a block waits twice as long', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const clock = app.clock as ManualClock;
  for (let i = 0; i < 5; i++) await attempt(app, user.email, 'wrong password', '198.51.100.1');
  clock.advance(30_000);
  assert.is((await attempt(app, user.email, 'wrong again', '198.51.100.1')).status, 401);
  const blocked = await attempt(app, user.email, TEST_PASSWORD, '198.51.100.1');
  assert.is(blocked.headers.get('retry-after'), '60');
  clock.advance(59_000);
  assert.is((await attempt(app, user.email, TEST_PASSWORD, '198.51.100.1')).status, 429);
  clock.advance(1_000);
  assert.is((await attempt(app, user.email, TEST_PASSWORD, '198.51.100.1')).status, 303);
});

test('one address spraying many accounts is blocked, for every account, while others still sign in', async ({ app }) => {
  const victim = await buildUser(app, 'owner', (await buildClient(app)).id);
  for (let i = 0; i < THROTTLE_RULES.ip.free; i++) assert.is((await attempt(app, `nobody${i}@example.kz`, 'guess', '203.0.113.66')).status, 401);
  const blocked = await attempt(app, victim.email, TEST_PASSWORD, '203.0.113.66');
  assert.is(blocked.status, 429);
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  assert.is((await attempt(app, victim.email, TEST_PASSWORD, '203.0.113.67')).status, 303, 'the account itself is not blocked');
});

test('40 concurrent guesses at one account: at most 5 are checked (401), the rest wait (429), and the right password sent with them does not get in', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const headers = { 'x-forwarded-for': '198.51.100.9' };
  // Each request gets its own browser (jar and CSRF token) first, so the 41 posts race for real.
  const browsers = await Promise.all(Array.from({ length: 41 }, async () => {
    const jar = new CookieJar();
    return { jar, csrf: csrfFrom(await (await app.request('/login', { jar, headers })).text()) };
  }));
  const statuses = await Promise.all(browsers.map(({ jar, csrf }, i) => app.request('/login', {
    method: 'POST', jar, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email: user.email, password: i === 40 ? TEST_PASSWORD : `wrong guess ${i}` }),
  }).then((r) => r.status)));
  const wrong = statuses.slice(0, 40);
  const checked = wrong.filter((s) => s === 401).length;
  assert.ok(checked <= THROTTLE_RULES.account.free, `${checked} wrong passwords were checked`);
  assert.is(wrong.filter((s) => s === 429).length, 40 - checked);
  assert.is(statuses[40], 429, 'the right password waits too while the account is blocked');
  const sessions = await app.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
  assert.is(sessions.length, 0);
});

test('an unknown e-mail costs as much time as a known one', async ({ app }) => {
  const user = await buildUser(app, 'admin');
  const time = async (email: string) => {
    const t = performance.now();
    await attempt(app, email, 'wrong password', `192.0.2.${Math.floor(Math.random() * 200)}`);
    return performance.now() - t;
  };
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 3; i++) {
    known.push(await time(user.email));
    unknown.push(await time(`ghost${i}@example.kz`));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
  // Each answer includes one scrypt derivation (tens of ms); without the dummy hash an unknown e-mail answers in ~1 ms.
  assert.ok(median(unknown) > median(known) * 0.5, `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
});

test.run();
