import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, type TestApp } from '../testing/test-app.ts';
import { apiClient, buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import { customerUrl } from '../channels/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { sendMessage, setConversationStatus } from '../messaging/index.ts';
import { startSmtpStandIn, mailText, mailSubject, englishRuns } from '../testing/smtp-stand-in.ts';
import { setSetting } from '../settings/index.ts';
import { updateUser } from '../auth/index.ts';

// Rules end to end through the sandbox channel: the customer writes on the sandbox page, the
// pipeline runs the rules, and what the customer would see is read back from the thread.

interface Ctx { app: TestApp; t: ApiTenant; clock: ManualClock }
const test = suite<Ctx>('automation rules through the sandbox channel');

// Monday 7 December 2026, 12:00 in Almaty (UTC+5).
const MONDAY_NOON = '2026-12-07T07:00:00.000Z';

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock(MONDAY_NOON);
  ctx.app = await makeTestApp({ seed: false, clock: ctx.clock });
  ctx.t = await buildApiTenant(ctx.app, 'altyn');
});
test.after.each(async (ctx) => ctx.app?.cleanup());

const TEMPLATES = {
  version: 1,
  templates: [
    { code: 'delivery', text: { ru: 'Доставка по Алматы — 1 500 ₸, {{contact.name|друг}}.', kk: 'Алматы бойынша жеткізу — 1 500 ₸.', en: 'Delivery in Almaty is 1,500 ₸.' } },
    { code: 'away', text: { ru: 'Мы откроемся: {{business_hours.next_open}}.', kk: '', en: 'We open {{business_hours.next_open}}.' } },
    { code: 'late', text: { ru: 'Извините за ожидание, скоро ответим.', kk: '', en: '' } },
    { code: 'bye', text: { ru: 'Спасибо за обращение, {{client.name}}!', kk: '', en: '' } },
  ],
};

async function setUp(t: ApiTenant, rules: unknown[]) {
  assert.is((await t.api('PUT', '/api/v1/templates', TEMPLATES)).status, 200);
  const res = await t.api('PUT', '/api/v1/rules', { version: 1, rules });
  assert.is(res.status, 200, JSON.stringify(res.body));
}

/** The tenant's helpers over a reopened app (the same data file). */
async function sameTenant(app: TestApp, t: ApiTenant): Promise<ApiTenant> {
  const pagePath = new URL(customerUrl(app.ctx.publicUrl(), t.channel)!).pathname;
  return {
    ...t, api: apiClient(app, t.key),
    async customerSays(text: string, customer = 'cust-1') {
      const res = await app.request(`${pagePath}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, customer }) });
      assert.is(res.status, 201);
      return ((await res.json()) as { id: string }).id;
    },
  };
}

const thread = (app: TestApp) => app.ctx.db.selectFrom('messages').select(['author_kind', 'text']).orderBy('id').execute()
  .then((rows) => rows.map((r) => `${r.author_kind}: ${r.text}`));

const DELIVERY_RULE = { name: 'Delivery price', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_contains', value: 'доставка' }], actions: [{ type: 'send_template', code: 'delivery' }, { type: 'add_tag', tag: 'delivery' }] };

test('a rule answers a word form of its keyword with its template, tags the contact and counts the firing', async ({ app, t }) => {
  await setUp(t, [DELIVERY_RULE]);
  await t.customerSays('Сколько стоит доставку сделать?', 'aliya');
  await app.ctx.jobs.drain();
  await t.customerSays('Спасибо', 'aliya');
  await app.ctx.jobs.drain();
  assert.equal(await thread(app), ['contact: Сколько стоит доставку сделать?', 'rule: Доставка по Алматы — 1 500 ₸, aliya.', 'contact: Спасибо']);
  const contact = await app.ctx.db.selectFrom('contacts').select('tags').executeTakeFirstOrThrow();
  assert.equal(JSON.parse(contact.tags), ['delivery']);
  const rules = (await t.api('GET', '/api/v1/rules')).body;
  assert.is(rules.rules[0].stats.fired_count, 1);
  assert.is(rules.rules[0].stats.last_fired_at, MONDAY_NOON);
});

test('an objecting contact (STOP) and a restricted one get no rule message; the STOP confirmation still goes out', async ({ app, t }) => {
  await setUp(t, [DELIVERY_RULE]);
  await t.customerSays('СТОП', 'stopper');
  await app.ctx.jobs.drain();
  await t.customerSays('а доставка есть?', 'stopper');
  await t.customerSays('Здравствуйте', 'restricted');
  await app.ctx.jobs.drain();
  await app.ctx.db.updateTable('contacts').set({ restricted: 1 }).where((eb) => eb.exists(eb.selectFrom('contact_identities').select('id').whereRef('contact_identities.contact_id', '=', 'contacts.id').where('value', 'like', '%restricted%'))).execute();
  await t.customerSays('доставка?', 'restricted');
  await app.ctx.jobs.drain();
  const rows = await thread(app);
  assert.is(rows.filter((r) => r.startsWith('rule:')).length, 0, rows.join('\n'));
  assert.ok(rows.some((r) => r.startsWith('system:')), 'the STOP confirmation');
});

test('no agent reply within N minutes: the timer survives a restart and fires once; a person’s reply cancels it', async (ctx) => {
  const { t, clock } = ctx;
  await setUp(t, [{ name: 'Waiting', enabled: true, trigger: { event: 'conversation.no_agent_reply', minutes: 10 }, conditions: [], actions: [{ type: 'send_template', code: 'late' }] }]);
  await t.customerSays('Алло?', 'waiting');
  await t.customerSays('Есть кто?', 'waiting');
  await ctx.app.ctx.jobs.drain();
  assert.is((await thread(ctx.app)).filter((r) => r.startsWith('rule:')).length, 0, 'not before the ten minutes');
  // Restart: the same data file, a new process.
  const dir = ctx.app.dir;
  await ctx.app.close();
  clock.advance(11 * 60_000);
  ctx.app = await makeTestApp({ seed: false, clock, dir });
  ctx.t = await sameTenant(ctx.app, t);
  await ctx.app.ctx.jobs.drain();
  assert.equal((await thread(ctx.app)).filter((r) => r.startsWith('rule:')), ['rule: Извините за ожидание, скоро ответим.'], 'fired once for both messages');

  // Another customer: a person answers within the ten minutes, so nothing fires.
  await ctx.t.customerSays('Добрый день', 'answered');
  await ctx.app.ctx.jobs.drain();
  const conv = await ctx.app.ctx.db.selectFrom('conversations').select(['id', 'client_id']).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  clock.advance(2 * 60_000);
  await sendMessage(ctx.app.ctx, conv.client_id, conv.id, { text: 'Здравствуйте!', authorKind: 'agent' });
  clock.advance(20 * 60_000);
  await ctx.app.ctx.jobs.drain();
  assert.is((await thread(ctx.app)).filter((r) => r.startsWith('rule:')).length, 1);
  const cancelled = await ctx.app.ctx.db.selectFrom('jobs').select('last_error').where('kind', '=', 'automation.no_agent_reply').where('conversation_id', '=', conv.id).executeTakeFirstOrThrow();
  assert.match(cancelled.last_error ?? '', /cancelled/);
});

test('conversation.resolved rules run when a conversation is resolved; a hand-off rule stops the AI and the chain', async ({ app, t }) => {
  await setUp(t, [
    { name: 'Bye', enabled: true, trigger: { event: 'conversation.resolved' }, conditions: [], actions: [{ type: 'send_template', code: 'bye' }] },
    { name: 'Complaint', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_matches', value: 'жалоб|верните деньги' }], actions: [{ type: 'hand_off', reason: 'complaint' }] },
  ]);
  await t.customerSays('Хочу оставить жалобу');
  await app.ctx.jobs.drain();
  const conv = await app.ctx.db.selectFrom('conversations').select(['id', 'client_id', 'ai_state']).executeTakeFirstOrThrow();
  assert.is(conv.ai_state, 'handed_off');
  await setConversationStatus(app.ctx, conv.client_id, conv.id, 'resolved');
  await app.ctx.jobs.drain();
  assert.equal((await thread(app)).slice(-1), ['rule: Спасибо за обращение, Client altyn!']);
});

test('a hand-off rule e-mails the agents, each in their own language, that a rule (not the AI) handed off, with the rule’s reason', async ({ app, t }) => {
  const smtp = await startSmtpStandIn();
  try {
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.secure', 'false'], ['smtp.from', 'noreply@habar.kz']]) {
      await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, k, v);
    }
    const ru = await buildUser(app, 'agent', t.client.id, 'ru-agent@altyn.kz');
    const kk = await buildUser(app, 'agent', t.client.id, 'kk-agent@altyn.kz');
    await updateUser(app.ctx.db, app.ctx.clock, kk.id, { language: 'kk' });
    await setUp(t, [{ name: 'Complaint', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_matches', value: 'жалоб' }], actions: [{ type: 'hand_off', reason: 'жалоба' }] }]);
    await t.customerSays('Хочу оставить жалобу');
    await app.ctx.jobs.drain();
    const ruMail = await smtp.waitFor(ru.email);
    assert.match(mailSubject(ruMail), /^\[Habar\] Client altyn: разговор ждёт сотрудника$/);
    assert.match(mailText(ruMail), /^Правило автоматизации передало разговор сотруднику \(жалоба\)\./);
    const kkMail = await smtp.waitFor(kk.email);
    assert.match(mailText(kkMail), /^Автоматтандыру ережесі сөйлесуді қызметкерге берді \(жалоба\)\./);
    for (const m of [ruMail, kkMail]) assert.equal(englishRuns(`${mailSubject(m)}\n${mailText(m)}`), [], 'no English sentence');
  } finally {
    await smtp.close();
  }
});

test('out of hours the client’s template answers once per repeat period, naming when it opens; a rule’s own messages fire no rules', async ({ app, t, clock }) => {
  await setUp(t, [DELIVERY_RULE]);
  const hours = await t.api('PUT', '/api/v1/settings/business-hours', { week: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] }, out_of_hours_template: 'away' });
  assert.is(hours.status, 200, JSON.stringify(hours.body));
  clock.set('2026-12-07T15:00:00.000Z'); // Monday 20:00 in Almaty
  await t.customerSays('Вы работаете?');
  await t.customerSays('Алло');
  await app.ctx.jobs.drain();
  const rows = await thread(app);
  assert.equal(rows.filter((r) => r.startsWith('rule:')).length, 1, rows.join('\n'));
  const away = rows.find((r) => r.startsWith('rule:'))!;
  assert.match(away, /^rule: Мы откроемся: вторник, 8 декабря.*09:00\.$/, away);
});

test('at most 20 rule firings per conversation per hour', async ({ app, t }) => {
  await setUp(t, [{ name: 'Echo', enabled: true, trigger: { event: 'message.received' }, conditions: [], actions: [{ type: 'add_tag', tag: 'seen' }] }]);
  for (let i = 0; i < 23; i++) await t.customerSays(`сообщение ${i}`);
  await app.ctx.jobs.drain();
  const rules = (await t.api('GET', '/api/v1/rules')).body;
  assert.is(rules.rules[0].stats.fired_count, 20);
});

test.run();
