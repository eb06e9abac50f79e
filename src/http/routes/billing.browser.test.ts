// The usage page and a statement in a real headless Chromium against the real app on a real
// port: the charts are drawn by the server (JavaScript turned off here), the statement prints.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSuite, type ServedApp, openPage, signIn } from '../../testing/browser.ts';
import { buildUser, TEST_PASSWORD } from '../../testing/test-app.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';
import { addMonths, assignPlan, createPlan, issueStatement, localDay, monthOf, recordUsage, rollupUsage } from '../../billing/index.ts';

interface Ctx { launchError?: unknown; browser: Browser | null; served: ServedApp; page: Page; problems: string[]; ownerEmail: string; number: string }
const test = suite<Ctx>('browser: the usage page and a statement');
const OP = { id: null, label: 'test' };

test.before(async (ctx) => {
  Object.assign(ctx, await startBrowserSuite());
  if (!ctx.browser) return;
  const { app } = ctx.served;
  const { db, clock } = app.ctx;
  const demo = (await findClient(db, DEMO_SLUG))!;
  ctx.ownerEmail = (await buildUser(app, 'owner', demo.id)).email;
  const channel = await db.selectFrom('channel_accounts').select('id').where('client_id', '=', demo.id).executeTakeFirstOrThrow();
  for (let i = 0; i < 12; i++) await recordUsage(db, clock, { clientId: demo.id, kind: i % 3 ? 'inbound_message' : 'outbound_message', channelAccountId: channel.id });
  await recordUsage(db, clock, { clientId: demo.id, kind: 'ai_call', meta: { tokens_in: 400, tokens_out: 80 } });
  await rollupUsage(db, clock);
  const thisMonth = monthOf(localDay(clock.now(), 'Asia/Almaty'));
  const lastMonth = monthOf(addMonths(thisMonth.start, -1));
  const plan = await createPlan(db, clock, {
    name: 'Бизнес', currency: 'KZT', monthlyPriceMinor: 1_500_000, included: { messages: 1000, ai_replies: null, ai_tokens: null, api_calls: null, channels: 3 },
    overageMinor: { messages: 500, ai_replies: 0, ai_tokens: 0, api_calls: 0, channels: 0 }, onLimit: 'bill',
  }, OP);
  await assignPlan(db, clock, demo.id, plan.id, lastMonth.start, OP);
  ctx.number = (await issueStatement(app.ctx, demo.id, lastMonth, { by: OP }))!.number;
  // JavaScript off: what the page shows must not depend on it.
  Object.assign(ctx, await openPage(ctx.browser, { javaScriptEnabled: false }));
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

test('the owner sees this month as SVG bar charts and tables with JavaScript off, and downloads the CSV', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return;
  const { page, served } = ctx;
  await signIn(page, served.url, ctx.ownerEmail, TEST_PASSWORD);
  await page.goto(`${served.url}/clients/${DEMO_SLUG}/usage`);
  const chart = page.locator('svg[data-testid=chart-messages]');
  const box = await chart.boundingBox();
  assert.ok(box && box.width > 300 && box.height > 50, `the chart is drawn: ${JSON.stringify(box)}`);
  const bars = page.locator('svg[data-testid=chart-messages] rect');
  assert.is(await bars.count(), 2, 'incoming and outgoing bars of today');
  const barBox = await bars.first().boundingBox();
  assert.ok(barBox && barBox.height > 10, 'a visible bar');
  assert.match(await bars.first().locator('title').textContent() ?? '', /: [48]$/);
  const totals = page.locator('table[data-testid=usage-days] tr').last();
  assert.match((await totals.textContent()) ?? '', /Итого\s*8\s*4\s*1\s*480\s*0/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-testid=usage-csv]')]);
  const csv = await (await import('node:fs')).promises.readFile((await download.path())!, 'utf8');
  assert.match(csv, /^date,channel_id,kind,quantity\r\n/);
  assert.match(csv, /,message_in,8\r\n/);
  assert.equal(ctx.problems, []);
});

test('a statement opens from the billing page and prints: the page’s navigation hides, the statement stays, a PDF comes out', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return;
  const { page, served } = ctx;
  await page.goto(`${served.url}/clients/${DEMO_SLUG}/billing`);
  await page.click(`a[href="/clients/${DEMO_SLUG}/statements/${ctx.number}"]`);
  await page.waitForURL((u) => u.pathname.endsWith(`/statements/${ctx.number}`));
  assert.match(await page.locator('[data-testid=statement] h1').textContent() ?? '', new RegExp(`Выписка № ${ctx.number}`));
  assert.is(await page.locator('[data-testid=statement-total]').textContent(), '15 000.00 KZT');
  await page.emulateMedia({ media: 'print' });
  assert.not.ok(await page.locator('nav.tabs').isVisible(), 'the client tabs are not printed');
  assert.ok(await page.locator('[data-testid=statement-lines]').isVisible());
  const pdf = await page.pdf({ format: 'A4' });
  assert.is(pdf.subarray(0, 4).toString(), '%PDF');
  await page.emulateMedia({ media: 'screen' });
  assert.equal(ctx.problems, []);
});

test.run();
