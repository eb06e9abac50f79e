import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../testing/openai-stand-in.ts';
import { readEvents } from '../../testing/sse-reader.ts';
import { ManualClock } from '../../lib/clock.ts';
import { createApiKey } from '../../auth/index.ts';
import { DEMO_SLUG, findClient, type Client } from '../../tenants/index.ts';
import { updateAiSettings } from '../../ai/index.ts';
import { ingestInbound } from '../../messaging/index.ts';
import { translator } from '../../../views/i18n/index.ts';
import { timeFormatter } from '../../../views/view-context.ts';

// The AI assistant's per-conversation state as an agent works it in the built-in inbox: a reply
// pauses the AI, the header's buttons pause/resume/switch it off (audited), resolving resumes it,
// a handoff shows live. Real app over a real SQLite file; the AI is the OpenAI stand-in.

interface Ctx { app: TestApp; stub: OpenAiStandIn; clock: ManualClock; demo: Client; token: string; agentEmail: string; agent: CookieJar; csrf: string }
const test = suite<Ctx>('inbox: the AI state of a conversation');
const t = translator('ru');
const INBOX = `/clients/${DEMO_SLUG}/inbox`;
const stateUrl = (id: string) => `/clients/${DEMO_SLUG}/ai/conversations/${id}/state`;

async function start(ctx: Ctx, dir?: string): Promise<void> {
  ctx.app = await makeTestApp({ clock: ctx.clock, dir });
  ctx.demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  ctx.token = (await ctx.app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', ctx.demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow()).public_token!;
}

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  ctx.stub = await startOpenAiStandIn();
  ctx.stub.always({ text: 'Ответ ассистента' });
  await start(ctx);
  await updateAiSettings(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.clock, ctx.demo.id, {
    enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'local', disclosure: null, debounceSeconds: 4, resumeAfterMinutes: 60,
  }, { id: null, label: 'test' });
  ctx.agentEmail = (await buildUser(ctx.app, 'agent', ctx.demo.id, 'asel@demo.kz')).email;
  ctx.agent = await loginAs(ctx.app, ctx.agentEmail, TEST_PASSWORD);
  ctx.csrf = csrfFrom(await (await ctx.app.request(INBOX, { jar: ctx.agent })).text());
});
test.after.each(async (ctx) => {
  await ctx.stub.stop();
  await ctx.app.cleanup();
});

async function customerSays(ctx: Ctx, text: string, customer = 'aigerim'): Promise<string> {
  const res = await ctx.app.request(`/c/${ctx.token}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, customer }) });
  assert.is(res.status, 201, await res.clone().text());
  const m = await ctx.app.ctx.db.selectFrom('messages').select('conversation_id').where('id', '=', ((await res.json()) as { id: string }).id).executeTakeFirstOrThrow();
  return m.conversation_id;
}
/** The jobs run, then the quiet period passes and they run again (the debounced AI reply). */
async function settle(ctx: Ctx, seconds = 5): Promise<void> {
  await ctx.app.ctx.jobs.drain();
  ctx.clock.advance(seconds * 1000);
  await ctx.app.ctx.jobs.drain();
}
function post(ctx: Ctx, url: string, fields: Record<string, string>) {
  return ctx.app.request(url, { method: 'POST', jar: ctx.agent, body: new URLSearchParams({ _csrf: ctx.csrf, ...fields }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}
const conversation = (ctx: Ctx, id: string) => ctx.app.ctx.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const aiReplies = async (ctx: Ctx, id: string) => (await ctx.app.ctx.db.selectFrom('messages').select('id').where('conversation_id', '=', id).where('author_kind', '=', 'ai').execute()).length;
const page = async (ctx: Ctx, url: string) => (await ctx.app.request(url, { jar: ctx.agent })).text();
const auditOf = (ctx: Ctx, id: string) => ctx.app.ctx.db.selectFrom('audit_log').select(['actor_label', 'details']).where('action', '=', 'ai_state.changed').where('target_id', '=', id).orderBy('id').execute();

test('an agent’s reply from the inbox pauses the AI: five more customer messages get no AI reply, and the header says until when (Almaty time)', async (ctx) => {
  const id = await customerSays(ctx, 'Здравствуйте, есть доставка?');
  await settle(ctx);
  assert.is(await aiReplies(ctx, id), 1, 'the AI answered the first question');
  const repliedAt = ctx.clock.now();
  const res = await post(ctx, `${INBOX}/${id}/reply`, { text: 'Здравствуйте! Это Асель, помогу вам.' });
  assert.is(res.status, 303);
  const conv = await conversation(ctx, id);
  assert.is(conv.ai_state, 'paused');
  const until = new Date(repliedAt.getTime() + 60 * 60_000).toISOString();
  assert.is(conv.ai_paused_until, until, 'paused for resume_after_minutes from the reply');
  const html = await page(ctx, `${INBOX}/${id}`);
  assert.match(html, t('inbox.ai.paused'));
  assert.match(html, t('inbox.ai.until', { time: timeFormatter('ru', 'Asia/Almaty')(until) }));
  assert.match(html, '15:00', '10:00 UTC is 15:00 in Almaty');
  assert.match(html, t('inbox.ai.resume'));
  for (let i = 1; i <= 5; i++) {
    await customerSays(ctx, `Ещё вопрос ${i}`);
    await settle(ctx, 60);
  }
  assert.is(await aiReplies(ctx, id), 1, 'no AI reply while a person is talking');
  assert.is(ctx.stub.chatRequests.length, 1, 'and no call to the provider');
  assert.is((await conversation(ctx, id)).ai_state, 'paused');
});

test('the resume button: the next customer message gets an AI reply; pausing and resuming are in the audit log with the agent', async (ctx) => {
  const id = await customerSays(ctx, 'Добрый день');
  await settle(ctx);
  const html = await page(ctx, `${INBOX}/${id}`);
  assert.match(html, `action="${stateUrl(id)}"`);
  assert.is((await post(ctx, stateUrl(id), { state: 'paused', minutes: '', next: `${INBOX}/${id}` })).status, 303);
  assert.equal(await conversation(ctx, id).then((c) => [c.ai_state, c.ai_paused_until]), ['paused', null]);
  await customerSays(ctx, 'Алло?');
  await settle(ctx, 3 * 3600);
  assert.is(await aiReplies(ctx, id), 1, 'paused until resumed: hours pass, no AI reply');
  const back = await post(ctx, stateUrl(id), { state: 'active', next: `${INBOX}/${id}` });
  assert.match(back.headers.get('location') ?? '', `${INBOX}/${id}?flash=`);
  assert.is((await conversation(ctx, id)).ai_state, 'active');
  await customerSays(ctx, 'Вы тут?');
  await settle(ctx);
  assert.is(await aiReplies(ctx, id), 2, 'the AI answers again');
  const audit = await auditOf(ctx, id);
  assert.equal(audit.map((a) => [a.actor_label, JSON.parse(a.details ?? '{}').to]), [[ctx.agentEmail, 'paused'], [ctx.agentEmail, 'active']]);
});

test('a pause for a time ends by itself; "off" keeps the AI quiet for good; both audited', async (ctx) => {
  const id = await customerSays(ctx, 'Привет');
  await settle(ctx);
  await post(ctx, stateUrl(id), { state: 'paused', minutes: '30', next: `${INBOX}/${id}` });
  const conv = await conversation(ctx, id);
  assert.is(conv.ai_paused_until, new Date(ctx.clock.now().getTime() + 30 * 60_000).toISOString());
  assert.match(await page(ctx, `${INBOX}/${id}`), t('inbox.ai.until', { time: timeFormatter('ru', 'Asia/Almaty')(conv.ai_paused_until) }));
  ctx.clock.advance(31 * 60_000);
  assert.match(await page(ctx, `${INBOX}/${id}`), `data-ai-state="active"`, 'the header shows the pause is over');
  await customerSays(ctx, 'Так что с заказом?');
  await settle(ctx);
  assert.is(await aiReplies(ctx, id), 2);
  await post(ctx, stateUrl(id), { state: 'off', next: `${INBOX}/${id}` });
  assert.is((await conversation(ctx, id)).ai_state, 'off');
  await customerSays(ctx, 'Ответьте');
  await settle(ctx, 2 * 3600);
  assert.is(await aiReplies(ctx, id), 2);
  const html = await page(ctx, `${INBOX}/${id}`);
  assert.match(html, t('inbox.ai.off'));
  assert.match(await page(ctx, INBOX), t('inbox.ai.off'), 'the list shows it too');
  assert.equal((await auditOf(ctx, id)).map((a) => JSON.parse(a.details ?? '{}').to), ['paused', 'off']);
});

test('resolving the conversation in the inbox resumes the AI', async (ctx) => {
  const id = await customerSays(ctx, 'Здравствуйте');
  await settle(ctx);
  await post(ctx, `${INBOX}/${id}/reply`, { text: 'Слушаю вас' });
  assert.is((await conversation(ctx, id)).ai_state, 'paused');
  await post(ctx, `${INBOX}/${id}/status`, { status: 'resolved' });
  assert.equal(await conversation(ctx, id).then((c) => [c.status, c.ai_state]), ['resolved', 'active']);
  await customerSays(ctx, 'Ещё один вопрос');
  await settle(ctx);
  assert.is(await aiReplies(ctx, id), 2, 'the reopened conversation is the AI’s again');
});

test('a handoff by keyword reaches the open inbox through the stream; the list shows "needs a person" and the thread says why', async (ctx) => {
  const url = await ctx.app.listen();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 5000);
  try {
    const res = await fetch(`${url}${INBOX}/events`, { headers: { cookie: ctx.agent.header() }, signal: abort.signal });
    await readEvents(res.body!, (e) => e.event === 'ready', 2000);
    const id = await customerSays(ctx, 'Позовите оператора, пожалуйста');
    await ctx.app.ctx.jobs.drain();
    const events = await readEvents(res.body!, (e) => e.event === 'conversation' && JSON.parse(e.data).handoff === true, 2000);
    const handoff = events.find((e) => e.event === 'conversation' && JSON.parse(e.data).handoff === true);
    assert.ok(handoff, `a handoff event arrived (got ${JSON.stringify(events)})`);
    assert.equal(JSON.parse(handoff!.data), { type: 'conversation.updated', conversation_id: id, change: 'ai_state', ai_state: 'handed_off', handoff: true });
    const list = await page(ctx, `${INBOX}?part=list`);
    assert.match(list, new RegExp(`id="conv-${id}"[\\s\\S]*?class="badge off needs-human">${t('inbox.ai.handed_off')}<`));
    const thread = await page(ctx, `${INBOX}/${id}`);
    assert.match(thread, 'class="notice handoff-note"');
    assert.match(thread, t('inbox.ai.reason.keyword'));
    assert.is(ctx.stub.chatRequests.length, 0, 'a keyword needs no provider call');
    // A person answers: the conversation is theirs now (paused), no longer waiting for one.
    await post(ctx, `${INBOX}/${id}/reply`, { text: 'Здравствуйте, я на связи' });
    assert.is((await conversation(ctx, id)).ai_state, 'paused');
    assert.not.match(await page(ctx, `${INBOX}?part=list`), 'needs-human');
  } finally {
    abort.abort();
    clearTimeout(timer);
  }
});

test('a conversation started from the inbox with the AI paused stays paused until resumed; without the tick, the first message pauses it like any reply', async (ctx) => {
  const channel = await ctx.app.ctx.db.selectFrom('channel_accounts').select('id').where('client_id', '=', ctx.demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  const startOne = async (pause: boolean) => {
    const res = await post(ctx, `${INBOX}/new`, { channel: channel.id, to: '', name: 'Клиент', text: 'Ваш заказ готов', ...(pause ? { pause: '1' } : {}) });
    assert.is(res.status, 303);
    const id = res.headers.get('location')!.split('/').pop()!;
    const who = await ctx.app.ctx.db.selectFrom('conversations as c').innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id').select('i.value').where('c.id', '=', id).executeTakeFirstOrThrow();
    return { id, customer: who.value };
  };
  const held = await startOne(true);
  const plain = await startOne(false);
  await ctx.app.ctx.jobs.drain();
  assert.equal(await conversation(ctx, held.id).then((c) => [c.ai_state, c.ai_paused_until]), ['paused', null]);
  assert.equal((await auditOf(ctx, held.id)).map((a) => [a.actor_label, JSON.parse(a.details ?? '{}').to]), [[ctx.agentEmail, 'paused']]);
  const plainConv = await conversation(ctx, plain.id);
  assert.is(plainConv.ai_state, 'paused');
  assert.ok(plainConv.ai_paused_until, 'the first message pauses it for resume_after_minutes');
  ctx.clock.advance(2 * 3600_000);
  await customerSays(ctx, 'Спасибо, когда можно забрать?', held.customer);
  await customerSays(ctx, 'Спасибо, когда можно забрать?', plain.customer);
  await settle(ctx);
  assert.is(await aiReplies(ctx, held.id), 0, 'paused in advance: still no AI after two hours');
  assert.is(await aiReplies(ctx, plain.id), 1, 'the timed pause has ended');
});

test('an agent’s reply through the API pauses the AI; GET /api/v1/conversations/{id} shows ai_state and ai_paused_until, and the OpenAPI document describes them', async (ctx) => {
  const key = (await createApiKey(ctx.app.ctx.db, ctx.clock, { clientId: ctx.demo.id }, { id: null, label: 'test' })).key;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await ctx.app.request(path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };
  const id = await customerSays(ctx, 'Здравствуйте');
  await settle(ctx);
  assert.equal(await api('GET', `/api/v1/conversations/${id}`).then((r) => [r.body.ai_state, r.body.ai_paused_until]), ['active', null]);
  assert.is((await api('POST', `/api/v1/conversations/${id}/messages`, { text: 'Ответ из CRM' })).status, 201);
  const got = await api('GET', `/api/v1/conversations/${id}`);
  assert.is(got.body.ai_state, 'paused');
  assert.is(got.body.ai_paused_until, new Date(ctx.clock.now().getTime() + 60 * 60_000).toISOString());
  await customerSays(ctx, 'А цена?');
  await settle(ctx);
  assert.is(await aiReplies(ctx, id), 1);
  const patched = await api('PATCH', `/api/v1/conversations/${id}`, { ai_state: 'active' });
  assert.equal([patched.status, patched.body.ai_state], [200, 'active']);
  const audit = await auditOf(ctx, id);
  assert.match(audit.at(-1)!.actor_label ?? '', /^api-key:/, 'a change through the API is audited with its key');
  ctx.clock.advance(61 * 60_000);
  const doc = await (await ctx.app.request('/api/v1/openapi.json')).json() as { components: { schemas: Record<string, { properties: Record<string, { enum?: string[]; description?: string }> }> } };
  const props = doc.components.schemas.Conversation.properties;
  assert.equal(props.ai_state.enum, ['active', 'paused', 'handed_off', 'off']);
  assert.match(props.ai_state.description ?? '', 'handed_off');
  assert.ok(props.ai_paused_until, 'ai_paused_until is documented');
});

test('a reply typed on the phone (a platform echo) pauses the AI as an inbox reply does', async (ctx) => {
  const id = await customerSays(ctx, 'Здравствуйте');
  await settle(ctx);
  const account = await ctx.app.ctx.db.selectFrom('channel_accounts').select('id').where('client_id', '=', ctx.demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  await ingestInbound(ctx.app.ctx, { channelAccountId: account.id, platformMessageId: 'phone-1', direction: 'out', text: 'Это менеджер, пишу с телефона', from: { identities: [{ kind: 'sandbox', value: 'aigerim' }] } });
  await ctx.app.ctx.jobs.drain();
  assert.is((await conversation(ctx, id)).ai_state, 'paused');
  await customerSays(ctx, 'Хорошо, жду');
  await settle(ctx);
  assert.is(await aiReplies(ctx, id), 1);
  assert.is(ctx.stub.chatRequests.length, 1, 'and no call to the AI');
});

test('the pause survives a restart, even when the live reaction to the reply was lost', async (ctx) => {
  const id = await customerSays(ctx, 'Здравствуйте');
  await settle(ctx);
  await post(ctx, `${INBOX}/${id}/reply`, { text: 'Сейчас уточню' });
  // A crash right after the reply committed, before the AI state was written.
  await ctx.app.ctx.db.updateTable('conversations').set({ ai_state: 'active', ai_paused_until: null }).where('id', '=', id).execute();
  const dir = ctx.app.dir;
  await ctx.app.close();
  await start(ctx, dir);
  for (let i = 1; i <= 3; i++) {
    await customerSays(ctx, `Вопрос ${i}`);
    await settle(ctx, 60);
  }
  assert.is(await aiReplies(ctx, id), 1, 'the stored reply still pauses the AI');
  assert.is((await conversation(ctx, id)).ai_state, 'paused');
});

test.run();
