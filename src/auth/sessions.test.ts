import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, type TestApp } from '../testing/test-app.ts';
import type { ManualClock } from '../lib/clock.ts';
import { createSession, endAllSessions, listSessions, resolveSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, TOTP_PENDING_MS } from './sessions.ts';

const test = suite<{ app: TestApp; clock: ManualClock; userId: string }>('sessions');
const meta = { ip: '10.0.0.1', userAgent: 'test' };
const MIN = 60 * 1000;
const HOUR = 60 * MIN;

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.clock = ctx.app.clock as ManualClock;
  ctx.userId = (await buildUser(ctx.app, 'admin')).id;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('a session used within the idle limit stays alive', async ({ app, clock, userId }) => {
  const { token } = await createSession(app.ctx.db, clock, userId, meta);
  clock.advance(SESSION_IDLE_MS - MIN);
  assert.ok(await resolveSession(app.ctx.db, clock, token));
  clock.advance(SESSION_IDLE_MS - MIN);
  assert.ok(await resolveSession(app.ctx.db, clock, token), 'each use pushes the idle limit further');
});

test('a session unused for longer than the idle limit ends, for good', async ({ app, clock, userId }) => {
  const { token } = await createSession(app.ctx.db, clock, userId, meta);
  clock.advance(SESSION_IDLE_MS + MIN);
  assert.is(await resolveSession(app.ctx.db, clock, token), undefined);
  clock.set(new Date(clock.now().getTime() - SESSION_IDLE_MS));
  assert.is(await resolveSession(app.ctx.db, clock, token), undefined, 'the row is gone');
});

test('a session in constant use still ends at the absolute limit', async ({ app, clock, userId }) => {
  const { token } = await createSession(app.ctx.db, clock, userId, meta);
  let used = 0;
  while (used + 7 * HOUR < SESSION_ABSOLUTE_MS) {
    clock.advance(7 * HOUR);
    used += 7 * HOUR;
    assert.ok(await resolveSession(app.ctx.db, clock, token), `alive after ${used / HOUR} h`);
  }
  clock.advance(SESSION_ABSOLUTE_MS - used);
  assert.is(await resolveSession(app.ctx.db, clock, token), undefined);
});

test('a password without its second factor is good for ten minutes only', async ({ app, clock, userId }) => {
  const { token } = await createSession(app.ctx.db, clock, userId, { ...meta, totpPending: true });
  clock.advance(TOTP_PENDING_MS - MIN);
  assert.ok((await resolveSession(app.ctx.db, clock, token))?.session.totpPending);
  clock.advance(2 * MIN);
  assert.is(await resolveSession(app.ctx.db, clock, token), undefined);
});

test('logging out everywhere else keeps only the current session', async ({ app, clock, userId }) => {
  const a = await createSession(app.ctx.db, clock, userId, meta);
  const b = await createSession(app.ctx.db, clock, userId, meta);
  const c = await createSession(app.ctx.db, clock, userId, meta);
  assert.is((await listSessions(app.ctx.db, clock, userId)).length, 3);
  assert.is(await endAllSessions(app.ctx.db, userId, a.session.id), 2);
  assert.ok(await resolveSession(app.ctx.db, clock, a.token));
  assert.is(await resolveSession(app.ctx.db, clock, b.token), undefined);
  assert.is(await resolveSession(app.ctx.db, clock, c.token), undefined);
  assert.is(await endAllSessions(app.ctx.db, userId), 1);
  assert.is(await resolveSession(app.ctx.db, clock, a.token), undefined);
});

test.run();
