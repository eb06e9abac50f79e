import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, postForm, csrfFrom, CookieJar, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { recordAudit, SYSTEM_ACTOR, type AuditAction } from '../../audit/index.ts';
import { ManualClock } from '../../lib/clock.ts';

const test = suite<{ app: TestApp; admin: CookieJar }>('audit log screen');

test.before.each(async (ctx) => {
  // 23:30 in Almaty (UTC+5) on 2 March.
  ctx.app = await makeTestApp({ clock: new ManualClock('2026-03-02T18:30:00.000Z') });
  const admin = await buildUser(ctx.app, 'admin', null, 'root@operator.kz');
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('the CSV export is an attachment with the entries, and a formula typed as an e-mail is defused', async ({ app, admin }) => {
  const jar = new CookieJar();
  const page = await (await app.request('/login', { jar })).text();
  await postForm(app, jar, '/login', { email: '=HYPERLINK("http://evil.example","click")@evil.kz', password: 'wrong password' }, csrfFrom(page));
  await postForm(app, jar, '/login', { email: '+SUM(1+1)@evil.kz', password: 'wrong password' }, csrfFrom(page));
  const res = await app.request('/audit.csv', { jar: admin });
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/csv/);
  assert.match(res.headers.get('content-disposition')!, /^attachment; filename="habar-audit-20260302\.csv"$/);
  const csv = (await res.text()).replace(/^\ufeff/, '');
  const lines = csv.trim().split('\r\n');
  assert.is(lines[0], 'at,actor,action,client_id,target_type,target_id,ip,details');
  assert.ok(lines.some((l) => l.includes('auth.signed_in,') && l.includes('root@operator.kz')), 'the admin login is in the export');
  assert.ok(lines.some((l) => l.startsWith('2026-03-02T18:30:00.000Z,"\'=hyperlink(""http://evil.example"",""click"")@evil.kz",auth.sign_in_failed,')), csv);
  assert.ok(lines.some((l) => l.includes(",'+sum(1+1)@evil.kz,auth.sign_in_failed,")), csv);
  for (const line of lines) for (const cell of line.split(',')) assert.not.match(cell, /^"?[=+@]/, `a cell starts a formula: ${cell}`);
});

test('the export follows the same filters as the page', async ({ app, admin }) => {
  await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: 'client.updated', details: { fields: ['phone'] } });
  await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: 'user.created' });
  const csv = await (await app.request('/audit.csv?action=client.', { jar: admin })).text();
  assert.match(csv, /client\.updated/);
  assert.not.match(csv, /user\.created|auth\.login/);
  const html = await (await app.request('/audit?action=client.', { jar: admin })).text();
  assert.match(html, /client\.updated/);
  assert.not.match(html, /<code>user\.created/);
  assert.match(html, /href="\/audit\.csv\?action=client\."/);
});

test('date filters are calendar days in Almaty and times are shown in Almaty', async ({ app, admin }) => {
  await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: 'probe.late_on_the_2nd' as AuditAction });
  (app.clock as ManualClock).set('2026-03-02T19:30:00.000Z'); // 00:30 on 3 March in Almaty
  await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: 'probe.early_on_the_3rd' as AuditAction });
  const third = await (await app.request('/audit?action=probe.&from=2026-03-03', { jar: admin })).text();
  assert.match(third, /probe\.early_on_the_3rd/);
  assert.not.match(third, /probe\.late_on_the_2nd/);
  assert.match(third, /03\.03\.2026, 00:30/);
  const second = await (await app.request('/audit?action=probe.&from=2026-03-02&to=2026-03-02', { jar: admin })).text();
  assert.match(second, /probe\.late_on_the_2nd/);
  assert.not.match(second, /probe\.early_on_the_3rd/);
  assert.match(second, /02\.03\.2026, 23:30/);
  assert.is((await app.request('/audit?from=yesterday', { jar: admin })).status, 400);
});

test('a member sees times in the time zone their client set', async ({ app }) => {
  const client = await buildClient(app, { slug: 'moscow-branch' });
  await app.ctx.db.updateTable('clients').set({ timezone: 'Europe/Moscow' }).where('id', '=', client.id).execute();
  const owner = await buildUser(app, 'owner', client.id);
  const jar = await loginAs(app, owner.email, TEST_PASSWORD);
  await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: 'probe.zone' as AuditAction as AuditAction, clientId: client.id });
  const page = await (await app.request('/audit?action=probe.', { jar })).text();
  assert.match(page, /02\.03\.2026, 21:30/, '18:30 UTC is 21:30 in Moscow (not 23:30 Almaty)');
});

test('older entries are one click away, fifty to a page', async ({ app, admin }) => {
  for (let i = 0; i < 60; i++) {
    (app.clock as ManualClock).advance(1000);
    await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: `probe.n${String(i).padStart(2, '0')}` as AuditAction });
  }
  const first = await (await app.request('/audit?action=probe.', { jar: admin })).text();
  assert.is(first.match(/<code>probe\./g)?.length, 50);
  assert.match(first, /probe\.n59/);
  const older = first.match(/href="(\/audit\?[^"]*before=[^"]+)"/)![1].replaceAll('&amp;', '&');
  const second = await (await app.request(older, { jar: admin })).text();
  assert.is(second.match(/<code>probe\./g)?.length, 10);
  assert.match(second, /probe\.n00/);
  assert.not.match(second, /probe\.n10/);
});

test('owners see only their own client entries, in the page and the export', async ({ app }) => {
  const a = await buildClient(app, { slug: 'client-a' });
  const b = await buildClient(app, { slug: 'client-b' });
  await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: 'probe.for_a' as AuditAction as AuditAction, clientId: a.id });
  await recordAudit(app.ctx.db, app.ctx.clock, { actor: SYSTEM_ACTOR, action: 'probe.for_b' as AuditAction as AuditAction, clientId: b.id });
  const owner = await buildUser(app, 'owner', a.id);
  const jar = await loginAs(app, owner.email, TEST_PASSWORD);
  const html = await (await app.request('/audit', { jar })).text();
  assert.match(html, /probe\.for_a/);
  assert.not.match(html, /probe\.for_b|root@operator/);
  const csv = await (await app.request(`/audit.csv?client=${b.slug}`, { jar })).text();
  assert.match(csv, /probe\.for_a/);
  assert.not.match(csv, /probe\.for_b/);
});

test.run();
