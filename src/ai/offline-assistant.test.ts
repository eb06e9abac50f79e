import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../testing/test-app.ts';
import { ManualClock } from '../lib/clock.ts';
import { createApiKey } from '../auth/index.ts';
import { DEMO_SLUG, findClient, type Client } from '../tenants/index.ts';
import { setSetting } from '../settings/index.ts';
import { sendMessage } from '../messaging/index.ts';
import { customerThread, toChannelAccount } from '../channels/index.ts';
import { updateAiSettings, type AiSettingsPatch } from './index.ts';

// The offline assistant as a sandbox customer meets it (issue 12): FAQ answers to rewordings in
// ru/kk/en, word-form-aware handoff words, STOP/START, and a sooner reply to a complete question.
// Real app over a real SQLite file; the customer writes through the sandbox page over HTTP.

interface Ctx { app: TestApp; clock: ManualClock; demo: Client; token: string }
const test = suite<Ctx>('the offline assistant through the sandbox channel');
const ADMIN = { id: null, label: 'test' };

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  ctx.app = await makeTestApp({ clock: ctx.clock });
  ctx.demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  ctx.token = (await ctx.app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', ctx.demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow()).public_token!;
  // The demo client: the offline FAQ responder with the demo FAQ; no disclosure, to read replies plainly.
  await configure(ctx, { disclosure: null });
});
test.after.each((ctx) => ctx.app.cleanup());

const configure = (ctx: Ctx, patch: AiSettingsPatch) => updateAiSettings(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.clock, ctx.demo.id, patch, ADMIN);

async function say(ctx: Ctx, text: string, customer = 'aigerim'): Promise<void> {
  const res = await ctx.app.request(`/c/${ctx.token}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, customer }) });
  assert.is(res.status, 201, await res.clone().text());
  await ctx.app.ctx.jobs.drain();
}
async function later(ctx: Ctx, seconds: number): Promise<void> {
  ctx.clock.advance(seconds * 1000);
  await ctx.app.ctx.jobs.drain();
}
/** The customer's thread, as "author: text" lines. */
async function seen(ctx: Ctx, customer = 'aigerim'): Promise<string[]> {
  const row = await ctx.app.ctx.db.selectFrom('channel_accounts').selectAll().where('client_id', '=', ctx.demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  return (await customerThread(ctx.app.ctx.db, toChannelAccount(row), customer)).map((m) => `${m.authorKind}: ${m.text}`);
}
const contactOf = (ctx: Ctx) => ctx.app.ctx.db.selectFrom('contacts').selectAll().where('client_id', '=', ctx.demo.id).executeTakeFirstOrThrow();
const conversationOf = (ctx: Ctx) => ctx.app.ctx.db.selectFrom('conversations').selectAll().where('client_id', '=', ctx.demo.id).executeTakeFirstOrThrow();

test('rewordings that were handed off are answered from the demo FAQ, in the customer\'s language', async (ctx) => {
  await say(ctx, 'Во сколько вы открываетесь?', 'a');
  await later(ctx, 5);
  await say(ctx, 'Есть ли доставка в Шымкент?', 'b');
  await later(ctx, 5);
  await say(ctx, 'жеткізу қанша тұрады', 'c');
  await later(ctx, 5);
  await say(ctx, 'skolko stoit dostavka', 'd');
  await later(ctx, 5);
  assert.match((await seen(ctx, 'a')).at(-1)!, /^ai: Мы работаем с понедельника по субботу/);
  assert.match((await seen(ctx, 'b')).at(-1)!, /^ai: По Алматы доставляем/);
  assert.match((await seen(ctx, 'c')).at(-1)!, /^ai: Алматы бойынша 1 күнде/);
  assert.match((await seen(ctx, 'd')).at(-1)!, /^ai: По Алматы доставляем/);
});

test('an entry\'s other phrasings and a client\'s synonyms find it; its answer comes in the customer\'s language', async (ctx) => {
  const answer = 'ru: Да, у нас есть парковка.\nkk: Иә, көлік тұрағы бар.\nen: Yes, we have parking.';
  await configure(ctx, { faq: [
    { question: 'Есть ли у вас парковка?', questions: ['Көлік қоятын орын бар ма?'], answer },
    { question: 'Сколько стоит доставка?', answer: 'Доставка 1 500 ₸.' },
  ] });
  await say(ctx, 'көлік қоятын жер бар ма', 'kk');
  await later(ctx, 5);
  assert.equal((await seen(ctx, 'kk')).at(-1), 'ai: Иә, көлік тұрағы бар.');
  await say(ctx, 'автостоянка у вас есть?', 'ru1');
  await later(ctx, 5);
  assert.match((await seen(ctx, 'ru1')).at(-1)!, /^ai: Спасибо за сообщение/, 'a word the FAQ does not know: handed off');
  await configure(ctx, { faqSynonyms: [['парковка', 'автостоянка']] });
  await say(ctx, 'автостоянка у вас есть?', 'ru2');
  await later(ctx, 5);
  assert.equal((await seen(ctx, 'ru2')).at(-1), 'ai: Да, у нас есть парковка.');
});

test('a question the FAQ does not cover is handed off to a person, not guessed', async (ctx) => {
  for (const [i, q] of ['можете починить мой телефон', 'can you lend me some money', 'маған ақша қарызға беріңізші'].entries()) {
    await say(ctx, q, `c${i}`);
    await later(ctx, 5);
    const last = (await seen(ctx, `c${i}`)).at(-1)!;
    assert.ok(/^ai: (Спасибо за сообщение|Thank you for your message|Хабарламаңызға рахмет)/.test(last), `${q} → ${last}`);
  }
  const handedOff = await ctx.app.ctx.db.selectFrom('conversations').select('ai_state').where('client_id', '=', ctx.demo.id).execute();
  assert.ok(handedOff.every((c) => c.ai_state === 'handed_off'));
});

test('a handoff word in any form hands off at once; counting people does not', async (ctx) => {
  await say(ctx, 'соедините с оператором пожалуйста', 'ru');
  await say(ctx, 'операторға жазыңыз', 'kk');
  await say(ctx, 'столик на 10 человек есть?', 'count');
  const states = async (customer: string) => (await ctx.app.ctx.db.selectFrom('conversations').innerJoin('contact_identities', 'contact_identities.contact_id', 'conversations.contact_id')
    .select('conversations.ai_state').where('contact_identities.value', '=', customer).executeTakeFirstOrThrow()).ai_state;
  assert.is(await states('ru'), 'handed_off');
  assert.is(await states('kk'), 'handed_off');
  assert.is(await states('count'), 'active');
});

test('STOP: one confirmation, then nothing automatic until START; a person can still write', async (ctx) => {
  await say(ctx, 'СТОП');
  assert.equal(await seen(ctx), ['contact: СТОП', 'system: Вы отписались от автоматических сообщений. Сотрудник может ответить вам лично. Чтобы снова получать их, напишите СТАРТ.']);
  assert.is((await contactOf(ctx)).objected, 1);
  await say(ctx, 'стоп!!');
  await say(ctx, 'сколько стоит доставка?');
  await later(ctx, 10);
  assert.is((await seen(ctx)).filter((l) => !l.startsWith('contact:')).length, 1, 'no second confirmation, no AI reply');
  const conv = await conversationOf(ctx);
  await sendMessage(ctx.app.ctx, ctx.demo.id, conv.id, { text: 'Здравствуйте, это Асель из магазина', authorKind: 'agent' });
  await ctx.app.ctx.jobs.drain();
  assert.match((await seen(ctx)).join('\n'), /Асель из магазина/);
  await say(ctx, 'бастау');
  assert.match((await seen(ctx)).at(-1)!, /^system: Сіз автоматты жауаптарды қайта аласыз/);
  assert.is((await contactOf(ctx)).objected, 0);
  const audit = await ctx.app.ctx.db.selectFrom('audit_log').select('action').where('client_id', '=', ctx.demo.id).where('action', 'like', 'contact.%').execute();
  assert.equal(audit.map((a) => a.action), ['contact.objected', 'contact.objection_lifted']);
});

test('STOP works with the AI off, in Kazakh and in a client\'s own word, and the offline auto-reply honours it', async (ctx) => {
  await configure(ctx, { enabled: false, stopKeywords: ['хватит'] });
  const set = (k: string, v: string) => setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.clock, k, v, ctx.demo.id);
  await set('auto_reply.enabled', 'true');
  await set('auto_reply.text', 'Мы сейчас не в сети');
  await say(ctx, 'привет', 'x');
  assert.equal(await seen(ctx, 'x'), ['contact: привет', 'system: Мы сейчас не в сети']);
  await say(ctx, 'тоқтаңыз', 'y');
  assert.match((await seen(ctx, 'y')).at(-1)!, /^system: Сіз автоматты хабарламалардан бас тарттыңыз/);
  await say(ctx, 'привет', 'y');
  assert.equal((await seen(ctx, 'y')).slice(2), ['contact: привет'], 'no auto-reply to an objecting contact');
  await say(ctx, 'хватит уже', 'z');
  assert.match((await seen(ctx, 'z')).at(-1)!, /^system: Вы отписались/);
  await say(ctx, 'STOP', 'w');
  assert.match((await seen(ctx, 'w')).at(-1)!, /^system: You have unsubscribed/);
  await configure(ctx, { languages: ['kk', 'ru'] });
  await say(ctx, 'STOP', 'v');
  assert.match((await seen(ctx, 'v')).at(-1)!, /^system: Сіз автоматты хабарламалардан бас тарттыңыз/, 'English is not among the languages: the first one');
});

test('a complete question is answered after the short quiet time; a burst still gets one reply', async (ctx) => {
  await configure(ctx, { debounceSeconds: 4 });
  await say(ctx, 'сколько стоит доставка?');
  await later(ctx, 1.6);
  assert.match((await seen(ctx)).at(-1)!, /^ai: По Алматы доставляем/);
  await say(ctx, 'а еще', 'b');
  await later(ctx, 1);
  await say(ctx, 'где вы находитесь?', 'b');
  await later(ctx, 1.6);
  const b = await seen(ctx, 'b');
  assert.is(b.filter((l) => l.startsWith('ai:')).length, 1);
  assert.match(b.at(-1)!, /^ai: Наш адрес/);
  await say(ctx, 'и еще вопрос', 'c');
  await later(ctx, 2);
  assert.is((await seen(ctx, 'c')).length, 1, 'an unfinished message waits the full debounce');
  await later(ctx, 2.5);
  assert.is((await seen(ctx, 'c')).length, 2);
});

interface Agent { jar: CookieJar; csrf: string }
async function agentIn(ctx: Ctx): Promise<Agent> {
  const email = (await buildUser(ctx.app, 'agent', ctx.demo.id, 'asel@demo.kz')).email;
  const jar = await loginAs(ctx.app, email, TEST_PASSWORD);
  return { jar, csrf: csrfFrom(await (await ctx.app.request(`/clients/${DEMO_SLUG}/inbox`, { jar })).text()) };
}

test('the agent sees the objection in the thread and lifts it (audited); the API shows it', async (ctx) => {
  await say(ctx, 'отписаться');
  const conv = await conversationOf(ctx);
  const agent = await agentIn(ctx);
  const thread = await (await ctx.app.request(`/clients/${DEMO_SLUG}/inbox/${conv.id}`, { jar: agent.jar })).text();
  assert.match(thread, /data-objected="1"/);
  assert.match(thread, /Клиент отказался от автоматических сообщений|The customer objected/);
  const { key } = await createApiKey(ctx.app.ctx.db, ctx.clock, { clientId: ctx.demo.id, label: 't' }, ADMIN);
  const getContact = async () => (await (await ctx.app.request(`/api/v1/contacts/${conv.contact_id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { objected: boolean; restricted: boolean };
  assert.equal(await getContact().then((c) => [c.objected, c.restricted]), [true, false]);
  const res = await ctx.app.request(`/clients/${DEMO_SLUG}/inbox/${conv.id}/objection`, {
    method: 'POST', jar: agent.jar, body: new URLSearchParams({ _csrf: agent.csrf }), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.ok(res.status === 303 || res.status === 200, String(res.status));
  assert.is((await getContact()).objected, false);
  const audit = await ctx.app.ctx.db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', '=', 'contact.objection_lifted').executeTakeFirstOrThrow();
  assert.is(audit.actor_label, 'asel@demo.kz');
  const noCsrf = await ctx.app.request(`/clients/${DEMO_SLUG}/inbox/${conv.id}/objection`, { method: 'POST', jar: agent.jar, body: new URLSearchParams({}), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(noCsrf.status, 403);
});

test('PUT /api/v1/settings/ai takes stop_keywords, start_keywords, faq_synonyms and FAQ questions; null restores the defaults', async (ctx) => {
  const { key } = await createApiKey(ctx.app.ctx.db, ctx.clock, { clientId: ctx.demo.id, label: 't' }, ADMIN);
  const put = (body: unknown) => ctx.app.request('/api/v1/settings/ai', { method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const before = (await (await ctx.app.request('/api/v1/settings/ai', { headers: { authorization: `Bearer ${key}` } })).json()) as Record<string, unknown>;
  assert.ok((before.stop_keywords as string[]).includes('отписаться'));
  let res = await put({ stop_keywords: ['Хватит'], start_keywords: ['поехали'], faq_synonyms: [['цена', 'баға', 'price']], faq: [{ question: 'Цена?', questions: ['Бағасы?', 'Price?'], answer: '100 ₸' }] });
  assert.is(res.status, 200, await res.clone().text());
  const after = (await res.json()) as Record<string, unknown>;
  assert.equal(after.stop_keywords, ['хватит']);
  assert.equal(after.start_keywords, ['поехали']);
  assert.equal(after.faq_synonyms, [['цена', 'баға', 'price']]);
  assert.equal(after.faq, [{ question: 'Цена?', questions: ['Бағасы?', 'Price?'], answer: '100 ₸' }]);
  res = await put({ stop_keywords: null });
  assert.ok(((await res.json()) as { stop_keywords: string[] }).stop_keywords.includes('отписаться'));
  res = await put({ faq_synonyms: [['одно']] });
  assert.is(res.status, 400);
  assert.match(((await res.json()) as { error: { field: string } }).error.field, /^faq_synonyms/);
});

test.run();
