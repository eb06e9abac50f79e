// Real headless Chromium (Debian's `chromium` package) driven by playwright-core, against the
// real app listening on a real port. No browser download: playwright-core only drives the
// system binary.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { systemClock } from '../lib/clock.ts';
import { makeTestApp, type TestApp } from './test-app.ts';
import type { ChannelDriver } from '../channels/index.ts';

export const CHROMIUM_PATH = process.env.HABAR_TEST_CHROMIUM ?? '/usr/bin/chromium';

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Whether a missing browser must fail the run (CI) rather than skip the browser tests (a developer's machine). */
export const browserRequired = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? '');

/**
 * Launches headless Chromium, or returns null when it is not installed and we are not in CI.
 * In CI a missing browser throws, so the browser test fails loudly instead of passing silently.
 */
export async function launchBrowser(): Promise<Browser | null> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    const msg = `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (or set HABAR_TEST_CHROMIUM)`;
    if (browserRequired()) throw new Error(`${msg}. CI=true, so the browser tests fail rather than skip.`);
    process.stderr.write(`skipping browser tests: ${msg}\n`);
    return null;
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
}

export interface ServedApp {
  app: TestApp;
  /** The base URL the app listens on (http://127.0.0.1:<port>). */
  url: string;
}

/**
 * The real app over a fresh data file, listening on a free port, on the real clock (cookies and
 * sessions age normally); `channelDrivers` as in makeTestApp (a test's stand-in channel kinds).
 */
export async function startServedApp(opts: { channelDrivers?: readonly ChannelDriver[] } = {}): Promise<ServedApp> {
  const app = await makeTestApp({ clock: systemClock, channelDrivers: opts.channelDrivers });
  const url = await app.listen();
  return { app, url };
}

/** What the page reported that a user would not see: console errors (CSP violations among them) and uncaught exceptions. */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

/**
 * A browser suite's start: Chromium plus the served app. uvu swallows an error thrown in a
 * suite's before hook (the run still exits 0), so a failed launch is returned for the test to rethrow.
 */
export async function startBrowserSuite(opts: { channelDrivers?: readonly ChannelDriver[] } = {}): Promise<{ launchError?: unknown; browser: Browser | null; served?: ServedApp }> {
  try {
    const browser = await launchBrowser();
    return browser ? { browser, served: await startServedApp(opts) } : { browser: null };
  } catch (err) {
    return { launchError: err, browser: null };
  }
}

/** A page in a fresh browser context (its own cookies), in Russian at a desktop size unless told otherwise; what it reports is collected. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1200, height: 900 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  return { page, problems: collectPageProblems(page) };
}

/** Signs in through the login form as a person would, and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('main button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/');
}
