import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, type TestApp } from '../testing/test-app.ts';
import { startSmtpStandIn, mailText, type SmtpStandIn } from '../testing/smtp-stand-in.ts';
import { demoSandbox } from '../testing/messaging-fixtures.ts';
import { postAsCustomer } from '../channels/index.ts';
import { DEMO_SLUG, findClient } from '../tenants/index.ts';
import { setSetting } from '../settings/index.ts';

// The handoff e-mail's link opens the conversation at the address the app is reached at: the
// listening URL (also with --port 0), or --public-url when it is set.
type Ctx = { app?: TestApp; smtp: SmtpStandIn };
const test = suite<Ctx>('AI handoff e-mail: the link points at the app');

test.before.each(async (ctx) => {
  ctx.smtp = await startSmtpStandIn();
});
test.after.each(async (ctx) => {
  await ctx.app?.cleanup();
  ctx.app = undefined;
  await ctx.smtp.close();
});

/** A customer asks for a person on the demo sandbox; returns the agent's e-mail text and the conversation id. */
async function handoffMail(app: TestApp, smtp: SmtpStandIn): Promise<{ text: string; conversationId: string }> {
  const set = (k: string, v: string) => setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, k, v);
  await set('smtp.host', '127.0.0.1');
  await set('smtp.port', String(smtp.port));
  await set('smtp.secure', 'false');
  await set('smtp.from', 'Habar <noreply@example.kz>');
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  const agent = await buildUser(app, 'agent', demo.id, 'asel@shop.kz');
  await postAsCustomer(app.ctx, await demoSandbox(app), { text: 'Дайте оператора', customer: 'aigerim' });
  await app.ctx.jobs.drain();
  const conv = await app.ctx.db.selectFrom('conversations').select('id').where('client_id', '=', demo.id).executeTakeFirstOrThrow();
  return { text: mailText(await smtp.waitFor(agent.email)), conversationId: conv.id };
}

test('with --port 0 and no --public-url the link is the listening URL, not ":0"', async (ctx) => {
  ctx.app = await makeTestApp();
  const url = await ctx.app.listen();
  assert.match(url, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
  const { text, conversationId } = await handoffMail(ctx.app, ctx.smtp);
  assert.ok(text.includes(`${url}/clients/${DEMO_SLUG}/inbox/${conversationId}`), text);
  assert.not.match(text, /:0\//);
});

test('with --public-url the link uses it', async (ctx) => {
  ctx.app = await makeTestApp({ flags: { 'public-url': 'https://habar.example.kz/' } });
  await ctx.app.listen();
  const { text, conversationId } = await handoffMail(ctx.app, ctx.smtp);
  assert.ok(text.includes(`https://habar.example.kz/clients/${DEMO_SLUG}/inbox/${conversationId}`), text);
});

test.run();
