import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, postForm, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../../testing/api-client.ts';

// The privacy screen: an owner finds the person who asked (by phone, name or username), restricts,
// objects and erases from it; each action lands in the request register shown on the same page,
// with its due date and a warning when one is near. Agents may not act; another client's owner gets 404.
const test = suite<{ app: TestApp; t: ApiTenant; owner: CookieJar }>('privacy screen');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, 'shop');
  const owner = await buildUser(ctx.app, 'owner', ctx.t.client.id, 'owner@shop.kz');
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const open = async (ctx: { app: TestApp; owner: CookieJar }, q = '') => {
  const res = await ctx.app.request(`/clients/shop/privacy${q ? `?q=${encodeURIComponent(q)}` : ''}`, { jar: ctx.owner });
  return { status: res.status, html: await res.text() };
};
const contactIdOf = (html: string) => html.match(/\/privacy\/contacts\/([0-9a-z]{26})\/erase/)?.[1];

test('an owner finds a contact by phone, name or username, restricts, objects and erases them; the register shows each request with its due date', async (ctx) => {
  const { app, t } = ctx;
  await t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'aliya.kz', text: 'Hello', name: 'Aliya Nurlanovna' });
  const contact = (await t.api('GET', '/api/v1/contacts')).body.data[0];
  await t.api('PATCH', `/api/v1/contacts/${contact.id}`, { phone: '+7 701 555 44 33' });
  for (const q of ['701 555', 'Nurlan', '@aliya.kz']) {
    const found = await open(ctx, q);
    assert.is(found.status, 200);
    assert.is(contactIdOf(found.html), contact.id, `found by ${q}`);
  }
  assert.match((await open(ctx, 'nobody-like-this')).html, /Контакты не найдены/);

  let page = await open(ctx, 'Aliya');
  const restrict = await postForm(app, ctx.owner, `/clients/shop/privacy/contacts/${contact.id}/restrict`, {}, csrfFrom(page.html));
  assert.is(restrict.status, 303);
  assert.is((await t.api('GET', `/api/v1/contacts/${contact.id}`)).body.restricted, true);
  page = await open(ctx, 'Aliya');
  assert.match(page.html, /Снять ограничение/);
  await postForm(app, ctx.owner, `/clients/shop/privacy/contacts/${contact.id}/object`, {}, csrfFrom(page.html));
  assert.is((await t.api('GET', `/api/v1/contacts/${contact.id}`)).body.objected, true);
  const noCsrf = await app.request(`/clients/shop/privacy/contacts/${contact.id}/erase`, { method: 'POST', jar: ctx.owner, body: new URLSearchParams({}), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(noCsrf.status, 403, 'the form needs its CSRF token');
  assert.is((await t.api('GET', `/api/v1/contacts/${contact.id}`)).status, 200, 'nothing erased without it');

  const erase = await postForm(app, ctx.owner, `/clients/shop/privacy/contacts/${contact.id}/erase`, {}, csrfFrom(page.html));
  assert.is(erase.status, 303);
  await app.ctx.jobs.drain();
  assert.is((await t.api('GET', `/api/v1/contacts/${contact.id}`)).status, 404);
  const register = (await open(ctx)).html;
  const rows = register.slice(register.indexOf('data-testid="privacy-register"')).match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1);
  assert.equal(rows.map((r) => r.match(/<td>([^<]+)<\/td>/)![1]), ['удаление', 'возражение', 'ограничение обработки']);
  assert.match(rows[0], /выполнен/);
  const requests = (await t.api('GET', `/api/v1/requests?contact_id=${contact.id}`)).body.data;
  for (const r of requests) assert.ok(register.includes(r.due_date), 'the due date is shown');

  // An open request whose due date is near is flagged; an overdue one too.
  await app.ctx.db.insertInto('privacy_requests').values({
    id: '01zzzzzzzzzzzzzzzzzzzzzzzz', client_id: t.client.id, contact_id: null, kind: 'client_export', status: 'running', progress: 40,
    requester_kind: 'member', requester_id: null, received_at: app.clock.now().toISOString(), due_date: '2000-01-01', evidence: '{}', updated_at: app.clock.now().toISOString(),
  }).execute();
  assert.match((await open(ctx)).html, /data-testid="overdue"/);
  const dashboard = await (await app.request('/', { jar: ctx.owner })).text();
  assert.match(dashboard, /data-testid="privacy-due"[\s\S]*?: 1\./, 'the dashboard warns of the open request');
});

test('agents may not act, support staff without a grant and another client’s owner get nothing, and the page speaks Kazakh and English', async (ctx) => {
  const { app, t } = ctx;
  await t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'c-1', text: 'Hi', name: 'Dana' });
  const contact = (await t.api('GET', '/api/v1/contacts')).body.data[0];
  const agent = await loginAs(app, (await buildUser(app, 'agent', t.client.id)).email, TEST_PASSWORD);
  assert.is((await app.request('/clients/shop/privacy', { jar: agent })).status, 403);
  const agentPage = await (await app.request('/clients/shop/inbox', { jar: agent })).text();
  assert.is((await postForm(app, agent, `/clients/shop/privacy/contacts/${contact.id}/erase`, {}, csrfFrom(agentPage))).status, 403);
  const other = await buildApiTenant(app, 'other');
  const stranger = await loginAs(app, (await buildUser(app, 'owner', other.client.id)).email, TEST_PASSWORD);
  assert.is((await app.request('/clients/shop/privacy?q=Dana', { jar: stranger })).status, 404);
  const strangerPage = await (await app.request('/clients/other/privacy', { jar: stranger })).text();
  assert.is((await postForm(app, stranger, `/clients/other/privacy/contacts/${contact.id}/erase`, {}, csrfFrom(strangerPage))).status, 404, 'another client’s contact is not found');
  assert.is((await t.api('GET', `/api/v1/contacts/${contact.id}`)).status, 200, 'nothing erased');

  for (const [lang, word] of [['kk', 'Сұраулар тізілімі'], ['en', 'Request register']] as const) {
    const page = await (await app.request('/clients/shop/privacy', { jar: ctx.owner })).text();
    await postForm(app, ctx.owner, '/account/language', { language: lang }, csrfFrom(page));
    assert.match(await (await app.request('/clients/shop/privacy', { jar: ctx.owner })).text(), word);
  }
});

test('marking a contact as a minor erases their data at once, recorded as an erasure for that reason and audited', async (ctx) => {
  const { app, t } = ctx;
  await t.api('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'teen-1', text: 'Hi', name: 'Young Person' });
  const contact = (await t.api('GET', '/api/v1/contacts')).body.data[0];
  const page = await open(ctx, 'Young');
  assert.is((await postForm(app, ctx.owner, `/clients/shop/privacy/contacts/${contact.id}/minor`, {}, csrfFrom(page.html))).status, 303);
  assert.is((await t.api('GET', `/api/v1/contacts/${contact.id}`)).status, 404, 'gone at once');
  assert.is((await app.ctx.db.selectFrom('messages').select('id').where('contact_id', '=', contact.id).execute()).length, 0);
  await app.ctx.jobs.drain();
  const [record] = (await t.api('GET', `/api/v1/requests?contact_id=${contact.id}`)).body.data;
  assert.equal([record.kind, record.status], ['erasure', 'done']);
  const stored = await app.ctx.db.selectFrom('privacy_requests').select(['evidence', 'requester_kind']).where('id', '=', record.id).executeTakeFirstOrThrow();
  assert.is(JSON.parse(stored.evidence).reason, 'minor');
  assert.is(stored.requester_kind, 'member');
  const audit = await app.ctx.db.selectFrom('audit_log').select(['action', 'target_id', 'actor_label']).where('action', '=', 'contact.marked_minor').executeTakeFirstOrThrow();
  assert.equal(audit, { action: 'contact.marked_minor', target_id: contact.id, actor_label: 'owner@shop.kz' });
});

test.run();
