import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../../testing/test-app.ts';
import { readEvents } from '../../testing/sse-reader.ts';
import { ManualClock } from '../../lib/clock.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';
import { updateAiSettings } from '../../ai/index.ts';

// The sandbox customer page gets its replies live (Server-Sent Events) instead of polling: the
// stream says "message" the moment the customer's own thread changes, never for another customer,
// and the page is wired to refresh the thread on it. Real app on a port, real SQLite file.

interface Ctx { app: TestApp; clock: ManualClock; token: string; url: string }
const test = suite<Ctx>('sandbox customer page: live replies');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  ctx.app = await makeTestApp({ clock: ctx.clock });
  const demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  await updateAiSettings(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.clock, demo.id, { disclosure: null }, { id: null, label: 'test' });
  ctx.token = (await ctx.app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow()).public_token!;
  ctx.url = await ctx.app.listen();
});
test.after.each((ctx) => ctx.app.cleanup());

/** Opens the page as a browser does (its cookie names the customer) and returns that cookie. */
async function openPage(ctx: Ctx): Promise<{ cookie: string; html: string }> {
  const res = await fetch(`${ctx.url}/c/${ctx.token}`);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0], html: await res.text() };
}
const post = (ctx: Ctx, cookie: string, text: string) => fetch(`${ctx.url}/c/${ctx.token}/messages`, {
  method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' }, body: new URLSearchParams({ text, message_id: `m${Math.random()}` }),
});

test('the page holds a live stream and refreshes its thread on it, with a slow poll only as a fallback', async (ctx) => {
  const { html } = await openPage(ctx);
  assert.match(html, `data-live-src="/c/${ctx.token}/events"`);
  assert.match(html, /id="thread"[^>]*hx-trigger="live, every 30s"/);
  assert.match(html, /id="thread"[^>]*data-live-on="message"/);
  assert.not.match(html, /every 3s/);
});

test('a reply reaches the customer\'s stream the moment it is sent; another customer hears nothing', async (ctx) => {
  const me = await openPage(ctx);
  const other = await openPage(ctx);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 8000);
  try {
    const mine = await fetch(`${ctx.url}/c/${ctx.token}/events`, { headers: { cookie: me.cookie }, signal: abort.signal });
    const theirs = await fetch(`${ctx.url}/c/${ctx.token}/events`, { headers: { cookie: other.cookie }, signal: abort.signal });
    assert.is(mine.headers.get('content-type')?.split(';')[0], 'text/event-stream');
    await readEvents(mine.body!, (e) => e.event === 'ready', 2000);
    await readEvents(theirs.body!, (e) => e.event === 'ready', 2000);
    assert.is((await post(ctx, me.cookie, 'Сколько стоит доставка?')).status, 200);
    await readEvents(mine.body!, (e) => e.event === 'message', 2000); // my own message, stored
    await ctx.app.ctx.jobs.drain();
    ctx.clock.advance(1600); // the short quiet time after a complete question
    await ctx.app.ctx.jobs.drain();
    const events = await readEvents(mine.body!, (e) => e.event === 'message', 2000);
    assert.ok(events.some((e) => e.event === 'message' && e.data === '{}'), 'the reply is signalled, without its text');
    const thread = await (await fetch(`${ctx.url}/c/${ctx.token}/thread`, { headers: { cookie: me.cookie } })).text();
    assert.match(thread, /По Алматы доставляем/);
    assert.equal(await readEvents(theirs.body!, (e) => e.event === 'message', 300), [], 'another customer\'s page is not told');
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
});

test('an unknown link has no stream', async (ctx) => {
  assert.is((await fetch(`${ctx.url}/c/nope-nope/events`)).status, 404);
});

test.run();
