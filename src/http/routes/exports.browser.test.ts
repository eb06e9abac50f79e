// The owner's export in a real headless Chromium against the real app on a real port: the button
// starts it, the progress bar moves without a reload while the job writes, and the download link
// that appears gives the ZIP.
import fs from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { unzipSync, strFromU8 } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSuite, type ServedApp, openPage, signIn } from '../../testing/browser.ts';
import { buildUser, TEST_PASSWORD } from '../../testing/test-app.ts';
import { customerSays, demoSandbox } from '../../testing/messaging-fixtures.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';
import { updateRequest } from '../../privacy/index.ts';

interface Ctx { launchError?: unknown; browser: Browser | null; served: ServedApp; page: Page; problems: string[]; ownerEmail: string }
const test = suite<Ctx>('browser: the owner exports the client\'s data');

test.before(async (ctx) => {
  Object.assign(ctx, await startBrowserSuite());
  if (!ctx.browser) return;
  const { app } = ctx.served;
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  ctx.ownerEmail = (await buildUser(app, 'owner', demo.id)).email;
  await customerSays(app, (await demoSandbox(app)).id, 'aigerim', 'Есть доставка в Алматы?');
  Object.assign(ctx, await openPage(ctx.browser, { acceptDownloads: true }));
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

test('the export button, a progress bar that moves by itself, and the download link with the ZIP', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return; // no Chromium on a developer machine: skipped (launchBrowser said so)
  const { page, served } = ctx;
  const { app } = served;
  await signIn(page, served.url, ctx.ownerEmail, TEST_PASSWORD);

  await page.goto(`${served.url}/clients/${DEMO_SLUG}/exports`);
  await page.click('#start-export');
  await page.waitForURL((u) => u.pathname === `/clients/${DEMO_SLUG}/exports`);
  const row = page.locator('#export-list tr[data-export-id]');
  await row.waitFor();
  assert.is(await row.getAttribute('data-status'), 'received');
  assert.is(await row.locator('progress').getAttribute('value'), '0');
  const id = (await row.getAttribute('data-export-id'))!;
  await page.evaluate('window.__sameDocument = true');

  // The job reports its progress as it writes (here: the runner is ours to step); the bar follows.
  await updateRequest(app.ctx.db, app.ctx.clock, id, { status: 'running', progress: 40 });
  await page.locator('#export-list progress[value="40"]').waitFor();
  assert.match(await row.locator('.progress-value').innerText(), /40%/);

  await app.ctx.jobs.drain();
  const link = page.locator('#export-list a.download');
  await link.waitFor();
  assert.is(await page.locator('#export-list progress').getAttribute('value'), '100');
  assert.ok(await page.evaluate('window.__sameDocument === true'), 'no reload: the list updated itself');

  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await download.path();
  const files = unzipSync(new Uint8Array(fs.readFileSync(file)));
  assert.is(JSON.parse(strFromU8(files['manifest.json'])).format, 'habar-client-export');
  assert.match(strFromU8(files['data/messages.ndjson']), /Есть доставка в Алматы\?/);
  assert.equal(ctx.problems, [], 'no console errors, no CSP violations');
});

test.run();
