import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, loginAs, postForm, csrfFrom, CookieJar, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import { runHabarInProcess } from '../testing/cli.ts';
import { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';
import { PERSONAL_DATA } from './registry.ts';

// Policy 5.2: the operator terminates a client; it is locked at once (members, API keys, channels)
// and purged entirely N days later (90 by default, configurable), with a dry-run report first. The
// audit log keeps that it happened, not what was deleted.

const DAY = 24 * 3600_000;
const T0 = '2026-06-01T09:00:00.000Z';

interface Ctx { app: TestApp; clock: ManualClock; acme: ApiTenant; other: ApiTenant; admin: CookieJar; owner: CookieJar; ownerEmail: string; pagePath: string }
const test = suite<Ctx>('termination of a client and the purge that follows it');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock(T0);
  ctx.app = await makeTestApp({ clock: ctx.clock, seed: false });
  ctx.acme = await buildApiTenant(ctx.app, 'acme');
  ctx.other = await buildApiTenant(ctx.app, 'other');
  ctx.ownerEmail = 'owner@acme-company.kz';
  await buildUser(ctx.app, 'owner', ctx.acme.client.id, ctx.ownerEmail);
  await buildUser(ctx.app, 'admin', null, 'admin@operator.kz');
  ctx.owner = await loginAs(ctx.app, ctx.ownerEmail, TEST_PASSWORD);
  ctx.admin = await loginAs(ctx.app, 'admin@operator.kz', TEST_PASSWORD);
  ctx.pagePath = (await ctx.app.ctx.db.selectFrom('channel_accounts').select('public_token').where('id', '=', ctx.acme.channel.id).executeTakeFirstOrThrow()).public_token!;
  await ctx.app.ctx.jobs.schedulePeriodic();
  await ctx.app.ctx.jobs.drain();
});
test.after.each(async (ctx) => { await ctx.app.cleanup(); });

const terminate = async ({ app, admin }: Ctx, slug = 'acme') => {
  const page = await app.request(`/clients/${slug}/termination`, { jar: admin });
  return postForm(app, admin, `/clients/${slug}/termination`, { confirm_slug: slug }, csrfFrom(await page.text()));
};

test('the operator terminates: members are signed out and cannot sign in, the API key and the channel stop at once', async (ctx) => {
  const { app, acme, owner, ownerEmail } = ctx;
  await acme.customerSays('before termination', 'aigerim');
  assert.is((await app.request('/clients/acme', { jar: owner })).status, 200);

  const page = await app.request('/clients/acme/termination', { jar: ctx.admin });
  assert.is(page.status, 200);
  const text = await page.text();
  assert.match(text, /data-table="messages"/, 'the dry run lists the tables');
  const wrong = await postForm(app, ctx.admin, '/clients/acme/termination', { confirm_slug: 'acm' }, csrfFrom(text));
  assert.is(wrong.status, 422, 'a mistyped confirmation changes nothing');
  assert.is((await app.ctx.db.selectFrom('clients').select('status').where('id', '=', acme.client.id).executeTakeFirstOrThrow()).status, 'active');

  assert.is((await terminate(ctx)).status, 303);
  const row = await app.ctx.db.selectFrom('clients').selectAll().where('id', '=', acme.client.id).executeTakeFirstOrThrow();
  assert.is(row.status, 'terminated');
  assert.is(row.terminated_at, T0);
  const after = await app.request('/clients/acme', { jar: owner });
  assert.is(after.status, 303, 'the open session ended');
  const jar = new CookieJar();
  const again = await postForm(app, jar, '/login', { email: ownerEmail, password: TEST_PASSWORD }, csrfFrom(await (await app.request('/login', { jar })).text()));
  assert.is(again.status, 403);
  assert.match(await again.text(), /terminated|закрыта|жабылды/);
  const api = await acme.api('GET', '/api/v1/conversations');
  assert.is(api.status, 403);
  assert.is(api.body.error.code, 'client_inactive');
  const customer = await app.request(`/c/${ctx.pagePath}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'after termination', customer: 'aigerim' }) });
  assert.is(customer.status, 404, "the channel takes nothing in");
  const texts = (await app.ctx.db.selectFrom('messages').select('text').where('client_id', '=', acme.client.id).execute()).map((m) => m.text);
  assert.not.ok(texts.includes('after termination'));
  assert.is((await ctx.other.api('GET', '/api/v1/conversations')).status, 200, 'another client goes on');
  const audit = await app.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'client.terminated').execute();
  assert.is(audit.length, 1);
  assert.is(audit[0].actor_label, 'admin@operator.kz');
  assert.is((await terminate(ctx)).status, 409, 'terminating twice is refused');
});

test('only the operator\'s admins terminate: the owner gets 403 and nothing changes', async (ctx) => {
  const { app, owner } = ctx;
  assert.is((await app.request('/clients/acme/termination', { jar: owner })).status, 403);
  const res = await postForm(app, owner, '/clients/acme/termination', { confirm_slug: 'acme' });
  assert.is(res.status, 403);
  assert.is((await app.ctx.db.selectFrom('clients').select('status').where('slug', '=', 'acme').executeTakeFirstOrThrow()).status, 'active');
});

test('the purge: nothing before 90 days; then every registered table is emptied of the client, its files go, the audit log keeps that it happened', async (ctx) => {
  const { app, clock, acme, other } = ctx;
  await acme.customerSays('Сәлем, Aigerim here, phone +77015554433', 'aigerim');
  const form = new FormData();
  form.set('file', new File([new Uint8Array(512).fill(9)], 'passport.jpg', { type: 'image/jpeg' }));
  assert.is((await app.request('/api/v1/attachments', { method: 'POST', headers: { authorization: `Bearer ${acme.key}` }, body: form })).status, 201);
  assert.is((await acme.api('POST', '/api/v1/exports')).status, 202);
  await app.ctx.jobs.drain();
  await other.customerSays('other client keeps this', 'dana');
  assert.is((await terminate(ctx)).status, 303);

  clock.set(new Date(Date.parse(T0) + 89 * DAY));
  await app.ctx.jobs.drain();
  assert.is((await app.ctx.db.selectFrom('messages').select('id').where('client_id', '=', acme.client.id).execute()).length, 1, 'not yet');
  const admin = await loginAs(app, 'admin@operator.kz', TEST_PASSWORD); // 89 days: the old session ended long ago
  const plan = await (await app.request('/clients/acme/termination', { jar: admin })).text();
  assert.match(plan, /id="termination-status"[^]*30\.08\.2026/, 'the page says when the purge is due');

  clock.set(new Date(Date.parse(T0) + 90 * DAY + 1000));
  await app.ctx.jobs.drain();
  for (const t of PERSONAL_DATA.filter((t) => t.byClient && !t.derivedFrom && !t.clientPurge)) {
    const by = t.byClient!;
    const q = 'in' in by
      ? `select count(*) as n from ${t.table} where ${by.column} in (select id from ${by.in.table} where ${by.in.key} = ?)`
      : `select count(*) as n from ${t.table} where ${by.column} = ?`;
    assert.is((app.ctx.sqlite.prepare(q).get(acme.client.id) as { n: number }).n, 0, `${t.table} emptied`);
  }
  const tomb = await app.ctx.db.selectFrom('clients').selectAll().where('id', '=', acme.client.id).executeTakeFirstOrThrow();
  assert.is(tomb.name, '');
  assert.not.match(tomb.slug, /acme/);
  assert.ok(tomb.purged_at);
  assert.not.ok(fs.existsSync(path.join(app.dir, 'attachments', acme.client.id)), 'attachment files gone');
  assert.equal(fs.readdirSync(path.join(app.dir, 'exports')), [], 'export files gone');
  const audit = await app.ctx.db.selectFrom('audit_log').selectAll().where('client_id', '=', acme.client.id).execute();
  assert.ok(audit.some((a) => a.action === 'client.purged'));
  assert.ok(audit.some((a) => a.action === 'client.terminated'), 'the audit log keeps that it happened');
  const everything = JSON.stringify(audit);
  assert.not.ok(everything.includes(ctx.ownerEmail), "members' labels are pseudonymised");
  assert.not.ok(everything.includes('Aigerim'), 'nothing of what was deleted');
  assert.equal((await app.ctx.db.selectFrom('messages').select('text').where('client_id', '=', other.client.id).execute()).map((m) => m.text), ['other client keeps this']);
  assert.is((await other.api('GET', '/api/v1/conversations')).status, 200);
});

test('the purge delay is a global setting; the CLI terminates and prints the dry run', async (ctx) => {
  const { app, clock, acme } = ctx;
  await setSetting(app.ctx.db, app.ctx.vault, clock, 'privacy.purge_after_days', '30');
  await acme.customerSays('bye', 'aigerim');
  const dry = await runHabarInProcess(['client', 'terminate', '--data-dir', app.dir, '--slug', 'acme']);
  assert.is(dry.code, 2, 'without --yes nothing changes');
  assert.match(dry.stdout, /messages\t1\tdelete/);
  assert.match(dry.stdout, /audit_log\t\d+\tkeep/);
  assert.match(dry.stdout, /clients\t1\tstrip \(name, contact_email, phone, invoice_address, contact_persons\)/);
  assert.is((await app.ctx.db.selectFrom('clients').select('status').where('id', '=', acme.client.id).executeTakeFirstOrThrow()).status, 'active');
  const done = await runHabarInProcess(['client', 'terminate', '--data-dir', app.dir, '--slug', 'acme', '--yes']);
  assert.is(done.code, 0, done.stderr);
  assert.match(done.stdout, /client terminated: acme/);
  const plan = await runHabarInProcess(['client', 'purge-plan', '--data-dir', app.dir, '--slug', 'acme']);
  assert.match(plan.stdout, /purge due: .*\(30 days after termination/);
  // The CLI ran on the real clock: the purge counts from when it terminated.
  const at = (await app.ctx.db.selectFrom('clients').select('terminated_at').where('id', '=', acme.client.id).executeTakeFirstOrThrow()).terminated_at!;
  clock.set(new Date(Date.parse(at) + 30 * DAY - 60_000));
  await app.ctx.jobs.drain();
  assert.is((await app.ctx.db.selectFrom('messages').select('id').where('client_id', '=', acme.client.id).execute()).length, 1, 'a minute early: kept');
  clock.set(new Date(Date.parse(at) + 31 * DAY));
  await app.ctx.jobs.drain();
  assert.is((await app.ctx.db.selectFrom('messages').select('id').where('client_id', '=', acme.client.id).execute()).length, 0);
});

test.run();
