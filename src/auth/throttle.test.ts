import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import type { ManualClock } from '../lib/clock.ts';
import { clearLoginFailures, loginWaitSeconds, recordLoginFailure, THROTTLE_RULES } from './throttle.ts';

const test = suite<{ app: TestApp; clock: ManualClock }>('login throttle');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.clock = ctx.app.clock as ManualClock;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const fail = async (app: TestApp, email: string, ip: string, n: number) => {
  for (let i = 0; i < n; i++) await recordLoginFailure(app.ctx.db, app.clock, email, ip);
};

test('four wrong passwords cost nothing; the fifth makes the next attempt wait', async ({ app }) => {
  await fail(app, 'a@x.kz', '10.0.0.1', 4);
  assert.is(await loginWaitSeconds(app.ctx.db, app.clock, 'a@x.kz', '10.0.0.1'), 0);
  await fail(app, 'a@x.kz', '10.0.0.1', 1);
  assert.is(await loginWaitSeconds(app.ctx.db, app.clock, 'a@x.kz', '10.0.0.1'), THROTTLE_RULES.account.baseSeconds);
  // The block is on the account, whatever address tries next.
  assert.is(await loginWaitSeconds(app.ctx.db, app.clock, 'A@X.kz ', '10.9.9.9'), THROTTLE_RULES.account.baseSeconds);
});

test('each further failure doubles the wait, up to the cap', async ({ app, clock }) => {
  const waits: number[] = [];
  await fail(app, 'a@x.kz', '10.0.0.1', 4);
  for (let i = 0; i < 8; i++) {
    await fail(app, 'a@x.kz', '10.0.0.1', 1);
    const w = await loginWaitSeconds(app.ctx.db, clock, 'a@x.kz', '10.0.0.1');
    waits.push(w);
    clock.advance(w * 1000);
  }
  assert.equal(waits, [30, 60, 120, 240, 480, 900, 900, 900]);
});

test('the wait runs out with time', async ({ app, clock }) => {
  await fail(app, 'a@x.kz', '10.0.0.1', 5);
  clock.advance(29_000);
  assert.is(await loginWaitSeconds(app.ctx.db, clock, 'a@x.kz', '10.0.0.1'), 1);
  clock.advance(1_000);
  assert.is(await loginWaitSeconds(app.ctx.db, clock, 'a@x.kz', '10.0.0.1'), 0);
});

test('failures an hour old are forgotten', async ({ app, clock }) => {
  await fail(app, 'a@x.kz', '10.0.0.1', 4);
  clock.advance(61 * 60 * 1000);
  await fail(app, 'a@x.kz', '10.0.0.1', 1);
  assert.is(await loginWaitSeconds(app.ctx.db, clock, 'a@x.kz', '10.0.0.1'), 0);
});

test('one address failing across many accounts is blocked for every account', async ({ app }) => {
  for (let i = 0; i < THROTTLE_RULES.ip.free; i++) await fail(app, `user${i}@x.kz`, '10.0.0.7', 1);
  assert.ok((await loginWaitSeconds(app.ctx.db, app.clock, 'someone-else@x.kz', '10.0.0.7')) > 0);
  assert.is(await loginWaitSeconds(app.ctx.db, app.clock, 'someone-else@x.kz', '10.0.0.8'), 0);
});

test('a good password clears the account count but not the address count', async ({ app }) => {
  for (let i = 0; i < THROTTLE_RULES.ip.free - 1; i++) await fail(app, 'a@x.kz', '10.0.0.1', 1);
  await clearLoginFailures(app.ctx.db, 'a@x.kz');
  await fail(app, 'b@x.kz', '10.0.0.1', 1);
  assert.ok((await loginWaitSeconds(app.ctx.db, app.clock, 'a@x.kz', '10.0.0.1')) > 0);
  assert.is(await loginWaitSeconds(app.ctx.db, app.clock, 'a@x.kz', '10.0.0.2'), 0);
});

test.run();
