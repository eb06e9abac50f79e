import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../../../testing/api-client.ts';

interface Ctx { app: TestApp; t: ApiTenant; other: ApiTenant }
const test = suite<Ctx>('GET/PUT /api/v1/rules, /api/v1/templates, /api/v1/settings/business-hours');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  ctx.other = await buildApiTenant(ctx.app, 'other');
});
test.after.each(async (ctx) => ctx.app?.cleanup());

const TEMPLATES = { version: 1, templates: [{ code: 'hi', text: { ru: 'Здравствуйте!', kk: 'Сәлем!', en: 'Hello!' } }, { code: 'prices', text: { ru: 'Прайс: …', kk: '', en: '' } }] };
const rule = (name: string, extra: Record<string, unknown> = {}) => ({
  name, enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_contains', value: 'цена' }], actions: [{ type: 'send_template', code: 'prices' }], ...extra,
});

test('GET is valid PUT input; stats are ignored on PUT; a rule keeps its statistics while its name stays', async ({ app, t }) => {
  assert.is((await t.api('PUT', '/api/v1/templates', TEMPLATES)).status, 200);
  const put = await t.api('PUT', '/api/v1/rules', { version: 1, rules: [rule('Prices'), rule('Greeting', { trigger: { event: 'conversation.opened' }, conditions: [], actions: [{ type: 'send_template', code: 'hi' }] })] });
  assert.is(put.status, 200);
  assert.equal(put.body.rules.map((r: { name: string }) => r.name), ['Prices', 'Greeting']);
  await t.customerSays('Какая цена?');
  await app.ctx.jobs.drain();
  const got = (await t.api('GET', '/api/v1/rules')).body;
  assert.equal(got.rules.map((r: { stats: { fired_count: number } }) => r.stats.fired_count), [1, 1]);
  // Round trip: the same set back, with made-up stats that are ignored.
  got.rules[0].stats = { fired_count: 999, last_fired_at: null };
  const again = await t.api('PUT', '/api/v1/rules', { ...got, rules: [...got.rules].reverse() });
  assert.is(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.rules.map((r: { name: string; stats: { fired_count: number } }) => [r.name, r.stats.fired_count]), [['Greeting', 1], ['Prices', 1]]);
  // A new name is a new rule.
  const renamed = await t.api('PUT', '/api/v1/rules', { version: 1, rules: [rule('Price list')] });
  assert.equal(renamed.body.rules[0].stats, { fired_count: 0, last_fired_at: null });
  assert.equal((await t.api('GET', '/api/v1/templates')).body, TEMPLATES);
});

test('an invalid set answers 400 naming the dotted field, and changes nothing', async ({ t, other }) => {
  await t.api('PUT', '/api/v1/templates', TEMPLATES);
  await t.api('PUT', '/api/v1/rules', { version: 1, rules: [rule('Prices')] });
  const before = (await t.api('GET', '/api/v1/rules')).body;
  const hook = (await other.api('POST', '/api/v1/webhooks', { url: 'https://example.kz/hook', events: ['message.received'] })).body;
  const cases: Array<[unknown, string]> = [
    [{ version: 1, rules: [rule('A'), rule('B'), rule('C'), rule('D', { conditions: [{ type: 'text_matches', value: '([a-' }] })] }, 'rules.3.conditions.0.value'],
    // A pattern that could take exponential time on a crafted message (it runs on every message) is refused too.
    [{ version: 1, rules: [rule('A', { conditions: [{ type: 'text_matches', value: '^(a+)+$' }] })] }, 'rules.0.conditions.0.value'],
    [{ version: 1, rules: [rule('A', { conditions: [{ type: 'text_matches', value: '(\\w)\\1' }] })] }, 'rules.0.conditions.0.value'],
    [{ version: 1, rules: [rule('A', { conditions: [{ type: 'colour', value: 'red' }] })] }, 'rules.0.conditions.0.type'],
    [{ version: 1, rules: [rule('A', { actions: [{ type: 'send_template', code: 'nope' }] })] }, 'rules.0.actions.0.code'],
    [{ version: 1, rules: [rule('A', { actions: [{ type: 'call_webhook', webhook_id: hook.id }] })] }, 'rules.0.actions.0.webhook_id'],
    [{ version: 1, rules: [rule('A', { actions: [{ type: 'assign', member_id: 'nobody' }] })] }, 'rules.0.actions.0.member_id'],
    [{ version: 1, rules: [rule('A', { trigger: { event: 'conversation.no_agent_reply' } })] }, 'rules.0.trigger.minutes'],
    [{ version: 1, rules: [rule('A'), rule('A')] }, 'rules.1.name'],
    [{ version: 1, rules: [rule('A', { colour: 'red' })] }, 'rules.0.colour'],
    [{ version: 2, rules: [] }, 'version'],
  ];
  for (const [body, field] of cases) {
    const res = await t.api('PUT', '/api/v1/rules', body);
    assert.is(res.status, 400, field);
    assert.is(res.body.error.field, field, JSON.stringify(res.body));
  }
  assert.equal((await t.api('GET', '/api/v1/rules')).body, before);
  const bad = await t.api('PUT', '/api/v1/templates', { version: 1, templates: [TEMPLATES.templates[0], { code: 'x', text: { ru: '', kk: ' ', en: '' } }] });
  assert.is(bad.status, 400);
  assert.is(bad.body.error.field, 'templates.1.text');
  assert.equal((await t.api('GET', '/api/v1/templates')).body, TEMPLATES);
});

test('business hours: fields present change; week replaces the whole week; a bad interval names its place', async ({ t }) => {
  const first = await t.api('PUT', '/api/v1/settings/business-hours', { week: { mon: [['09:00', '18:00']], tue: [['09:00', '13:00'], ['14:00', '18:00']] }, holidays: ['2026-12-16'] });
  assert.is(first.status, 200);
  assert.is(first.body.timezone, 'Asia/Almaty');
  assert.equal(first.body.week.tue, [['09:00', '13:00'], ['14:00', '18:00']]);
  const second = await t.api('PUT', '/api/v1/settings/business-hours', { week: { sat: [['10:00', '14:00']] } });
  assert.equal(second.body.week.mon, [], 'the whole week was replaced');
  assert.equal(second.body.holidays, ['2026-12-16'], 'holidays kept');
  const bad = await t.api('PUT', '/api/v1/settings/business-hours', { week: { mon: [['09:00', '25:00']] } });
  assert.is(bad.status, 400);
  assert.is(bad.body.error.field, 'week.mon.0.1');
  const unknown = await t.api('PUT', '/api/v1/settings/business-hours', { out_of_hours_template: 'nope' });
  assert.is(unknown.body.error.field, 'out_of_hours_template');
  assert.equal((await t.api('GET', '/api/v1/settings/business-hours')).body, second.body, 'nothing changed');
  const areas = (await t.api('GET', '/api/v1/settings')).body.data;
  const area = areas.find((a: { area: string }) => a.area === 'business-hours');
  assert.equal(area.fields.map((f: { name: string; read_only?: boolean }) => `${f.name}${f.read_only ? ' (read-only)' : ''}`), ['week', 'holidays', 'out_of_hours_template', 'timezone (read-only)']);
});

test.run();
