import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, csrfFrom, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { ManualClock } from '../../lib/clock.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';

// The usage report as an admin reads it after answering a customer in the inbox, over the real app.

interface Ctx { app: TestApp; clock: ManualClock }
const test = suite<Ctx>('AI usage report: first responses by the AI and by a person');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock('2026-03-02T06:00:00.000Z');
  ctx.app = await makeTestApp({ clock: ctx.clock });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const reportRow = (html: string, label: string) => html.match(new RegExp(`<tr><td>${label}</td><td>([^<]*)</td></tr>`))?.[1];

test('an admin\'s reply after the AI answered counts as a first response by a person, in ru and kk units', async ({ app, clock }) => {
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  const sandbox = await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  const res = await app.request(`/c/${sandbox.public_token}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Здравствуйте! Сколько стоит доставка?', customer: 'aigerim' }) });
  assert.is(res.status, 201);
  const { id } = (await res.json()) as { id: string };
  await app.ctx.jobs.drain(); // the pipeline schedules the AI's reply after its debounce
  clock.advance(5_000);
  await app.ctx.jobs.drain();
  const conversationId = (await app.ctx.db.selectFrom('messages').select('conversation_id').where('id', '=', id).executeTakeFirstOrThrow()).conversation_id;
  const ai = await app.ctx.db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('author_kind', '=', 'ai').execute();
  assert.is(ai.length, 1, 'the demo FAQ answered first');

  clock.advance(85_000); // the admin answers 90 s after the customer wrote
  const admin = await buildUser(app, 'admin');
  const jar = await loginAs(app, admin.email, TEST_PASSWORD);
  const thread = await (await app.request(`/clients/${DEMO_SLUG}/inbox/${conversationId}`, { jar })).text();
  const body = new FormData();
  body.set('_csrf', csrfFrom(thread));
  body.set('text', 'Доставка по Алматы — 1500 тенге.');
  assert.ok([200, 303].includes((await app.request(`/clients/${DEMO_SLUG}/inbox/${conversationId}/reply`, { method: 'POST', jar, body })).status));

  const ru = await (await app.request(`/clients/${DEMO_SLUG}/ai/usage`, { jar })).text();
  assert.is(reportRow(ru, 'Первый ответ от сотрудника'), 'медиана 2 мин, 90% за 2 мин (разговоров: 1)');
  assert.is(reportRow(ru, 'Первый ответ от ИИ'), 'медиана 5 с, 90% за 5 с (разговоров: 1)');
  const lang = new FormData();
  lang.set('_csrf', csrfFrom(ru));
  lang.set('language', 'kk');
  assert.is((await app.request('/account/language', { method: 'POST', jar, body: lang })).status, 303);
  const kk = await (await app.request(`/clients/${DEMO_SLUG}/ai/usage`, { jar })).text();
  assert.is(reportRow(kk, 'Қызметкердің алғашқы жауабы'), 'медиана 2 мин, 90% — 2 мин ішінде (1 әңгіме)');
  assert.is(reportRow(kk, 'ЖИ-дің алғашқы жауабы'), 'медиана 5 сек, 90% — 5 сек ішінде (1 әңгіме)');
});

test.run();
