import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, buildClient, type TestApp } from '../testing/test-app.ts';
import type { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';
import { listAudit } from '../audit/index.ts';
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, passTotpLogin, totpCodeAt, totpRequiredFor, TOTP_CONTEXT } from './totp.ts';
import { createSession, resolveSession } from './sessions.ts';
import { getUser } from './users.ts';

const test = suite<{ app: TestApp; clock: ManualClock }>('totp');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.clock = ctx.app.clock as ManualClock;
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

async function enrolled(app: TestApp) {
  const user = await buildUser(app, 'admin');
  const { secret } = await beginTotpEnrolment(app.ctx.db, app.ctx.vault, app.clock, user.id);
  assert.ok(await confirmTotpEnrolment(app.ctx.db, app.ctx.vault, app.clock, user.id, totpCodeAt(secret, app.clock.now()), '10.0.0.1'));
  return { user: await getUser(app.ctx.db, user.id), secret };
}

test('enrolment stores the secret sealed and turns on only after a correct code', async ({ app, clock }) => {
  const user = await buildUser(app, 'admin');
  const e = await beginTotpEnrolment(app.ctx.db, app.ctx.vault, clock, user.id);
  assert.match(e.uri, /^otpauth:\/\/totp\/Habar:/);
  assert.match(e.secret, /^[A-Z2-7]{32}$/);
  const row = await app.ctx.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', user.id).executeTakeFirstOrThrow();
  assert.not.ok(row.totp_secret!.includes(e.secret), 'not stored in clear');
  assert.is(app.ctx.vault.open(row.totp_secret!, TOTP_CONTEXT), e.secret);
  assert.is(row.totp_enabled, 0);
  // A reload shows the same secret.
  assert.is((await beginTotpEnrolment(app.ctx.db, app.ctx.vault, clock, user.id)).secret, e.secret);
  assert.not.ok(await confirmTotpEnrolment(app.ctx.db, app.ctx.vault, clock, user.id, '000000', ''));
  assert.not.ok((await getUser(app.ctx.db, user.id)).totpEnabled);
  assert.ok(await confirmTotpEnrolment(app.ctx.db, app.ctx.vault, clock, user.id, totpCodeAt(e.secret, clock.now()), ''));
  assert.ok((await getUser(app.ctx.db, user.id)).totpEnabled);
  assert.ok((await listAudit(app.ctx.db, {})).some((a) => a.action === 'auth.totp_enabled'));
});

test('a code is accepted 30 s either side, and never twice', async ({ app, clock }) => {
  const { user, secret } = await enrolled(app);
  const session = async () => (await createSession(app.ctx.db, clock, user.id, { ip: '', userAgent: '', totpPending: true })).session;
  clock.advance(60_000);
  const pass = async (code: string) => passTotpLogin(app.ctx.db, app.ctx.vault, clock, { sessionId: (await session()).id, user, code, ip: '' }).then(() => true, () => false);
  assert.ok(await pass(totpCodeAt(secret, new Date(clock.now().getTime() - 30_000))), 'previous step');
  assert.not.ok(await pass(totpCodeAt(secret, new Date(clock.now().getTime() - 30_000))), 'same code again');
  assert.ok(await pass(totpCodeAt(secret, clock.now())));
  assert.not.ok(await pass(totpCodeAt(secret, clock.now())), 'replayed');
  assert.not.ok(await pass(totpCodeAt(secret, new Date(clock.now().getTime() + 120_000))), 'too far ahead');
});

test('the second factor lifts the pending session; wrong codes are audited and throttled', async ({ app, clock }) => {
  const { user, secret } = await enrolled(app);
  const { token, session } = await createSession(app.ctx.db, clock, user.id, { ip: '', userAgent: '', totpPending: true });
  for (let i = 0; i < 5; i++) {
    await passTotpLogin(app.ctx.db, app.ctx.vault, clock, { sessionId: session.id, user, code: '123456', ip: '' }).then(() => assert.unreachable(), (e) => assert.is(e.status, 401));
  }
  const err = await passTotpLogin(app.ctx.db, app.ctx.vault, clock, { sessionId: session.id, user, code: totpCodeAt(secret, clock.now()), ip: '' }).catch((e) => e);
  assert.is(err?.status, 429, 'after 5 wrong codes even the right one waits');
  assert.is(err.retryAfter, 30);
  clock.advance(30_000);
  await passTotpLogin(app.ctx.db, app.ctx.vault, clock, { sessionId: session.id, user, code: totpCodeAt(secret, clock.now()), ip: '' });
  assert.not.ok((await resolveSession(app.ctx.db, clock, token))!.session.totpPending);
  assert.is((await listAudit(app.ctx.db, {})).filter((a) => a.action === 'auth.totp_failed').length, 5);
});

test('20 concurrent wrong codes: at most 5 are checked, the rest wait, and the right code sent with them waits too', async ({ app, clock }) => {
  const { user, secret } = await enrolled(app);
  clock.advance(30_000);
  const { session } = await createSession(app.ctx.db, clock, user.id, { ip: '', userAgent: '', totpPending: true });
  const codes = [...Array.from({ length: 20 }, (_, i) => String(100000 + i)), totpCodeAt(secret, clock.now())];
  const statuses = await Promise.all(codes.map((code) => passTotpLogin(app.ctx.db, app.ctx.vault, clock, { sessionId: session.id, user, code, ip: '' }).then(() => 200, (e) => e.status as number)));
  const checked = statuses.slice(0, 20).filter((s) => s === 401).length;
  assert.ok(checked <= 5, `${checked} wrong codes were checked`);
  assert.is(statuses.slice(0, 20).filter((s) => s === 429).length, 20 - checked);
  assert.is(statuses[20], 429);
});

test('turning TOTP off needs a current code and is refused while a policy requires it', async ({ app, clock }) => {
  const { user, secret } = await enrolled(app);
  clock.advance(30_000);
  await disableTotp(app.ctx.db, app.ctx.vault, clock, user, '111111', '').then(() => assert.unreachable(), (e) => assert.is(e.code, 'invalid_totp'));
  await setSetting(app.ctx.db, app.ctx.vault, clock, 'security.staff_require_totp', 'true');
  await disableTotp(app.ctx.db, app.ctx.vault, clock, user, totpCodeAt(secret, clock.now()), '').then(() => assert.unreachable(), (e) => assert.is(e.status, 403));
  await setSetting(app.ctx.db, app.ctx.vault, clock, 'security.staff_require_totp', 'false');
  await disableTotp(app.ctx.db, app.ctx.vault, clock, user, totpCodeAt(secret, clock.now()), '');
  const row = await app.ctx.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', user.id).executeTakeFirstOrThrow();
  assert.equal(row, { totp_secret: null, totp_enabled: 0 });
});

test('the staff setting requires TOTP of staff; a client\'s flag requires it of its members only', async ({ app, clock }) => {
  const a = await buildClient(app);
  const b = await buildClient(app);
  const admin = await buildUser(app, 'support');
  const ownerA = await buildUser(app, 'owner', a.id);
  const ownerB = await buildUser(app, 'agent', b.id);
  assert.not.ok(await totpRequiredFor(app.ctx.db, app.ctx.vault, admin));
  await setSetting(app.ctx.db, app.ctx.vault, clock, 'security.staff_require_totp', 'true');
  assert.ok(await totpRequiredFor(app.ctx.db, app.ctx.vault, admin));
  assert.not.ok(await totpRequiredFor(app.ctx.db, app.ctx.vault, ownerA));
  await app.ctx.db.updateTable('clients').set({ require_totp: 1 }).where('id', '=', a.id).execute();
  assert.ok(await totpRequiredFor(app.ctx.db, app.ctx.vault, ownerA));
  assert.not.ok(await totpRequiredFor(app.ctx.db, app.ctx.vault, ownerB));
});

test.run();
