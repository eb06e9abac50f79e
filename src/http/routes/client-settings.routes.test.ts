import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, buildClient, postForm, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { quietSandbox } from '../../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../../channels/index.ts';
import { getSetting, hasSetting } from '../../settings/index.ts';
import { listAudit } from '../../audit/index.ts';
import { getClient, grantSupportAccess, type Client } from '../../tenants/index.ts';
import type { ManualClock } from '../../lib/clock.ts';

const test = suite<{ app: TestApp; ch: ChannelAccount; client: Client; owner: CookieJar; ownerId: string }>('client settings screen');

const OFFLINE = 'Мы сейчас не в сети, ответим утром.';

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.ch = await quietSandbox(ctx.app);
  ctx.client = await getClient(ctx.app.ctx.db, ctx.ch.clientId);
  const owner = await buildUser(ctx.app, 'owner', ctx.client.id);
  ctx.ownerId = owner.id;
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const url = (client: Client) => `/clients/${client.slug}/settings`;

/** Posts the settings form as the browser does: with the page's own CSRF token and its checkbox markers. */
async function submit(app: TestApp, jar: CookieJar, client: Client, fields: Record<string, string>): Promise<Response> {
  const page = await (await app.request(url(client), { jar })).text();
  return postForm(app, jar, url(client), { 'has:auto_reply.enabled': '1', ...fields }, csrfFrom(page));
}

/** A customer writes on the public sandbox page; the replies they actually received. */
async function customerWrites(app: TestApp, ch: ChannelAccount, text: string) {
  const res = await app.request(`/c/${ch.publicToken}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, customer: 'alice' }) });
  assert.is(res.status, 201);
  await app.ctx.jobs.drain();
  return app.ctx.db.selectFrom('messages').innerJoin('sandbox_deliveries as d', 'd.message_id', 'messages.id')
    .select(['messages.text', 'messages.author_kind']).where('messages.client_id', '=', ch.clientId).orderBy('messages.id').execute();
}

test('an owner turns the auto-reply on in the form, and a customer who writes while nobody is online gets it', async ({ app, ch, client, owner }) => {
  const page = await (await app.request(url(client), { jar: owner })).text();
  assert.match(page, /Автоответ/);
  assert.match(page, /type="checkbox" name="auto_reply\.enabled" value="true"/);
  assert.match(page, /<textarea name="auto_reply\.text"/);
  assert.match(page, /type="number" value="10"/, 'an unset number shows its default');
  assert.match(page, new RegExp(`href="${url(client)}" class="active"`), 'the client tab is there');

  const res = await submit(app, owner, client, { 'auto_reply.enabled': 'true', 'auto_reply.text': OFFLINE, 'auto_reply.online_minutes': '10', 'auto_reply.repeat_after_minutes': '60' });
  assert.is(res.status, 303);
  const { db, vault } = app.ctx;
  assert.is(await getSetting(db, vault, 'auto_reply.enabled', client.id), 'true');
  assert.is(await getSetting(db, vault, 'auto_reply.text', client.id), OFFLINE);
  assert.is(await hasSetting(db, 'auto_reply.online_minutes', client.id), false, 'a default left as shown stays a default');
  const [entry] = await listAudit(db, { action: 'settings.updated' });
  assert.is(entry.clientId, client.id);
  assert.equal(JSON.parse(entry.details), { keys: ['auto_reply.enabled', 'auto_reply.text'] });
  const again = await (await app.request(url(client), { jar: owner })).text();
  assert.match(again, /name="auto_reply\.enabled" value="true" checked/);
  assert.ok(again.includes(OFFLINE));

  assert.equal(await customerWrites(app, ch, 'Здравствуйте?'), [], 'the owner is online: no auto-reply');
  (app.clock as ManualClock).advance(11 * 60_000);
  assert.equal(await customerWrites(app, ch, 'Есть кто?'), [{ text: OFFLINE, author_kind: 'system' }]);

  // Unticking the box turns it off again.
  assert.is((await submit(app, owner, client, { 'auto_reply.text': OFFLINE })).status, 303);
  assert.is(await getSetting(db, vault, 'auto_reply.enabled', client.id), 'false');
});

test('an invalid number is shown inline with 422 in the user’s language and nothing changes', async ({ app, client, owner }) => {
  const res = await submit(app, owner, client, { 'auto_reply.enabled': 'true', 'auto_reply.text': 'Hi', 'auto_reply.online_minutes': '0' });
  assert.is(res.status, 422);
  const html = await res.text();
  assert.match(html, /Введите целое число от 1 до 1440/);
  assert.match(html, /name="auto_reply\.online_minutes" type="number" value="0"/, 'what the user typed is shown again');
  const rows = await app.ctx.db.selectFrom('settings').select('key').where('client_id', '=', client.id).execute();
  assert.equal(rows, []);
  assert.is((await listAudit(app.ctx.db, { action: 'settings.updated' })).length, 0);
});

test('agents get 403; other clients get 404; support staff without a grant get 403, and with one may only look', async ({ app, client, ownerId }) => {
  const agent = await loginAs(app, (await buildUser(app, 'agent', client.id)).email, TEST_PASSWORD);
  assert.is((await app.request(url(client), { jar: agent })).status, 403);
  assert.is((await postForm(app, agent, url(client), { 'has:auto_reply.enabled': '1', 'auto_reply.enabled': 'true' })).status, 403);

  const other = await buildClient(app);
  const stranger = await loginAs(app, (await buildUser(app, 'owner', other.id)).email, TEST_PASSWORD);
  assert.is((await app.request(url(client), { jar: stranger })).status, 404);
  assert.is((await postForm(app, stranger, url(client), { 'has:auto_reply.enabled': '1', 'auto_reply.enabled': 'true' })).status, 404);

  const support = await loginAs(app, (await buildUser(app, 'support')).email, TEST_PASSWORD);
  assert.is((await app.request(url(client), { jar: support })).status, 403, 'no grant: not even the page');
  await grantSupportAccess(app.ctx.db, app.ctx.clock, { clientId: client.id, grantedBy: ownerId, hours: 1, reason: 'auto-reply question' }, { id: ownerId, label: 'owner' });
  const seen = await app.request(url(client), { jar: support });
  assert.is(seen.status, 200);
  assert.match(await seen.text(), /<fieldset disabled/);
  assert.is((await postForm(app, support, url(client), { 'has:auto_reply.enabled': '1', 'auto_reply.enabled': 'true' })).status, 403);
  assert.is(await hasSetting(app.ctx.db, 'auto_reply.enabled', client.id), false);
});

test.run();
