import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, TEST_PASSWORD, type TestApp, type CookieJar } from '../testing/test-app.ts';
import { AUDIT_ACTIONS, LEGACY_AUDIT_ACTIONS, listAudit } from './index.ts';

// Rows written before the names were unified keep their stored name (the table is append-only);
// they read, filter and export under the current one.

const test = suite<{ app: TestApp; admin: CookieJar }>('audit action names');

const OLD_ROWS: Array<[string, string]> = [['a1', 'api_key.create'], ['a2', 'auth.login'], ['a3', 'auth.login_failed'], ['a4', 'ai.state.changed'], ['a5', 'support.access']];

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  const admin = await buildUser(ctx.app, 'admin', null, 'root@operator.kz');
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
  // As an earlier version wrote them (ids sort before every new row's).
  for (const [id, action] of OLD_ROWS) {
    await ctx.app.ctx.db.insertInto('audit_log').values({ id: `0000${id}`, at: '2026-01-05T10:00:00.000Z', actor_id: null, actor_label: 'old@habar.kz', action, client_id: null, target_type: null, target_id: null, ip: '', details: '{}' }).execute();
  }
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('every name is noun.verb_past and every old name maps to one of them', () => {
  for (const a of AUDIT_ACTIONS) assert.match(a, /^[a-z_]+\.[a-z_]+$/, a);
  for (const [old, now] of Object.entries(LEGACY_AUDIT_ACTIONS)) assert.ok((AUDIT_ACTIONS as readonly string[]).includes(now), `${old} → ${now}`);
});

test('an old row reads and filters under its new name, and its stored name is left as written', async ({ app }) => {
  const [key] = await listAudit(app.ctx.db, { action: 'api_key.created', actor: 'old@' });
  assert.is(key?.action, 'api_key.created');
  const auth = await listAudit(app.ctx.db, { action: 'auth.', actor: 'old@' });
  assert.equal(auth.map((r) => r.action), ['auth.sign_in_failed', 'auth.signed_in']);
  assert.equal((await listAudit(app.ctx.db, { action: 'auth.sign_in', actor: 'old@' })).map((r) => r.action), ['auth.sign_in_failed']);
  assert.equal((await listAudit(app.ctx.db, { action: 'ai_state.changed' })).map((r) => r.action), ['ai_state.changed']);
  assert.is((await listAudit(app.ctx.db, { action: 'ai.state', actor: 'old@' })).length, 0, 'the old name no longer selects it');
  const stored = await app.ctx.db.selectFrom('audit_log').select('action').where('id', '=', '0000a1').executeTakeFirstOrThrow();
  assert.is(stored.action, 'api_key.create');
});

test('old and new rows of one event are found together by the audit page and its export', async ({ app, admin }) => {
  const fresh = await app.request('/audit?action=auth.signed_in', { jar: admin });
  const page = await fresh.text();
  assert.is(fresh.status, 200);
  assert.match(page, /old@habar\.kz/, 'the old sign-in row');
  assert.match(page, /root@operator\.kz/, 'the admin’s own sign-in just now');
  assert.not.match(page, /<code>auth\.login/);
  const csv = await (await app.request('/audit.csv?action=support_access.', { jar: admin })).text();
  const lines = csv.trim().split('\r\n').slice(1);
  assert.is(lines.length, 1, csv);
  assert.match(lines[0], /old@habar\.kz,support_access\.used,/);
});

test.run();
