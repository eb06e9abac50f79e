// A customer and an agent in two real headless Chromium windows against the real app on a
// real port: the customer writes on the sandbox chat page, the agent sees it live in the inbox
// (no reload), replies, and the customer's page shows the reply.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSuite, collectPageProblems, type ServedApp } from '../../testing/browser.ts';
import { buildUser, TEST_PASSWORD } from '../../testing/test-app.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';
import { MAX_ATTACHMENT_BYTES } from '../../messaging/index.ts';

const SHOTS = process.env.HABAR_SCREENSHOTS ?? '/tmp';

interface Ctx { launchError?: unknown; browser: Browser | null; served: ServedApp; agent: Page; customer: Page; problems: Record<string, string[]>; chatUrl: string; agentEmail: string }
const test = suite<Ctx>('browser: a sandbox customer and an agent talk through the live inbox');

test.before(async (ctx) => {
  Object.assign(ctx, await startBrowserSuite());
  if (!ctx.browser) return;
  const { app } = ctx.served;
  // The send jobs must run for the reply to reach the customer (test apps start no workers).
  await app.ctx.jobs.start();
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  ctx.agentEmail = (await buildUser(app, 'agent', demo.id)).email;
  const token = (await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', demo.id).executeTakeFirstOrThrow()).public_token!;
  ctx.chatUrl = `${ctx.served.url}/c/${token}`;
  ctx.problems = {};
  for (const who of ['agent', 'customer'] as const) {
    // Two browser contexts: two separate people, no shared cookies.
    const context = await ctx.browser.newContext({ locale: 'ru-RU', viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    ctx.problems[who] = collectPageProblems(page);
    ctx[who] = page;
  }
});

test.after(async (ctx) => {
  await ctx.served?.app.ctx.jobs.stop();
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

test('the customer writes, the agent sees it live, replies, and the customer sees the reply', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return; // no Chromium on a developer machine: skipped (launchBrowser said so)
  const { agent, customer, served } = ctx;
  const base = served.url;

  // The agent signs in and opens the (empty) inbox from the top bar.
  await agent.goto(`${base}/login`);
  await agent.fill('input[name=email]', ctx.agentEmail);
  await agent.fill('input[name=password]', TEST_PASSWORD);
  await agent.click('main button[type=submit]');
  await agent.waitForURL((u) => u.pathname === '/');
  await agent.click('header.topbar nav a:has-text("Входящие")');
  await agent.waitForURL((u) => u.pathname === `/clients/${DEMO_SLUG}/inbox`);
  await agent.waitForSelector('.inbox[data-live-state="live"]');
  await agent.evaluate('window.__sameDocument = true');

  // The customer writes on the sandbox chat page.
  await customer.goto(ctx.chatUrl);
  await customer.fill('#compose textarea[name=text]', 'Здравствуйте! Есть доставка в Астану?');
  await customer.click('#compose button[type=submit]');
  await customer.locator('#thread', { hasText: 'Есть доставка в Астану?' }).waitFor();

  // The conversation appears in the agent's list without a reload (its preview may already be
  // the embedded default's automatic answer).
  const item = agent.locator('#conversation-list li.conversation').first();
  await item.waitFor();
  assert.ok(await agent.evaluate('window.__sameDocument === true'), 'the list updated in place');
  await item.locator('a').click();
  await agent.locator('#messages', { hasText: 'Есть доставка в Астану?' }).waitFor();
  await agent.waitForSelector('.inbox[data-live-state="live"]');
  await agent.evaluate('window.__sameDocument = true');

  // A second customer message arrives in the open thread live.
  await customer.fill('#compose textarea[name=text]', 'И сколько это стоит?');
  await customer.click('#compose button[type=submit]');
  await agent.locator('#messages', { hasText: 'И сколько это стоит?' }).waitFor();
  assert.ok(await agent.evaluate('window.__sameDocument === true'), 'the thread updated in place');
  await agent.screenshot({ path: `${SHOTS}/habar-inbox-thread.png`, fullPage: true });

  // The agent replies; the reply shows in the thread and reaches the customer's page.
  await agent.fill('#reply textarea[name=text]', 'Да, доставляем за 2 дня, 2000 ₸.');
  await agent.click('#reply button[type=submit]');
  await agent.locator('#messages li.msg-out', { hasText: 'доставляем за 2 дня' }).waitFor();
  await customer.locator('#thread', { hasText: 'Да, доставляем за 2 дня, 2000 ₸.' }).waitFor();
  await agent.locator('#messages li.msg-out', { hasText: 'доставляем за 2 дня' }).locator('.delivery-sent').waitFor();
  await customer.screenshot({ path: `${SHOTS}/habar-sandbox-chat.png`, fullPage: true });

  // A file over the cap is refused in the browser before any upload; a small one goes out.
  // (The page's cap is lowered here so as not to push 25 MB through the browser; the server's own
  // refusal of a file over the real cap is in inbox.routes.test.ts.)
  assert.is(await agent.locator('#reply').getAttribute('data-max-bytes'), String(MAX_ATTACHMENT_BYTES));
  await agent.locator('#reply').evaluate((form) => form.setAttribute('data-max-bytes', '1000'));
  const fileInput = agent.locator('#reply input[type=file]');
  await fileInput.setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1001) });
  assert.match(await fileInput.evaluate((el) => (el as unknown as { validationMessage: string }).validationMessage), /25 МБ/);
  assert.is(await agent.locator('#reply').evaluate((form) => (form as unknown as { checkValidity(): boolean }).checkValidity()), false, 'the browser will not send the form');
  await fileInput.setInputFiles({ name: 'меню.txt', mimeType: 'text/plain', buffer: Buffer.from('Плов — 2500 ₸') });
  assert.is(await fileInput.evaluate((el) => (el as unknown as { validationMessage: string }).validationMessage), '');
  await agent.fill('#reply textarea[name=text]', 'Меню во вложении');
  await agent.click('#reply button[type=submit]');
  await agent.locator('#messages li.msg-out', { hasText: 'Меню во вложении' }).locator('a[download]', { hasText: 'меню.txt' }).waitFor();

  assert.equal(ctx.problems, { agent: [], customer: [] }, 'no console errors or CSP violations on either page');
});

test.run();
