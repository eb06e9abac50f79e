import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, buildUser, loginAs, postForm, csrfFrom, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../testing/openai-stand-in.ts';
import { createApiKey } from '../../auth/index.ts';
import type { Client } from '../../tenants/index.ts';
import { createChannelAccount, postAsCustomer } from '../../channels/index.ts';

type Ctx = { app: TestApp; stub: OpenAiStandIn; client: Client; key: string };
const test = suite<Ctx>('AI settings: API contract, consent screen, playground, usage');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.stub = await startOpenAiStandIn();
  ctx.client = await buildClient(ctx.app, { slug: 'shop' });
  ctx.key = (await createApiKey(ctx.app.ctx.db, ctx.app.ctx.clock, { clientId: ctx.client.id }, { id: null, label: 'test' })).key;
});
test.after.each(async (ctx) => {
  await ctx.stub.stop();
  await ctx.app.cleanup();
});

type Json = any;
const json = async (r: Response | Promise<Response>): Promise<Json> => (await r).json();
const api = (ctx: Ctx, method: string, body?: unknown) => ctx.app.request('/api/v1/settings/ai', {
  method, headers: { authorization: `Bearer ${ctx.key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
});

test('GET shows every contract field; the key is write-only; located_in_kazakhstan defaults to false', async (ctx) => {
  const res = await api(ctx, 'GET');
  assert.is(res.status, 200);
  const s = await json(res);
  for (const f of ['enabled', 'provider', 'base_url', 'located_in_kazakhstan', 'model', 'api_key_set', 'instructions', 'facts', 'faq', 'languages', 'handoff_keywords', 'redact', 'debounce_seconds', 'resume_after_minutes', 'disclosure', 'fallback_text']) {
    assert.ok(f in s, `missing ${f}`);
  }
  assert.is(s.located_in_kazakhstan, false);
  assert.is(s.api_key_set, false);
  assert.is(s.redact, true);
  assert.ok(s.handoff_keywords.includes('оператор'));
  const put = await api(ctx, 'PUT', { api_key: 'sk-secret-value-123', instructions: 'Be nice' });
  assert.is(put.status, 200);
  const text = await put.text();
  assert.not.match(text, /sk-secret-value-123/);
  assert.is(JSON.parse(text).api_key_set, true);
  assert.is(JSON.parse(text).instructions, 'Be nice');
  const cleared = await json(api(ctx, 'PUT', { api_key: null }));
  assert.is(cleared.api_key_set, false);
});

test('invalid values answer 400 with the field named, and change nothing', async (ctx) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ debounce_seconds: -1 }, 'debounce_seconds'],
    [{ provider: 'gemini' }, 'provider'],
    [{ base_url: 'ftp://x' }, 'base_url'],
    [{ languages: ['de'] }, 'languages.0'],
    [{ faq: [{ question: 'Q?', answer: '' }] }, 'faq'],
    [{ fallback_text: '  ' }, 'fallback_text'],
    [{ resume_after_minutes: 1.5 }, 'resume_after_minutes'],
    [{ colour: 'blue' }, 'colour'],
    [{ api_key_set: true }, 'api_key_set'],
  ];
  for (const [body, field] of cases) {
    const res = await api(ctx, 'PUT', { instructions: 'changed', ...body });
    assert.is(res.status, 400, JSON.stringify(body));
    assert.is((await json(res)).error.field, field, JSON.stringify(body));
  }
  assert.is((await json(api(ctx, 'GET'))).instructions, '');
});

test('enabling a provider abroad without the owner\'s authorisation is 409; the owner records it in the UI; withdrawal blocks calls', async (ctx) => {
  const abroad = { enabled: true, provider: 'compatible', base_url: ctx.stub.url, located_in_kazakhstan: false, model: 'm' };
  const refused = await api(ctx, 'PUT', abroad);
  assert.is(refused.status, 409);
  assert.is((await json(refused)).error.code, 'transfer_consent_required');
  assert.is((await api(ctx, 'PUT', { enabled: true, provider: 'openai', api_key: 'sk-x' })).status, 409);
  // A local endpoint needs no authorisation.
  assert.is((await api(ctx, 'PUT', { ...abroad, located_in_kazakhstan: true })).status, 200);

  // A representative cannot authorise; the owner can.
  const rep = await buildUser(ctx.app, 'representative', ctx.client.id);
  const repJar = await loginAs(ctx.app, rep.email, TEST_PASSWORD);
  const repPage = await (await ctx.app.request('/clients/shop/ai', { jar: repJar })).text();
  assert.match(repPage, /Разрешить или отозвать может только владелец/);
  assert.is((await postForm(ctx.app, repJar, '/clients/shop/ai/consent', { provider: 'compatible', agree: '1' }, csrfFrom(repPage))).status, 403);

  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  const jar = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  const page = await (await ctx.app.request('/clients/shop/ai', { jar })).text();
  const rec = await postForm(ctx.app, jar, '/clients/shop/ai/consent', { provider: 'compatible', agree: '1' }, csrfFrom(page));
  assert.is(rec.status, 303);
  const after = await (await ctx.app.request('/clients/shop/ai', { jar })).text();
  assert.match(after, new RegExp(`Разрешено: ${owner.email.replace('.', '\\.')}`));
  const ok = await api(ctx, 'PUT', abroad);
  assert.is(ok.status, 200);
  assert.is((await json(ok)).transfer_consent.recorded_by, owner.email);

  const audit = await ctx.app.ctx.db.selectFrom('audit_log').select('action').where('client_id', '=', ctx.client.id).execute();
  assert.ok(audit.some((a) => a.action === 'ai_consent.recorded'));

  // The playground obeys the same gate: with the authorisation withdrawn, nothing leaves.
  await postForm(ctx.app, jar, '/clients/shop/ai/consent/withdraw', { provider: 'compatible' }, csrfFrom(after));
  const pg = await (await ctx.app.request('/clients/shop/ai/playground', { jar })).text();
  const res = await postForm(ctx.app, jar, '/clients/shop/ai/playground', { script: 'Привет', mode: 'run' }, csrfFrom(pg));
  assert.match(await res.text(), /transfer_consent_required/);
  assert.is(ctx.stub.chatRequests.length, 0);
});

test('another client\'s members cannot open this client\'s AI screen', async (ctx) => {
  const other = await buildClient(ctx.app, { slug: 'other' });
  const stranger = await buildUser(ctx.app, 'owner', other.id);
  const jar = await loginAs(ctx.app, stranger.email, TEST_PASSWORD);
  assert.is((await ctx.app.request('/clients/shop/ai', { jar })).status, 404);
  assert.is((await ctx.app.request('/clients/shop/ai/usage', { jar })).status, 404);
  const page = await (await ctx.app.request('/clients/other/ai', { jar })).text();
  assert.is((await postForm(ctx.app, jar, '/clients/shop/ai/consent', { provider: 'openai', agree: '1' }, csrfFrom(page))).status, 404);
});

test('the settings form saves, and shows field errors inline', async (ctx) => {
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  const jar = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  const page = await (await ctx.app.request('/clients/shop/ai', { jar })).text();
  const form = {
    _form: '1', enabled: '1', provider: 'faq', base_url: '', model: '', instructions: '', facts: '', faq: 'Часы работы?\nС 9 до 18.\n\nАдрес?\nАлматы, Абая 1',
    lang_ru: '1', lang_kk: '1', handoff_keywords: 'оператор, менеджер', redact: '1', debounce_seconds: '3', resume_after_minutes: '30',
    disclosure: 'ru: Я бот.', fallback_text: 'Ответим скоро.', reply_length: 'short',
  };
  assert.is((await postForm(ctx.app, jar, '/clients/shop/ai', form, csrfFrom(page))).status, 303);
  const s = await json(api(ctx, 'GET'));
  assert.equal(s.faq, [{ question: 'Часы работы?', answer: 'С 9 до 18.' }, { question: 'Адрес?', answer: 'Алматы, Абая 1' }]);
  assert.equal(s.languages, ['ru', 'kk']);
  assert.is(s.reply_length, 'short');
  const bad = await postForm(ctx.app, jar, '/clients/shop/ai', { ...form, debounce_seconds: '500' }, csrfFrom(page));
  assert.is(bad.status, 422);
  assert.match(await bad.text(), /Введите целое число от 0 до 120/);
});

test('a number out of range, negative or not a number is refused with its range, in the user\'s language', async (ctx) => {
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  const jar = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  const page = await (await ctx.app.request('/clients/shop/ai', { jar })).text();
  const form = { _form: '1', provider: 'faq', faq: '', lang_ru: '1', debounce_seconds: '4', resume_after_minutes: '60', fallback_text: 'Ответим скоро.', reply_length: 'medium' };
  for (const [field, value, range] of [['debounce_seconds', '-5', 'от 0 до 120'], ['resume_after_minutes', 'abc', 'от 0 до 10080'], ['debounce_seconds', '2.5', 'от 0 до 120']]) {
    const res = await postForm(ctx.app, jar, '/clients/shop/ai', { ...form, [field]: value }, csrfFrom(page));
    assert.is(res.status, 422, `${field}=${value}`);
    const body = await res.text();
    assert.match(body, `Введите целое число ${range}`);
    assert.not.match(body, /whole number/);
  }
  const noLanguage = await postForm(ctx.app, jar, '/clients/shop/ai', { ...form, lang_ru: '' }, csrfFrom(page));
  assert.match(await noLanguage.text(), 'Выберите хотя бы один язык');
  assert.is((await json(api(ctx, 'GET'))).debounce_seconds, 4, 'nothing stored');
});

test('the settings form keeps an entry\'s other phrasings ("?" lines), synonyms and STOP/START words', async (ctx) => {
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  const jar = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  const page = await (await ctx.app.request('/clients/shop/ai', { jar })).text();
  const form = {
    _form: '1', enabled: '1', provider: 'faq', base_url: '', model: '', instructions: '', facts: '',
    faq: 'Часы работы?\n? Жұмыс уақыты қандай?\n? Opening hours?\nС 9 до 18.', faq_synonyms: 'цена, баға, price\nкаспи, kaspi',
    stop_keywords: 'хватит, отписаться', start_keywords: 'поехали',
    lang_ru: '1', handoff_keywords: 'оператор', redact: '1', debounce_seconds: '4', resume_after_minutes: '60', disclosure: '', fallback_text: 'Ответим скоро.', reply_length: 'medium',
  };
  assert.is((await postForm(ctx.app, jar, '/clients/shop/ai', form, csrfFrom(page))).status, 303);
  const s = await json(api(ctx, 'GET'));
  assert.equal(s.faq, [{ question: 'Часы работы?', questions: ['Жұмыс уақыты қандай?', 'Opening hours?'], answer: 'С 9 до 18.' }]);
  assert.equal(s.faq_synonyms, [['цена', 'баға', 'price'], ['каспи', 'kaspi']]);
  assert.equal([s.stop_keywords, s.start_keywords], [['хватит', 'отписаться'], ['поехали']]);
  const again = await (await ctx.app.request('/clients/shop/ai', { jar })).text();
  assert.match(again, /\? Жұмыс уақыты қандай\?/);
  assert.match(again, /цена, баға, price/);
});

test('the playground shows the minimised request, the restored reply, tokens and cost; usage counts the call', async (ctx) => {
  await api(ctx, 'PUT', { enabled: true, provider: 'compatible', base_url: ctx.stub.url, located_in_kazakhstan: true, model: 'qwen', redact: true });
  ctx.stub.always((req) => ({ text: `Перезвоним на ${req.json!.messages.at(-1)!.content.match(/\[PHONE_1\]/)?.[0]}`, usage: { prompt_tokens: 321, completion_tokens: 12 } }));
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  const jar = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
  const page = await (await ctx.app.request('/clients/shop/ai/playground', { jar })).text();
  const res = await postForm(ctx.app, jar, '/clients/shop/ai/playground', { script: 'Здравствуйте\na: Добрый день!\nМой номер +7 701 234 56 78', mode: 'run' }, csrfFrom(page));
  const html = await res.text();
  assert.is(res.status, 200);
  assert.match(html, /\[PHONE_1\]/);
  assert.match(html, /Перезвоним на \+7 701 234 56 78/);
  assert.match(html, /321/);
  assert.not.ok(ctx.stub.chatRequests[0].raw.includes('234 56 78'));
  const usage = await (await ctx.app.request('/clients/shop/ai/usage', { jar })).text();
  assert.not.match(usage, /data-testid="usage-table"/, 'playground calls are not billed usage');
  const calls = await ctx.app.ctx.db.selectFrom('ai_calls').select(['playground', 'tokens_in']).execute();
  assert.equal(calls, [{ playground: 1, tokens_in: 321 }]);
});

test('an agent pauses and resumes the AI of a conversation; each change is audited', async (ctx) => {
  const account = await createChannelAccount(ctx.app.ctx.db, ctx.app.ctx.clock, ctx.app.ctx.vault, { clientId: ctx.client.id, kind: 'sandbox', name: 'Sandbox' });
  await postAsCustomer(ctx.app.ctx, account, { text: 'Здравствуйте', customer: 'x' });
  const conv = await ctx.app.ctx.db.selectFrom('conversations').select('id').where('client_id', '=', ctx.client.id).executeTakeFirstOrThrow();
  const agent = await buildUser(ctx.app, 'agent', ctx.client.id);
  const jar = await loginAs(ctx.app, agent.email, TEST_PASSWORD);
  const csrf = csrfFrom(await (await ctx.app.request('/', { jar })).text());
  const res = await postForm(ctx.app, jar, `/clients/shop/ai/conversations/${conv.id}/state`, { state: 'paused', minutes: '30' }, csrf);
  assert.is(res.status, 303);
  let row = await ctx.app.ctx.db.selectFrom('conversations').select(['ai_state', 'ai_paused_until']).where('id', '=', conv.id).executeTakeFirstOrThrow();
  assert.is(row.ai_state, 'paused');
  assert.ok(row.ai_paused_until);
  await postForm(ctx.app, jar, `/clients/shop/ai/conversations/${conv.id}/state`, { state: 'active' }, csrf);
  row = await ctx.app.ctx.db.selectFrom('conversations').select(['ai_state', 'ai_paused_until']).where('id', '=', conv.id).executeTakeFirstOrThrow();
  assert.is(row.ai_state, 'active');
  const audit = await ctx.app.ctx.db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', '=', 'ai_state.changed').execute();
  assert.is(audit.length, 2);
  assert.is(audit[0].actor_label, agent.email);
});

test.run();
