// Acceptance of a new privacy-policy version at the owner's next sign-in, in a real headless
// Chromium against the real app: the owner signs in, reads the version in force, accepts it, and
// lands on the dashboard; the acceptance is stored with the version and time, and the next
// sign-in goes straight on. An agent of the same client is never asked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSuite, collectPageProblems, type ServedApp } from '../../testing/browser.ts';
import { buildUser, TEST_PASSWORD } from '../../testing/test-app.ts';
import { publishPolicyVersion, localDate } from '../../privacy/index.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';

interface Ctx { launchError?: unknown; browser: Browser | null; served: ServedApp; owner: { id: string; email: string }; agent: { email: string }; versionId: string }
const test = suite<Ctx>('browser: an owner accepts the new policy at sign-in');

test.before(async (ctx) => {
  Object.assign(ctx, await startBrowserSuite());
  if (!ctx.browser) return;
  const { app } = ctx.served;
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  ctx.owner = await buildUser(app, 'owner', demo.id, 'owner@demo.kz');
  ctx.agent = await buildUser(app, 'agent', demo.id, 'agent@demo.kz');
  const today = localDate(app.ctx.clock.now(), 'Asia/Almaty');
  const v = await publishPolicyVersion(app.ctx.db, app.ctx.clock, { body: '# Политика\n\nМы добавили Chatwoot в получатели.', effectiveDate: today, significant: false }, { id: null, label: 'test' });
  ctx.versionId = v.id;
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

async function signIn(ctx: Ctx, email: string): Promise<{ page: Page; problems: string[] }> {
  const context = await ctx.browser!.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const problems = collectPageProblems(page);
  await page.goto(`${ctx.served.url}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.click('main button[type=submit]');
  await page.waitForLoadState('domcontentloaded');
  return { page, problems };
}

test('the owner is shown the version in force after signing in, accepts it, and is not asked again; an agent is never asked', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return; // no Chromium on a developer machine: skipped (launchBrowser said so)
  const { db } = ctx.served.app.ctx;
  const first = await signIn(ctx, ctx.owner.email);
  await first.page.waitForURL((u) => u.pathname === '/policy/accept');
  assert.match(await first.page.textContent('#policy-text') ?? '', /Мы добавили Chatwoot в получатели/);
  assert.is(await first.page.textContent('main h1'), 'Политика конфиденциальности изменилась');
  assert.is((await db.selectFrom('policy_acceptances').select('id').execute()).length, 0, 'not accepted by reading');
  await first.page.click('main form[action="/policy/accept"] button[type=submit]');
  await first.page.waitForURL((u) => u.pathname === '/');
  const rows = await db.selectFrom('policy_acceptances').selectAll().execute();
  assert.is(rows.length, 1);
  assert.is(rows[0].user_id, ctx.owner.id);
  assert.is(rows[0].policy_version_id, ctx.versionId);
  assert.equal(first.problems, []);

  const again = await signIn(ctx, ctx.owner.email);
  await again.page.waitForURL((u) => u.pathname === '/');
  const agent = await signIn(ctx, ctx.agent.email);
  await agent.page.waitForURL((u) => u.pathname !== '/login');
  assert.is.not(new URL(agent.page.url()).pathname, '/policy/accept');
});

test.run();
