import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import { createChannelAccount } from '../../channels/index.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';
import { readEvents } from '../../testing/sse-reader.ts';

// The inbox's live stream, read as a browser's EventSource reads it: from a listening server.

interface Ctx { app: TestApp; url: string; token: string; otherToken: string; agent: CookieJar; outsider: CookieJar }
const test = suite<Ctx>('inbox live stream (SSE)');

async function customerSays(url: string, token: string, customer: string, text: string): Promise<string> {
  const res = await fetch(`${url}/c/${token}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, customer }) });
  assert.is(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

test.before(async (ctx) => {
  ctx.app = await makeTestApp();
  ctx.url = await ctx.app.listen();
  const { db, clock, vault } = ctx.app.ctx;
  const demo = (await findClient(db, DEMO_SLUG))!;
  ctx.token = (await db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', demo.id).executeTakeFirstOrThrow()).public_token!;
  const other = await buildClient(ctx.app);
  ctx.otherToken = (await createChannelAccount(db, clock, vault, { clientId: other.id, kind: 'sandbox', name: 'Other' })).publicToken!;
  ctx.agent = await loginAs(ctx.app, (await buildUser(ctx.app, 'agent', demo.id)).email, TEST_PASSWORD);
  ctx.outsider = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', other.id)).email, TEST_PASSWORD);
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

test('a new inbound message reaches an open inbox through the stream at once, and another client’s never does', async ({ app, url, token, otherToken, agent }) => {
  const baseline = app.ctx.hub.subscriberCount;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 5000);
  try {
    const res = await fetch(`${url}/clients/${DEMO_SLUG}/inbox/events`, { headers: { cookie: agent.header() }, signal: abort.signal });
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', 'text/event-stream');
    const ready = await readEvents(res.body!, (e) => e.event === 'ready', 2000);
    assert.is(ready.at(-1)?.event, 'ready');
    assert.is(app.ctx.hub.subscriberCount, baseline + 1);

    const foreign = await customerSays(url, otherToken, 'x', 'Чужое сообщение');
    const id = await customerSays(url, token, 'live-customer', 'Вы на связи?');
    const events = await readEvents(res.body!, (e) => e.event === 'message' && e.data.includes(id), 2000);
    const got = events.find((e) => e.event === 'message' && e.data.includes(id));
    assert.ok(got, `the message event arrived (got ${JSON.stringify(events)})`);
    const data = JSON.parse(got!.data);
    assert.is(data.type, 'message.received');
    assert.is(data.message_id, id);
    assert.ok(/^[0-9a-z]{26}$/.test(data.conversation_id));
    assert.ok(events.some((e) => e.event === 'conversation' && JSON.parse(e.data).change === 'created'), 'the new conversation is announced too');
    assert.not.ok(events.some((e) => e.data.includes(foreign)), 'no event of another client');
    assert.not.ok(events.some((e) => e.data.includes('Вы на связи')), 'ids only: no message text in the stream');
  } finally {
    abort.abort();
    clearTimeout(timer);
  }
  // The browser went away: the stream unsubscribes.
  for (let i = 0; i < 40 && app.ctx.hub.subscriberCount > baseline; i++) await new Promise((r) => setTimeout(r, 25));
  assert.is(app.ctx.hub.subscriberCount, baseline);
});

test('a member of another client, or nobody signed in, gets no stream', async ({ app, url, outsider }) => {
  const baseline = app.ctx.hub.subscriberCount;
  const res = await fetch(`${url}/clients/${DEMO_SLUG}/inbox/events`, { headers: { cookie: outsider.header() } });
  assert.is(res.status, 404);
  await res.body?.cancel();
  const anon = await fetch(`${url}/clients/${DEMO_SLUG}/inbox/events`, { redirect: 'manual' });
  assert.ok([302, 303, 401].includes(anon.status), String(anon.status));
  await anon.body?.cancel();
  assert.is(app.ctx.hub.subscriberCount, baseline);
});

test.run();
