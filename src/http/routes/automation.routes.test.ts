import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../../testing/api-client.ts';

const test = suite<{ app: TestApp; t: ApiTenant; owner: CookieJar; csrf: string }>('automation screen');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  const owner = await buildUser(ctx.app, 'owner', ctx.t.client.id);
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  ctx.csrf = csrfFrom(await (await ctx.app.request('/clients/acme/automation', { jar: ctx.owner })).text());
});
test.after.each(async (ctx) => ctx.app.cleanup());

const post = (ctx: { app: TestApp; owner: CookieJar; csrf: string }, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  ctx.app.request(path, { method: 'POST', jar: ctx.owner, body: new URLSearchParams({ _csrf: ctx.csrf, ...fields }), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

const RULE = { name: 'Цены', enabled: '1', event: 'message.received', minutes: '', cond_type_0: 'text_contains', cond_value_0: 'цена', act_type_0: 'send_template', act_value_0: 'prices', act_type_1: 'add_tag', act_value_1: 'price' };

test('an owner makes a template and a rule through the forms, orders, turns off and deletes rules', async (ctx) => {
  const { app, t } = ctx;
  assert.is((await post(ctx, '/clients/acme/automation/templates', { code: 'prices', ru: 'Прайс: {{client.name}}', kk: '', en: 'Prices' })).status, 303);
  assert.is((await post(ctx, '/clients/acme/automation/rules', RULE)).status, 303);
  assert.is((await post(ctx, '/clients/acme/automation/rules', { ...RULE, name: 'Второе', cond_type_0: '', act_type_1: '' })).status, 303);
  let rules = (await t.api('GET', '/api/v1/rules')).body.rules;
  assert.equal(rules.map((r: { name: string }) => r.name), ['Цены', 'Второе']);
  assert.equal(rules[0].actions, [{ type: 'send_template', code: 'prices' }, { type: 'add_tag', tag: 'price' }]);
  const page = await (await app.request('/clients/acme/automation', { jar: ctx.owner })).text();
  assert.match(page, /data-rule="Цены"/);
  const ids = await app.ctx.db.selectFrom('automation_rules').select(['id', 'name']).orderBy('position').execute();
  assert.is((await post(ctx, `/clients/acme/automation/rules/${ids[1].id}/move`, { dir: 'up' })).status, 303);
  assert.is((await post(ctx, `/clients/acme/automation/rules/${ids[0].id}/toggle`, {})).status, 303);
  rules = (await t.api('GET', '/api/v1/rules')).body.rules;
  assert.equal(rules.map((r: { name: string; enabled: boolean }) => [r.name, r.enabled]), [['Второе', true], ['Цены', false]]);
  assert.is((await post(ctx, `/clients/acme/automation/rules/${ids[1].id}/delete`, {})).status, 303);
  assert.equal((await t.api('GET', '/api/v1/rules')).body.rules.map((r: { name: string }) => r.name), ['Цены']);
  // A template a rule sends stays.
  const refused = await post(ctx, '/clients/acme/automation/templates/prices/delete', {});
  assert.is(refused.status, 422);
  assert.match(await refused.text(), /Цены/);
});

test('a mistake in the rule form shows beside its row and changes nothing', async (ctx) => {
  await post(ctx, '/clients/acme/automation/templates', { code: 'prices', ru: 'Прайс', kk: '', en: '' });
  const res = await post(ctx, '/clients/acme/automation/rules', { ...RULE, cond_type_0: '', cond_type_2: 'text_matches', cond_value_2: '([' });
  assert.is(res.status, 422);
  const html = await res.text();
  assert.match(html, /name="cond_value_0"[^>]*value="\(\["[^>]*aria-invalid="true"/);
  assert.match(html, /Not a valid regular expression/);
  assert.equal((await ctx.t.api('GET', '/api/v1/rules')).body.rules, []);
});

test('business hours through the form; the tester shows matching rules in order and sends nothing', async (ctx) => {
  const { app, t } = ctx;
  await post(ctx, '/clients/acme/automation/templates', { code: 'away', ru: 'Мы откроемся {{business_hours.next_open}}', kk: '', en: '' });
  assert.is((await post(ctx, '/clients/acme/automation/hours', { day_mon: '09:00-13:00, 14:00-18:00', day_tue: '09:00-18:00', holidays: '2026-12-16', out_of_hours_template: 'away' })).status, 303);
  const hours = (await t.api('GET', '/api/v1/settings/business-hours')).body;
  assert.equal(hours.week.mon, [['09:00', '13:00'], ['14:00', '18:00']]);
  assert.is(hours.out_of_hours_template, 'away');
  const bad = await post(ctx, '/clients/acme/automation/hours', { day_wed: '18:00-09:00' });
  assert.is(bad.status, 422);
  await t.api('PUT', '/api/v1/rules', { version: 1, rules: [
    { name: 'Night', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'business_hours', value: 'closed' }], actions: [{ type: 'send_template', code: 'away' }, { type: 'stop' }] },
    { name: 'Tag', enabled: true, trigger: { event: 'message.received' }, conditions: [], actions: [{ type: 'add_tag', tag: 'x' }] },
  ] });
  const run = await post(ctx, '/clients/acme/automation/tester', { text: 'Здравствуйте', event: 'message.received', channel: t.channel.id, tags: '', at: '2026-12-07T20:00' }, { 'hx-request': 'true' });
  assert.is(run.status, 200);
  const html = await run.text();
  assert.match(html, /data-rule="Night"/);
  assert.not.match(html, /data-rule="Tag"/);
  assert.match(html, /вторник|Tuesday|сейсенбі/i);
  assert.is((await app.ctx.db.selectFrom('messages').select('id').execute()).length, 0, 'nothing sent');
});

test('export and import as JSON; an agent may not open the screen, another client’s owner finds nothing', async (ctx) => {
  const { app, t } = ctx;
  await t.api('PUT', '/api/v1/templates', { version: 1, templates: [{ code: 'hi', text: { ru: 'Привет', kk: '', en: '' } }] });
  const exported = await app.request('/clients/acme/automation/export/templates.json', { jar: ctx.owner });
  assert.match(exported.headers.get('content-disposition') ?? '', /attachment/);
  const json = await exported.text();
  assert.is((await post(ctx, '/clients/acme/automation/import', { kind: 'templates', json: '{not json' })).status, 422);
  const wrong = await post(ctx, '/clients/acme/automation/import', { kind: 'rules', json: JSON.stringify({ version: 1, rules: [{ name: 'x', enabled: true, trigger: { event: 'message.received' }, conditions: [], actions: [{ type: 'send_template', code: 'nope' }] }] }) });
  assert.is(wrong.status, 422);
  assert.match(await wrong.text(), /rules\.0\.actions\.0\.code/);
  await t.api('PUT', '/api/v1/templates', { version: 1, templates: [] });
  assert.is((await post(ctx, '/clients/acme/automation/import', { kind: 'templates', json })).status, 303);
  assert.is((await t.api('GET', '/api/v1/templates')).body.templates[0].code, 'hi');
  const agent = await buildUser(app, 'agent', t.client.id);
  assert.is((await app.request('/clients/acme/automation', { jar: await loginAs(app, agent.email, TEST_PASSWORD) })).status, 403);
  const other = await buildApiTenant(app, 'other');
  const stranger = await buildUser(app, 'owner', other.client.id);
  assert.is((await app.request('/clients/acme/automation/templates', { jar: await loginAs(app, stranger.email, TEST_PASSWORD) })).status, 404);
});

test.run();
