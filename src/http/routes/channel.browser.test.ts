// Pairing a WhatsApp number in a real headless Chromium against the real app on a real port, with
// the real WhatsApp adapter over a fake Baileys socket: the QR code on the page changes by itself
// when WhatsApp rotates it (no reload), and the page shows the number once it is scanned.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSuite, type ServedApp, openPage, signIn } from '../../testing/browser.ts';
import { buildUser, TEST_PASSWORD } from '../../testing/test-app.ts';
import { FakeWaNetwork, ManualTimers } from '../../testing/fake-wa-socket.ts';
import { CHANNEL_DRIVERS } from '../../channels/index.ts';
import { makeWhatsappDriver } from '../../channels/whatsapp/index.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';

interface Ctx { launchError?: unknown; browser: Browser | null; served: ServedApp; net: FakeWaNetwork; page: Page; problems: string[]; ownerEmail: string }
const test = suite<Ctx>('browser: pairing a WhatsApp number by QR code');

test.before(async (ctx) => {
  ctx.net = new FakeWaNetwork();
  const driver = makeWhatsappDriver({ sockets: ctx.net.factory, timers: new ManualTimers() });
  Object.assign(ctx, await startBrowserSuite({ channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) }));
  if (!ctx.browser) return;
  const { app } = ctx.served;
  await app.ctx.channels.start(); // the channels worker (test apps start none)
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  ctx.ownerEmail = (await buildUser(app, 'owner', demo.id)).email;
  Object.assign(ctx, await openPage(ctx.browser));
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

test('the QR code image changes on the page when the code rotates, then the page shows the paired number', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return; // no Chromium on a developer machine: skipped (launchBrowser said so)
  const { page, net, served } = ctx;
  await signIn(page, served.url, ctx.ownerEmail, TEST_PASSWORD);

  // Add a number on the channels page: its own page opens, and shows the first QR code WhatsApp sends.
  await page.goto(`${served.url}/clients/${DEMO_SLUG}/channels`);
  await page.locator('form[action$="/channels/whatsapp"] button[type=submit]').click();
  await page.waitForURL((u) => /\/channels\/[0-9a-z]{26}$/.test(u.pathname));
  await net.socket(1);
  net.showQr('2@first-ref,abc');
  const img = page.locator('#pairing .qr-code img');
  await img.waitFor({ timeout: 6000 });
  const first = await img.getAttribute('src');
  assert.match(first ?? '', /^data:image\/svg\+xml;base64,/);
  assert.ok(await page.evaluate(`document.querySelector('#pairing .qr-code img').naturalWidth > 0`), 'the browser drew the image');
  await page.evaluate('window.__sameDocument = true');

  net.showQr('2@second-ref,abc');
  await page.locator(`#pairing .qr-code img:not([src="${first}"])`).waitFor({ timeout: 6000 });
  const second = await img.getAttribute('src');
  assert.ok(second && second !== first, 'a new QR code');
  assert.ok(await page.evaluate('window.__sameDocument === true'), 'updated in place, no reload');

  net.scanned('+77011234567', 'Cake Shop');
  await page.locator('#pairing', { hasText: '+77011234567' }).waitFor({ timeout: 6000 });
  assert.is(await page.locator('#pairing .qr-code img').count(), 0, 'no QR code once connected');
  assert.equal(ctx.problems, [], 'no console errors or CSP violations');
});

test.run();
