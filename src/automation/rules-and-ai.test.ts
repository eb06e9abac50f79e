import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { ManualClock } from '../lib/clock.ts';
import { DEMO_SLUG, findClient, type Client } from '../tenants/index.ts';
import { updateAiSettings } from '../ai/index.ts';
import { replaceRules, replaceTemplates } from './index.ts';

// Rules beside the AI (the embedded default's offline FAQ assistant): a rule that answers takes the
// message, so the AI does not answer it too and its pending turn is dropped; a rule that only tags
// lets the AI answer; rule messages do not pause the AI; rules run while the AI is paused.

interface Ctx { app: TestApp; clock: ManualClock; demo: Client; token: string }
const test = suite<Ctx>('automation rules beside the AI assistant');
const BY = { id: null, label: 'test' };

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  ctx.app = await makeTestApp({ clock: ctx.clock });
  ctx.demo = (await findClient(ctx.app.ctx.db, DEMO_SLUG))!;
  ctx.token = (await ctx.app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', ctx.demo.id).executeTakeFirstOrThrow()).public_token!;
  const { db, clock } = ctx.app.ctx;
  await updateAiSettings(db, ctx.app.ctx.vault, clock, ctx.demo.id, { disclosure: null }, BY);
  await replaceTemplates(db, clock, ctx.demo.id, { version: 1, templates: [{ code: 'shipping', text: { ru: 'Правило: доставка 1 500 ₸.', kk: '', en: '' } }] }, BY);
  await replaceRules(db, clock, ctx.demo.id, { version: 1, rules: [
    { name: 'Shipping', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_contains', value: 'доставка' }], actions: [{ type: 'send_template', code: 'shipping' }] },
    { name: 'Tag opening hours', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_contains', value: 'открываетесь' }], actions: [{ type: 'add_tag', tag: 'hours' }] },
  ] }, BY);
});
test.after.each((ctx) => ctx.app.cleanup());

async function say(ctx: Ctx, text: string, customer = 'aigerim'): Promise<void> {
  const res = await ctx.app.request(`/c/${ctx.token}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, customer }) });
  assert.is(res.status, 201);
  await ctx.app.ctx.jobs.drain();
}
async function later(ctx: Ctx, seconds: number): Promise<void> {
  ctx.clock.advance(seconds * 1000);
  await ctx.app.ctx.jobs.drain();
}
const thread = (ctx: Ctx) => ctx.app.ctx.db.selectFrom('messages').select(['author_kind', 'text']).where('client_id', '=', ctx.demo.id).orderBy('id').execute()
  .then((rows) => rows.map((r) => `${r.author_kind}: ${r.text}`));

test('a rule’s answer takes the message and drops the AI’s pending turn; the AI stays active', async (ctx) => {
  // The first question waits in the AI's quiet period; the second is the rule's, and answers both.
  await say(ctx, 'Здравствуйте, подскажите');
  await say(ctx, 'Есть доставку в Шымкент?');
  await later(ctx, 60);
  const rows = await thread(ctx);
  assert.equal(rows.filter((r) => !r.startsWith('contact:')), ['rule: Правило: доставка 1 500 ₸.'], rows.join('\n'));
  const conv = await ctx.app.ctx.db.selectFrom('conversations').select('ai_state').executeTakeFirstOrThrow();
  assert.is(conv.ai_state, 'active', 'a rule message does not pause the AI');
});

test('a rule that only tags lets the AI answer; rules keep running while the AI is paused', async (ctx) => {
  await say(ctx, 'Во сколько вы открываетесь?');
  await later(ctx, 60);
  let rows = await thread(ctx);
  assert.match(rows.at(-1)!, /^ai: /, rows.join('\n'));
  const contact = await ctx.app.ctx.db.selectFrom('contacts').select('tags').executeTakeFirstOrThrow();
  assert.equal(JSON.parse(contact.tags), ['hours']);
  await ctx.app.ctx.db.updateTable('conversations').set({ ai_state: 'paused', ai_paused_until: null }).execute();
  await say(ctx, 'А доставка?');
  await later(ctx, 60);
  rows = await thread(ctx);
  assert.equal(rows.at(-1), 'rule: Правило: доставка 1 500 ₸.');
});

test.run();
