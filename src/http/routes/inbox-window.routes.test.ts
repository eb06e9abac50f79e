import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../../testing/test-app.ts';
import type { ManualClock } from '../../lib/clock.ts';
import type { GraphStandIn } from '../../testing/graph-stand-in.ts';
import { buildInstagramAccount, deliverToApp, igDelivery, igMessage, startMeta } from '../../testing/instagram-fixture.ts';
import { setSetting } from '../../settings/index.ts';
import type { Client } from '../../tenants/index.ts';
import { translator } from '../../../views/i18n/index.ts';

// The inbox says, per conversation, whether a reply can still reach an Instagram customer (the
// channel's 24-hour window, then a person's tagged reply for 7 days where allowed), and refuses
// a reply that cannot, instead of failing it silently later.

interface Ctx { app: TestApp; graph: GraphStandIn; client: Client; agent: CookieJar; agentEmail: string; thread: string }
const test = suite<Ctx>('inbox: the Instagram reply window');
const t = translator('ru');
const HOUR = 3600_000;

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.graph = await startMeta(ctx.app);
  ctx.client = await buildClient(ctx.app);
  await buildInstagramAccount(ctx.app, ctx.client.id);
  await deliverToApp(ctx.app, igDelivery([igMessage('5551001', 'Есть овсяное молоко?')]));
  const conv = await ctx.app.ctx.db.selectFrom('conversations').select('id').executeTakeFirstOrThrow();
  ctx.thread = `/clients/${ctx.client.slug}/inbox/${conv.id}`;
  ctx.agentEmail = (await buildUser(ctx.app, 'agent', ctx.client.id)).email;
  ctx.agent = await loginAs(ctx.app, ctx.agentEmail, TEST_PASSWORD);
});

/** Time passes (the agent signs in again: a session lasts less than a day). */
async function later(ctx: Ctx, ms: number) {
  (ctx.app.clock as ManualClock).advance(ms);
  ctx.agent = await loginAs(ctx.app, ctx.agentEmail, TEST_PASSWORD);
}
test.after.each(async (ctx) => {
  await ctx.graph.stop();
  await ctx.app.cleanup();
});

const page = async (ctx: Ctx) => (await ctx.app.request(ctx.thread, { jar: ctx.agent })).text();
const windowState = (html: string) => /data-reply-window="(\w+)"/.exec(html)?.[1];

async function reply(ctx: Ctx, text: string) {
  const body = new FormData();
  body.set('_csrf', csrfFrom(await page(ctx)));
  body.set('text', text);
  return ctx.app.request(`${ctx.thread}/reply`, { method: 'POST', jar: ctx.agent, body });
}

test('inside 24 hours the thread says until when a reply can go', async (ctx) => {
  const html = await page(ctx);
  assert.is(windowState(html), 'open');
  assert.match(html, t('inbox.window.open', { time: '@' }).split('@')[0]);
});

test('past 24 hours the reply box is closed with the reason, and a reply posted anyway is refused and nothing queued', async (ctx) => {
  await later(ctx, 25 * HOUR);
  const html = await page(ctx);
  assert.is(windowState(html), 'closed');
  assert.match(html, t('inbox.window.window_closed'));
  assert.match(html, /<textarea[^>]*disabled/);
  const res = await reply(ctx, 'Да, есть');
  assert.is(res.status, 422);
  assert.match(await res.text(), t('inbox.window.window_closed'));
  assert.is((await ctx.app.ctx.db.selectFrom('messages').select('id').where('direction', '=', 'out').execute()).length, 0);
});

test('where the client allows the human-agent tag, a person can still answer for 7 days, and the box says so', async (ctx) => {
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.clock, 'instagram.human_agent_tag', 'true', ctx.client.id);
  await later(ctx, 30 * HOUR);
  assert.is(windowState(await page(ctx)), 'human_only');
  assert.is((await reply(ctx, 'Да, есть')).status, 303);
  await ctx.app.ctx.jobs.drain();
  assert.is(ctx.graph.sent[0].body.tag, 'HUMAN_AGENT');
  await later(ctx, 7 * 24 * HOUR);
  const html = await page(ctx);
  assert.is(windowState(html), 'closed');
  assert.match(html, t('inbox.window.human_window_closed'));
});

test('a file that was not kept and a message the platform refused are told in the reader\'s language', async (ctx) => {
  ctx.graph.files.set('huge.mp4', { mime: 'video/mp4', bytes: new Uint8Array(26 * 1024 * 1024) });
  await deliverToApp(ctx.app, igDelivery([igMessage('5551001', '', { attachments: [{ type: 'video', payload: { url: `${ctx.graph.url}/cdn/huge.mp4` } }] })]));
  ctx.graph.fail(/\/messages$/, { status: 400, code: 100, message: '(#100) Invalid parameter' });
  assert.is((await reply(ctx, 'Да, есть')).status, 303);
  await ctx.app.ctx.jobs.drain();
  const failed = await ctx.app.ctx.db.selectFrom('messages').selectAll().where('direction', '=', 'out').executeTakeFirstOrThrow();
  assert.equal([failed.status, failed.error], ['failed', 'Instagram refused the message: (#100) Invalid parameter'], 'the API and logs keep the English text');
  for (const lang of ['ru', 'kk'] as const) {
    const tr = translator(lang);
    await ctx.app.ctx.db.updateTable('users').set({ language: lang }).where('email', '=', ctx.agentEmail).execute();
    const html = await page(ctx);
    assert.match(html, tr('inbox.file.label.video'));
    assert.match(html, tr('inbox.file.not_stored.too_large'));
    assert.match(html, tr('send.platform_refused', { error: '(#100) Invalid parameter' }));
    assert.not.match(html, 'could not be downloaded');
    assert.not.match(html, 'Instagram refused the message');
  }
});

test.run();
