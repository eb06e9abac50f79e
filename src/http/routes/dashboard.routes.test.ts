import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, postForm, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { PigeonLoft } from '../../testing/pigeon-channel.ts';
import { CHANNEL_DRIVERS, createChannelAccount } from '../../channels/index.ts';
import { DEMO_SLUG, findClient, type Client } from '../../tenants/index.ts';

// The dashboard's first steps as an admin meets them on a fresh install, over the real app.

interface Ctx { app: TestApp; demo: Client; admin: CookieJar }
const test = suite<Ctx>('dashboard: first steps');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ channelDrivers: [...CHANNEL_DRIVERS, new PigeonLoft().driver] });
  ctx.demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  ctx.admin = await loginAs(ctx.app, (await buildUser(ctx.app, 'admin')).email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

/** Each step of the dashboard as [key, done]. */
async function steps(app: TestApp, jar: CookieJar): Promise<Array<[string, boolean]>> {
  const html = await (await app.request('/', { jar })).text();
  return [...html.matchAll(/data-step="(\w+)" data-done="(true|false)"/g)].map((m) => [m[1], m[2] === 'true']);
}

test('a fresh install shows four steps, none done, with the demo customer chat link', async ({ app, admin }) => {
  assert.equal(await steps(app, admin), [['chat', false], ['whatsapp', false], ['ai', false], ['invite', false]]);
  const html = await (await app.request('/', { jar: admin })).text();
  assert.match(html, 'Первые шаги');
  assert.match(html, /<a href="http:\/\/[^"]+\/c\/[^"]+" target="_blank" rel="noopener">Попробуйте чат для клиента<\/a>/);
});

test('each step is ticked by what was done: a customer wrote, a number connected, the AI saved, a colleague added', async ({ app, demo, admin }) => {
  const sandbox = await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  const sent = await app.request(`/c/${sandbox.public_token}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Здравствуйте!' }) });
  assert.is(sent.status, 201);
  assert.equal((await steps(app, admin)).map(([, d]) => d), [true, false, false, false]);

  await createChannelAccount(app.ctx.db, app.ctx.clock, app.ctx.vault, { clientId: demo.id, kind: 'pigeon', name: 'Loft' }, app.ctx.channels.registry);
  assert.equal((await steps(app, admin)).map(([, d]) => d), [true, true, false, false]);

  const ai = await (await app.request(`/clients/${DEMO_SLUG}/ai`, { jar: admin })).text();
  const form = { _form: '1', enabled: '1', provider: 'faq', faq: 'Часы работы?\nС 9 до 18.', lang_ru: '1', debounce_seconds: '4', resume_after_minutes: '60', fallback_text: 'Ответим скоро.', reply_length: 'medium' };
  assert.is((await postForm(app, admin, `/clients/${DEMO_SLUG}/ai`, form, csrfFrom(ai))).status, 303);
  assert.equal((await steps(app, admin)).map(([, d]) => d), [true, true, true, false]);

  await buildUser(app, 'agent', demo.id);
  assert.equal((await steps(app, admin)).map(([, d]) => d), [true, true, true, true]);
  assert.match(await (await app.request('/', { jar: admin })).text(), 'всё готово');
});

test('hiding the steps needs the form\'s CSRF token, lasts for that person only; agents never see them', async ({ app, demo, admin }) => {
  const noToken = await app.request('/first-steps/dismiss', { method: 'POST', jar: admin, body: new URLSearchParams({}), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(noToken.status, 403);
  assert.is((await steps(app, admin)).length, 4, 'still shown');
  const home = await (await app.request('/', { jar: admin })).text();
  const res = await postForm(app, admin, '/first-steps/dismiss', {}, csrfFrom(home));
  assert.is(res.status, 303);
  const after = await (await app.request(res.headers.get('location')!, { jar: admin })).text();
  assert.match(after, 'Первые шаги скрыты');
  assert.not.match(after, 'id="first-steps"');
  assert.is((await steps(app, admin)).length, 0, 'hidden after a reload too');

  const owner = await loginAs(app, (await buildUser(app, 'owner', demo.id)).email, TEST_PASSWORD);
  assert.is((await steps(app, owner)).length, 4, 'the owner still sees their own');
  const agent = await loginAs(app, (await buildUser(app, 'agent', demo.id)).email, TEST_PASSWORD);
  assert.is((await steps(app, agent)).length, 0);
});

test.run();
