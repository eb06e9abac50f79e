import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, loginAs, postForm, csrfFrom, CookieJar, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant, auditRowsOf, type ApiTenant } from '../testing/api-client.ts';
import { startSmtpStandIn, mailText, type SmtpStandIn } from '../testing/smtp-stand-in.ts';
import { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';

// Policy versions (policy section 11): a significant change is e-mailed to every client's contact
// address through the jobs table (retried until SMTP answers) at least 30 days before it takes
// effect; once in force, each owner accepts it at their next sign-in and the API says when.
type Ctx = { app: TestApp; clock: ManualClock; smtp: SmtpStandIn; a: ApiTenant; b: ApiTenant; admin: CookieJar };
const test = suite<Ctx>('policy versions');

const DAY = 86_400_000;

test.before.each(async (ctx) => {
  // 10:00 in Almaty on 15 January 2026.
  ctx.clock = new ManualClock('2026-01-15T05:00:00.000Z');
  ctx.app = await makeTestApp({ seed: false, clock: ctx.clock });
  ctx.smtp = await startSmtpStandIn();
  ctx.a = await buildApiTenant(ctx.app, 'acme');
  ctx.b = await buildApiTenant(ctx.app, 'beta');
  const { db } = ctx.app.ctx;
  await db.updateTable('clients').set({ contact_email: 'office@acme.kz' }).where('id', '=', ctx.a.client.id).execute();
  await db.updateTable('clients').set({ contact_email: 'info@beta.kz' }).where('id', '=', ctx.b.client.id).execute();
  const admin = await buildUser(ctx.app, 'admin', null, 'admin@operator.kz');
  ctx.admin = await loginAs(ctx.app, admin.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
  await ctx.smtp.close();
});

async function publish(ctx: Ctx, fields: Record<string, string>): Promise<Response> {
  const page = await ctx.app.request('/operator/policy', { jar: ctx.admin });
  assert.is(page.status, 200);
  return postForm(ctx.app, ctx.admin, '/operator/policy', fields, csrfFrom(await page.text()));
}

async function configureSmtp(ctx: Ctx) {
  const set = (k: string, v: string) => setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.clock, k, v);
  await set('smtp.host', '127.0.0.1');
  await set('smtp.port', String(ctx.smtp.port));
  await set('smtp.secure', 'false');
  await set('smtp.from', 'Habar <noreply@operator.kz>');
}

test('a significant change is e-mailed to every client’s contact address (else its owners) 30 days ahead, retried until SMTP is set; 29 days ahead is refused', async (ctx) => {
  const early = await publish(ctx, { body: '# Policy\n\nWe changed section 6.', effective_date: '2026-02-13', significant: 'on' });
  assert.is(early.status, 422);
  assert.match(await early.text(), /2026-02-14/);
  assert.is((await ctx.app.ctx.db.selectFrom('policy_versions').select('id').execute()).length, 0, 'nothing stored');

  // A client without a contact address is written to at its owners'.
  const c = await buildApiTenant(ctx.app, 'gamma');
  await buildUser(ctx.app, 'owner', c.client.id, 'boss@gamma.kz');
  await buildUser(ctx.app, 'agent', c.client.id, 'agent@gamma.kz');
  const ok = await publish(ctx, { body: '# Policy\n\nWe changed section 6: Chatwoot is a recipient.', effective_date: '2026-02-14', significant: 'on' });
  assert.is(ok.status, 303);
  // No SMTP yet: the notices wait in the jobs table with their error, nothing is lost.
  await ctx.app.ctx.jobs.drain();
  const waiting = await ctx.app.ctx.db.selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('kind', '=', 'policy.notice').execute();
  assert.is(waiting.length, 3);
  assert.ok(waiting.every((j) => j.status === 'pending' && j.attempts === 1 && /SMTP is not configured/.test(j.last_error ?? '')), JSON.stringify(waiting));
  assert.is(ctx.smtp.messages.length, 0);

  await configureSmtp(ctx);
  ctx.clock.advance(10 * 60_000);
  await ctx.app.ctx.jobs.drain();
  const toA = mailText(await ctx.smtp.waitFor('office@acme.kz'));
  const toB = mailText(await ctx.smtp.waitFor('info@beta.kz'));
  const toC = mailText(await ctx.smtp.waitFor('boss@gamma.kz'));
  for (const text of [toA, toB, toC]) {
    assert.match(text, /2026-02-14/);
    assert.match(text, /Chatwoot is a recipient/);
    assert.match(text, /\/policy\/[0-9a-z]{26}/);
  }
  assert.is(ctx.smtp.messages.length, 3, 'one e-mail per client, sent once');
  assert.not.ok(ctx.smtp.messages.some((m) => m.to.includes('agent@gamma.kz')), 'not to agents');
  await ctx.app.ctx.jobs.drain();
  assert.is(ctx.smtp.messages.length, 3, 'not sent twice');
  assert.is((await auditRowsOf(ctx.app, 'policy.published')).length, 1);
  // The operator's screen counts them.
  assert.match(await (await ctx.app.request('/operator/policy', { jar: ctx.admin })).text(), /отправлено 3, ожидает 0, с ошибкой 0/);
});

test('an effective date that is not on the calendar (31 February) is refused, not stored', async (ctx) => {
  const r = await publish(ctx, { body: 'Text', effective_date: '2026-02-31' });
  assert.is(r.status, 422);
  assert.is((await ctx.app.ctx.db.selectFrom('policy_versions').select('id').execute()).length, 0);
});

test('GET /api/v1/policy shows the next version until it takes effect, then the current one with when an owner accepted it at sign-in', async (ctx) => {
  const { db } = ctx.app.ctx;
  assert.equal((await ctx.a.api('GET', '/api/v1/policy')).body, { current: null, next: null });
  assert.is((await publish(ctx, { body: 'First text', effective_date: '2026-01-15' })).status, 303);
  assert.is((await publish(ctx, { body: 'Second text', effective_date: '2026-02-14', significant: 'on' })).status, 303);
  const before = (await ctx.a.api('GET', '/api/v1/policy')).body;
  assert.is(before.current.effective_date, '2026-01-15');
  assert.is(before.current.significant, false);
  assert.equal(Object.keys(before.current).sort(), ['accepted_at', 'effective_date', 'id', 'significant']);
  assert.is(before.next.effective_date, '2026-02-14');
  assert.is(before.next.significant, true);
  assert.is(before.next.accepted_at, null);

  // 30 days later (a moved clock) the second version is in force; the owner is asked at sign-in.
  ctx.clock.advance(30 * DAY);
  const after = (await ctx.a.api('GET', '/api/v1/policy')).body;
  assert.is(after.current.id, before.next.id);
  assert.is(after.next, null);
  assert.is(after.current.accepted_at, null);

  const owner = await buildUser(ctx.app, 'owner', ctx.a.client.id, 'owner@acme.kz');
  const agent = await buildUser(ctx.app, 'agent', ctx.a.client.id, 'agent@acme.kz');
  const jar = await loginAs(ctx.app, agent.email, TEST_PASSWORD);
  assert.ok(jar.get('habar_session'), 'an agent signs in as usual');
  const ownerJar = new CookieJar();
  const loginPage = await ctx.app.request('/login', { jar: ownerJar });
  const signIn = await postForm(ctx.app, ownerJar, '/login', { email: owner.email, password: TEST_PASSWORD }, csrfFrom(await loginPage.text()));
  assert.is(signIn.headers.get('location'), '/policy/accept');
  const acceptPage = await ctx.app.request('/policy/accept', { jar: ownerJar });
  const html = await acceptPage.text();
  assert.match(html, /Second text/);
  const res = await postForm(ctx.app, ownerJar, '/policy/accept', { version_id: after.current.id, next: '/' }, csrfFrom(html));
  assert.is(res.status, 303);
  const accepted = (await ctx.a.api('GET', '/api/v1/policy')).body.current;
  assert.is(accepted.accepted_at, ctx.clock.now().toISOString());
  assert.is((await ctx.b.api('GET', '/api/v1/policy')).body.current.accepted_at, null, 'another client’s acceptance is its own');
  const rows = await db.selectFrom('policy_acceptances').selectAll().execute();
  assert.is(rows.length, 1);
  assert.is(rows[0].user_id, owner.id);
  assert.is((await auditRowsOf(ctx.app, 'policy.accepted')).length, 1);
  // Signed in again: straight on.
  const again = new CookieJar();
  const p2 = await ctx.app.request('/login', { jar: again });
  assert.is((await postForm(ctx.app, again, '/login', { email: owner.email, password: TEST_PASSWORD }, csrfFrom(await p2.text()))).headers.get('location'), '/');
});

test('only admins publish; the text is readable at its link; an owner of one client cannot accept for another', async (ctx) => {
  const support = await buildUser(ctx.app, 'support', null, 'support@operator.kz');
  const sjar = await loginAs(ctx.app, support.email, TEST_PASSWORD);
  assert.is((await ctx.app.request('/operator/policy', { jar: sjar })).status, 403);
  const owner = await buildUser(ctx.app, 'owner', ctx.a.client.id, 'owner@acme.kz');
  const ojar = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  assert.is((await ctx.app.request('/operator/policy', { jar: ojar })).status, 403);
  const csrf = csrfFrom(await (await ctx.app.request('/', { jar: ojar })).text());
  const forged = await postForm(ctx.app, ojar, '/operator/policy', { body: 'x', effective_date: '2026-03-01' }, csrf);
  assert.is(forged.status, 403);
  assert.is((await ctx.app.ctx.db.selectFrom('policy_versions').select('id').execute()).length, 0);
  await publish(ctx, { body: 'Text <b>one</b>', effective_date: '2026-01-15' });
  const v = await ctx.app.ctx.db.selectFrom('policy_versions').select('id').executeTakeFirstOrThrow();
  const page = await (await ctx.app.request(`/policy/${v.id}`)).text();
  assert.match(page, /Text &lt;b&gt;one&lt;\/b&gt;/);
  assert.is((await ctx.app.request('/policy/00000000000000000000000000')).status, 404);
  // A wrong version id is refused and records nothing.
  const bad = await postForm(ctx.app, ojar, '/policy/accept', { version_id: 'nope', next: '/' }, csrf);
  assert.is(bad.status, 404);
  assert.is((await ctx.app.ctx.db.selectFrom('policy_acceptances').select('id').execute()).length, 0);
});

test.run();
