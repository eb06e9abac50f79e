import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { DEMO_SLUG, findClient, type Client } from '../../tenants/index.ts';
import { MAX_ATTACHMENT_BYTES } from '../../messaging/index.ts';
import { translator } from '../../../views/i18n/index.ts';

// The built-in inbox as an agent uses it, against the real app over a real SQLite file.

interface Ctx { app: TestApp; demo: Client; token: string; agent: CookieJar; csrf: string; outsiders: Record<string, CookieJar> }
const test = suite<Ctx>('inbox: list, thread, reply, state, contact, files');
const t = translator('ru');
const INBOX = `/clients/${DEMO_SLUG}/inbox`;

async function customerSays(app: TestApp, token: string, customer: string, text: string): Promise<string> {
  const res = await app.request(`/c/${token}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, customer }) });
  assert.is(res.status, 201, await res.clone().text());
  return ((await res.json()) as { id: string }).id;
}

async function conversationOf(app: TestApp, messageId: string) {
  const m = await app.ctx.db.selectFrom('messages').select('conversation_id').where('id', '=', messageId).executeTakeFirstOrThrow();
  return app.ctx.db.selectFrom('conversations').selectAll().where('id', '=', m.conversation_id).executeTakeFirstOrThrow();
}

function post(app: TestApp, jar: CookieJar, url: string, fields: Record<string, string | Blob>, csrf: string) {
  const body = new FormData();
  body.set('_csrf', csrf);
  for (const [k, v] of Object.entries(fields)) body.set(k, v as string);
  return app.request(url, { method: 'POST', jar, body });
}

test.before(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  const sandbox = await ctx.app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', ctx.demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  ctx.token = sandbox.public_token!;
  const agent = await buildUser(ctx.app, 'agent', ctx.demo.id);
  ctx.agent = await loginAs(ctx.app, agent.email, TEST_PASSWORD);
  ctx.csrf = csrfFrom(await (await ctx.app.request(INBOX, { jar: ctx.agent })).text());
  const other = await buildClient(ctx.app, { slug: 'other-co' });
  ctx.outsiders = {};
  for (const role of ['owner', 'agent'] as const) {
    const u = await buildUser(ctx.app, role, other.id);
    ctx.outsiders[role] = await loginAs(ctx.app, u.email, TEST_PASSWORD);
  }
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

test('an agent sees the sandbox customer’s message in the list (unread) and in the thread, and opening it marks it read', async ({ app, token, agent }) => {
  const id = await customerSays(app, token, 'aigerim', 'Сколько стоит доставка в Алматы?');
  const list = await (await app.request(INBOX, { jar: agent })).text();
  assert.match(list, 'Сколько стоит доставка в Алматы?');
  assert.match(list, 'aigerim');
  assert.match(list, /class="badge unread-count"[^>]*>1</);
  const conv = await conversationOf(app, id);
  assert.is(conv.unread_count, 1);
  const thread = await app.request(`${INBOX}/${conv.id}`, { jar: agent });
  assert.is(thread.status, 200);
  const html = await thread.text();
  assert.match(html, /id="msg-[0-9a-z]{26}"[^>]*msg-in/);
  assert.match(html, 'Сколько стоит доставка в Алматы?');
  assert.match(html, 'data-live-src="/clients/demo/inbox/events"');
  assert.is((await conversationOf(app, id)).unread_count, 0, 'opening the thread resets the unread count');
});

test('the list filters by status and unread, and searches by name, phone and message text', async ({ app, token, agent, demo, csrf }) => {
  const a = await conversationOf(app, await customerSays(app, token, 'bauyrzhan', 'Нужен счёт на оплату'));
  const b = await conversationOf(app, await customerSays(app, token, 'dana', 'Здравствуйте'));
  await post(app, agent, `${INBOX}/${a.id}/contact`, { display_name: 'Бауыржан Сейткали', phone: '+7 701 555 44 33', tags: 'опт' }, csrf);
  await post(app, agent, `${INBOX}/${b.id}/status`, { status: 'resolved' }, csrf);
  await app.request(`${INBOX}/${b.id}`, { jar: agent }); // read
  const page = async (q: string) => (await app.request(`${INBOX}${q}`, { jar: agent })).text();
  const has = (html: string, id: string) => html.includes(`id="conv-${id}"`);
  let html = await page('?q=' + encodeURIComponent('бауыржан'));
  assert.ok(has(html, a.id) && !has(html, b.id), 'a Cyrillic name matches whatever its case');
  html = await page('?q=5554433');
  assert.ok(has(html, a.id) && !has(html, b.id), 'digits match the phone number');
  html = await page('?q=' + encodeURIComponent('счёт на'));
  assert.ok(has(html, a.id) && !has(html, b.id), 'message text matches');
  html = await page('?status=resolved');
  assert.ok(has(html, b.id) && !has(html, a.id));
  html = await page('?unread=1');
  assert.ok(has(html, a.id) && !has(html, b.id), 'only conversations with unread messages');
  html = await page('?q=' + encodeURIComponent('%'));
  assert.not.ok(has(html, a.id), 'LIKE wildcards in a search are literal');
  // The live refresh asks for the list alone, keeping the filters.
  const fragment = await (await app.request(`${INBOX}?status=resolved&part=list`, { jar: agent, headers: { 'hx-request': 'true' } })).text();
  assert.not.match(fragment, '<html');
  assert.match(fragment, `id="conv-${b.id}"`);
  assert.match(fragment, `hx-get="/clients/${demo.slug}/inbox?status=resolved&amp;part=list"`);
});

test('replying as an agent stores an outbound message that the customer page then shows, with its delivery status in the thread', async ({ app, token, agent, csrf }) => {
  const conv = await conversationOf(app, await customerSays(app, token, 'erlan', 'Вы работаете в субботу?'));
  const res = await post(app, agent, `${INBOX}/${conv.id}/reply`, { text: 'Да, с 10 до 16.' }, csrf);
  assert.is(res.status, 303);
  const stored = await app.ctx.db.selectFrom('messages').selectAll().where('conversation_id', '=', conv.id).where('direction', '=', 'out').execute();
  assert.is(stored.length, 1);
  assert.is(stored[0].author_kind, 'agent');
  assert.is(stored[0].status, 'queued');
  let thread = await (await app.request(`${INBOX}/${conv.id}`, { jar: agent })).text();
  assert.match(thread, t('inbox.delivery.queued'));
  await app.ctx.jobs.drain();
  thread = await (await app.request(`${INBOX}/${conv.id}`, { jar: agent })).text();
  assert.match(thread, t('inbox.delivery.sent'));
  const link = thread.match(/href="http:\/\/[^"]+(\/c\/[^"]+\?customer=erlan&amp;sig=[^"]+)"/);
  assert.ok(link, 'the thread links the customer’s own (signed) chat page');
  const customerPage = await (await app.request(link![1].replace(/&amp;/g, '&'))).text();
  assert.match(customerPage, 'Да, с 10 до 16.');
  // An empty reply is refused in the reply box, nothing stored.
  const empty = await post(app, agent, `${INBOX}/${conv.id}/reply`, { text: '   ' }, csrf);
  assert.is(empty.status, 422);
  assert.match(await empty.text(), t('validation.empty_message'));
  const after = await app.ctx.db.selectFrom('messages').select('id').where('conversation_id', '=', conv.id).where('direction', '=', 'out').execute();
  assert.is(after.length, 1);
});

test('a file goes out with a reply and downloads from the thread; one over the cap is refused with a clear message and nothing is stored', async ({ app, token, agent, csrf, demo, outsiders }) => {
  const conv = await conversationOf(app, await customerSays(app, token, 'gulnar', 'Пришлите прайс'));
  const bytes = new TextEncoder().encode('price list,1000 KZT\n');
  const ok = await post(app, agent, `${INBOX}/${conv.id}/reply`, { text: 'Прайс во вложении', file: new File([bytes], 'прайс.csv', { type: 'text/csv' }) }, csrf);
  assert.is(ok.status, 303);
  const thread = await (await app.request(`${INBOX}/${conv.id}`, { jar: agent })).text();
  const link = thread.match(new RegExp(`href="(${INBOX}/${conv.id}/attachments/[0-9a-z]{26})"`));
  assert.ok(link, 'the thread links the file');
  assert.match(thread, 'прайс.csv');
  const file = await app.request(link![1], { jar: agent });
  assert.is(file.status, 200);
  assert.equal(new Uint8Array(await file.arrayBuffer()), bytes);
  assert.match(file.headers.get('content-disposition') ?? '', /^attachment;/);
  assert.is((await app.request(link![1], { jar: outsiders.agent })).status, 404, 'another client’s member cannot download it');
  const otherConv = await conversationOf(app, await customerSays(app, token, 'someone-else', 'Привет'));
  assert.is((await app.request(link![1].replace(conv.id, otherConv.id), { jar: agent })).status, 404, 'only through its own conversation');

  const countFiles = () => app.ctx.db.selectFrom('attachments').select('id').where('client_id', '=', demo.id).execute().then((r) => r.length);
  const filesBefore = await countFiles();
  const onDiskBefore = fs.readdirSync(path.join(app.dir, 'attachments'), { recursive: true }).length;
  const big = new File([new Uint8Array(MAX_ATTACHMENT_BYTES + 1)], 'video.mp4', { type: 'video/mp4' });
  const refused = await post(app, agent, `${INBOX}/${conv.id}/reply`, { text: 'Видео', file: big }, csrf);
  assert.is(refused.status, 422);
  const html = await refused.text();
  assert.match(html, t('inbox.file_too_large', { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 }));
  assert.match(html, '>Видео</textarea>', 'the text typed is kept');
  assert.is(await countFiles(), filesBefore);
  assert.is(fs.readdirSync(path.join(app.dir, 'attachments'), { recursive: true }).length, onDiskBefore);
  const outs = await app.ctx.db.selectFrom('messages').select('text').where('conversation_id', '=', conv.id).where('direction', '=', 'out').execute();
  assert.equal(outs.map((m) => m.text), ['Прайс во вложении']);
});

test('resolve, reopen, take over (pause the AI) and resume change the conversation’s state, shown in the thread', async ({ app, token, agent, csrf }) => {
  const conv = await conversationOf(app, await customerSays(app, token, 'marat', 'Хочу поговорить с человеком'));
  const url = `${INBOX}/${conv.id}`;
  const state = () => app.ctx.db.selectFrom('conversations').select(['status', 'ai_state']).where('id', '=', conv.id).executeTakeFirstOrThrow();
  assert.is((await post(app, agent, `${url}/status?status=open`, { status: 'resolved' }, csrf)).headers.get('location'), `${url}?status=open`, 'back to the thread, filters kept');
  assert.is((await state()).status, 'resolved');
  assert.match(await (await app.request(url, { jar: agent })).text(), t('inbox.reopen'));
  await post(app, agent, `${url}/status`, { status: 'open' }, csrf);
  assert.is((await state()).status, 'open');

  // Take over = pause the AI: one control in the header, posting to the AI room's state route.
  let html = await (await app.request(url, { jar: agent })).text();
  const stateUrl = `/clients/${DEMO_SLUG}/ai/conversations/${conv.id}/state`;
  assert.match(html, `action="${stateUrl}"`);
  assert.match(html, t('inbox.ai.pause'));
  const paused = await post(app, agent, stateUrl, { state: 'paused', minutes: '', next: `${url}?status=open` }, csrf);
  assert.match(paused.headers.get('location') ?? '', `${url}?status=open&flash=`, 'back to the thread, filters kept');
  assert.is((await state()).ai_state, 'paused');
  html = await (await app.request(url, { jar: agent })).text();
  assert.match(html, t('inbox.ai.paused'));
  assert.match(html, t('inbox.ai.until_resumed'));
  assert.match(html, t('inbox.ai.resume'));
  const audit = await app.ctx.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'ai_state.changed').execute();
  assert.ok(audit.some((a) => a.target_id === conv.id), 'taking over is in the audit log');
  await post(app, agent, stateUrl, { state: 'active', next: url }, csrf);
  assert.is((await state()).ai_state, 'active');
  html = await (await app.request(url, { jar: agent })).text();
  assert.match(html, t('inbox.ai.pause'));
  assert.is((await post(app, agent, `${url}/status`, { status: 'closed' }, csrf)).status, 400, 'an unknown status is refused');
  assert.is((await state()).status, 'open');
});

test('a mistake in the contact form shows the error by its field and changes nothing; a correct one saves', async ({ app, token, agent, csrf }) => {
  const conv = await conversationOf(app, await customerSays(app, token, 'nurlan', 'Добрый день'));
  const contact = () => app.ctx.db.selectFrom('contacts').select(['display_name', 'phone', 'tags']).where('id', '=', conv.contact_id).executeTakeFirstOrThrow();
  const before = await contact();
  const bad = await post(app, agent, `${INBOX}/${conv.id}/contact`, { display_name: 'Нурлан', phone: 'не телефон', tags: 'vip' }, csrf);
  assert.is(bad.status, 422);
  const html = await bad.text();
  assert.match(html, /<details class="card contact-editor" open/);
  assert.match(html, t('validation.invalid_phone'));
  assert.match(html, 'value="не телефон"', 'what was typed is kept');
  assert.equal(await contact(), before);
  const good = await post(app, agent, `${INBOX}/${conv.id}/contact`, { display_name: 'Нурлан', phone: '+7 (701) 111-22-33', tags: 'vip, опт, vip' }, csrf);
  assert.is(good.status, 303);
  assert.equal(await contact(), { display_name: 'Нурлан', phone: '+77011112233', tags: JSON.stringify(['vip', 'опт']) });
});

test('an agent starts a conversation with a new sandbox customer, optionally without automatic replies', async ({ app, agent, csrf, demo }) => {
  const channel = await app.ctx.db.selectFrom('channel_accounts').select('id').where('client_id', '=', demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  const form = await (await app.request(`${INBOX}/new`, { jar: agent })).text();
  assert.match(form, `value="${channel.id}"`);
  const res = await post(app, agent, `${INBOX}/new`, { channel: channel.id, to: '', name: 'Тестовый клиент', text: 'Здравствуйте! Ваш заказ готов.', pause: '1' }, csrf);
  assert.is(res.status, 303);
  const id = res.headers.get('location')!.split('/').pop()!;
  const conv = await app.ctx.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.is(conv.ai_state, 'paused');
  const thread = await (await app.request(`${INBOX}/${id}`, { jar: agent })).text();
  assert.match(thread, 'Тестовый клиент');
  assert.match(thread, 'Здравствуйте! Ваш заказ готов.');
  assert.match(thread, new RegExp(`href="http://[^"]+/c/[A-Za-z0-9_-]+\\?customer=s_[^"&]+&amp;sig=`), 'a link to the new customer’s chat page');
  const bad = await post(app, agent, `${INBOX}/new`, { channel: channel.id, to: '', name: '', text: '' }, csrf);
  assert.is(bad.status, 422);
  assert.match(await bad.text(), t('validation.empty_message'));
});

test('members of another client get 404 on every inbox route of this client, and nothing changes', async ({ app, token, outsiders, agent }) => {
  const conv = await conversationOf(app, await customerSays(app, token, 'victim', 'Личные данные'));
  const att = await app.ctx.db.selectFrom('attachments').select('id').executeTakeFirst();
  const snapshot = async () => JSON.stringify([
    await app.ctx.db.selectFrom('conversations').selectAll().where('id', '=', conv.id).execute(),
    await app.ctx.db.selectFrom('messages').select('id').where('conversation_id', '=', conv.id).execute(),
    await app.ctx.db.selectFrom('contacts').selectAll().where('id', '=', conv.contact_id).execute(),
  ]);
  const before = await snapshot();
  const routes: Array<[string, string, Record<string, string>?]> = [
    ['GET', INBOX], ['GET', `${INBOX}?part=list`], ['GET', `${INBOX}/events`], ['GET', `${INBOX}/new`],
    ['POST', `${INBOX}/new`, { channel: 'x', text: 'hi' }], ['GET', `${INBOX}/${conv.id}`], ['GET', `${INBOX}/${conv.id}?part=messages`],
    ['POST', `${INBOX}/${conv.id}/reply`, { text: 'intrusion' }], ['POST', `${INBOX}/${conv.id}/status`, { status: 'resolved' }],
    ['POST', `/clients/${DEMO_SLUG}/ai/conversations/${conv.id}/state`, { state: 'off' }],
    ['POST', `${INBOX}/${conv.id}/contact`, { display_name: 'Intruder' }], ['GET', `${INBOX}/${conv.id}/attachments/${att?.id ?? 'x'}`],
  ];
  for (const jar of Object.values(outsiders)) {
    const csrf = csrfFrom(await (await app.request('/', { jar })).text());
    for (const [method, url, fields] of routes) {
      const res = method === 'GET' ? await app.request(url, { jar }) : await post(app, jar, url, fields ?? {}, csrf);
      assert.is(res.status, 404, `${method} ${url}`);
      assert.not.match(await res.text(), 'Личные данные');
    }
  }
  assert.is(await snapshot(), before);
  assert.is((await app.request(`${INBOX}/${conv.id}`, { jar: agent })).status, 200, 'the client’s own agent still gets in');
});

test.run();
