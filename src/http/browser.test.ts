// The first-run journey in a real headless Chromium against the real app on a real port.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startBrowserSuite, collectPageProblems, type ServedApp } from '../testing/browser.ts';
import { DEFAULT_ADMIN_EMAIL } from '../tenants/index.ts';

const SHOTS = process.env.HABAR_SCREENSHOTS ?? '/tmp';
const NEW_PASSWORD = 'a long new admin password';

interface Ctx { launchError?: unknown; browser: Browser | null; served: ServedApp; context: BrowserContext; page: Page; problems: string[]; foreign: string[] }
const test = suite<Ctx>('browser: first run in headless Chromium');

test.before(async (ctx) => {
  Object.assign(ctx, await startBrowserSuite());
  if (!ctx.browser) return;
  ctx.context = await ctx.browser.newContext({ locale: 'ru-RU', viewport: { width: 1200, height: 800 } });
  ctx.page = await ctx.context.newPage();
  ctx.page.setDefaultTimeout(5000);
  ctx.problems = collectPageProblems(ctx.page);
  // Everything (htmx, CSS) must come from the app itself: no CDN, no third party.
  ctx.foreign = [];
  const origin = new URL(ctx.served.url).origin;
  ctx.page.on('request', (req) => {
    if (!req.url().startsWith(origin) && !req.url().startsWith('data:')) ctx.foreign.push(req.url());
  });
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

test('an admin logs in with the one-time password, must change it, creates a client, switches to Kazakh and logs out', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return; // no Chromium on a developer machine: skipped (launchBrowser said so)
  const { page, served } = ctx;
  const base = served.url;

  // The login page, in Russian by default.
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login/);
  assert.is(await page.locator('html').getAttribute('lang'), 'ru');
  assert.match(await page.locator('h1').innerText(), /Вход/);
  await page.screenshot({ path: `${SHOTS}/habar-1-login.png`, fullPage: true });

  // htmx comes from /public and is actually running (the CSP allows only 'self').
  const scripts = await Promise.all((await page.locator('script[src]').all()).map((el) => el.getAttribute('src')));
  assert.equal(scripts, ['/public/htmx.min.js', '/public/inbox.js', '/public/templates.js', '/public/forms.js']);
  await page.waitForFunction('typeof window.htmx === "object"');

  // The one-time password works once, and the admin is made to change it.
  await page.fill('input[name=email]', DEFAULT_ADMIN_EMAIL);
  await page.fill('input[name=password]', served.app.adminPassword!);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/account\/password/);
  await page.fill('input[name=current]', served.app.adminPassword!);
  await page.fill('input[name=password]', NEW_PASSWORD);
  await page.fill('input[name=repeat]', NEW_PASSWORD);
  await page.click('main button[type=submit]');

  // The dashboard, with the demo client of the embedded default.
  await page.waitForURL((u) => u.pathname === '/');
  await page.locator('main', { hasText: 'Демо-компания' }).waitFor();
  assert.match(await page.locator('.flash').innerText(), /Пароль изменён/);
  await page.screenshot({ path: `${SHOTS}/habar-2-dashboard.png`, fullPage: true });

  // Create a client through the clients screen.
  await page.goto(`${base}/clients/new`);
  await page.fill('input[name=name]', 'ТОО «Алтын Сауда»');
  await page.fill('input[name=slug]', 'altyn-sauda');
  await page.fill('input[name=contact_email]', 'info@altyn.example.kz');
  await page.fill('input[name=phone]', '+7 701 234 56 78');
  await page.fill('[name=invoice_address]', 'Алматы, пр. Абая 10');
  // "Add a contact person" is an htmx request: a second row appears without a page load.
  assert.is(await page.locator('input[name=cp_name]').count(), 1);
  await page.click('button[hx-get="/clients/new/person-row"]');
  await page.locator('input[name=cp_name]').nth(1).waitFor();
  await page.locator('input[name=cp_name]').nth(0).fill('Айгерим Садыкова');
  await page.locator('input[name=cp_email]').nth(0).fill('aigerim@altyn.example.kz');
  await page.screenshot({ path: `${SHOTS}/habar-3-new-client.png`, fullPage: true });
  await page.click('main button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/clients/altyn-sauda');
  await page.locator('main', { hasText: 'ТОО «Алтын Сауда»' }).waitFor();
  await page.locator('main', { hasText: 'Айгерим Садыкова' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/habar-4-client.png`, fullPage: true });
  await page.goto(`${base}/clients`);
  await page.locator('main', { hasText: 'ТОО «Алтын Сауда»' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/habar-5-clients.png`, fullPage: true });

  // Switch the UI to Kazakh with the language selector in the top bar: choosing applies it (no button).
  await page.selectOption('header.topbar select[name=language]', 'kk');
  await page.locator('header.topbar', { hasText: 'Шығу' }).waitFor();
  assert.is(await page.locator('html').getAttribute('lang'), 'kk', 'a full page load: the whole page follows');
  assert.match(await page.locator('header.topbar nav').innerText(), /Басты бет/);
  await page.reload();
  assert.is(await page.locator('html').getAttribute('lang'), 'kk', 'the choice is kept for the user');
  await page.screenshot({ path: `${SHOTS}/habar-6-kazakh.png`, fullPage: true });

  // Log out and land on the login page; the old session no longer opens the dashboard.
  await page.click('header.topbar form[action="/logout"] button');
  await page.waitForURL(/\/login/);
  await page.locator('input[name=password]').waitFor();
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login/);

  assert.equal(ctx.problems, [], 'no console errors or CSP violations');
  assert.equal(ctx.foreign, [], 'no request left the app (no CDN)');
});

test.run();
