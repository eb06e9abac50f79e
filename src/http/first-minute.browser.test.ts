// The first minute and the user's language in a real headless Chromium against the real app: an
// admin finds the first steps on the dashboard, tries the customer chat from there, answers the
// customer, and reads the usage report, the settings and the audit log in Russian and Kazakh, on a
// desktop and at 390 px, then hides the first steps.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSuite, type ServedApp, openPage, signIn } from '../testing/browser.ts';
import { TEST_PASSWORD } from '../testing/test-app.ts';
import { createUser } from '../auth/index.ts';
import { DEMO_SLUG } from '../tenants/index.ts';

interface Ctx { launchError?: unknown; browser: Browser | null; served: ServedApp; emails: { ru: string; kk: string } }
const test = suite<Ctx>('browser: first steps and the user\'s language, desktop and 390 px');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const TEXT = {
  ru: {
    title: 'Первые шаги', chat: 'Попробуйте чат для клиента', label: 'Почтовый сервер', signedIn: 'Вход в систему',
    firstHuman: 'Первый ответ от сотрудника', human: /^медиана \d+ (с|мин), 90% за \d+ (с|мин) \(разговоров: 1\)$/, hide: 'Скрыть первые шаги', hidden: 'Первые шаги скрыты',
  },
  kk: {
    title: 'Алғашқы қадамдар', chat: 'Клиент чатын байқап көріңіз', label: 'Пошта сервері', signedIn: 'Жүйеге кірді',
    firstHuman: 'Қызметкердің алғашқы жауабы', human: /^медиана \d+ (сек|мин), 90% — \d+ (сек|мин) ішінде \(1 әңгіме\)$/, hide: 'Алғашқы қадамдарды жасыру', hidden: 'Алғашқы қадамдар жасырылды',
  },
} as const;

test.before(async (ctx) => {
  Object.assign(ctx, await startBrowserSuite());
  if (!ctx.browser) return;
  const { app } = ctx.served;
  await app.ctx.jobs.start(); // the assistant's reply and the admin's send (test apps start no workers)
  const make = async (language: 'ru' | 'kk') => (await createUser(app.ctx.db, app.ctx.clock, { email: `admin-${language}@example.kz`, name: language === 'ru' ? 'Айгерим' : 'Дәурен', role: 'admin', password: TEST_PASSWORD, language })).email;
  ctx.emails = { ru: await make('ru'), kk: await make('kk') };
});

test.after(async (ctx) => {
  await ctx.served?.app.ctx.jobs.stop();
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

async function signedIn(ctx: Ctx, lang: 'ru' | 'kk', viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openPage(ctx.browser!, { locale: lang === 'ru' ? 'ru-RU' : 'kk-KZ', viewport });
  await signIn(page, ctx.served.url, ctx.emails[lang], TEST_PASSWORD);
  return { page, problems };
}

const steps = (page: Page) => page.$$eval('#first-steps li[data-step]', (lis) => lis.map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-done')}`));

/** The first steps' card lies inside the viewport and needs no sideways scrolling of its own. */
async function assertFits(page: Page, width: number) {
  const box = await page.$eval('#first-steps', (el) => ({ right: el.getBoundingClientRect().right, scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(box.right <= width + 0.5, `the card ends at ${box.right}px in a ${width}px window`);
  assert.ok(box.scroll <= box.client + 1, `the card's content is ${box.scroll}px in ${box.client}px`);
}

test('in Russian on a desktop: the first steps lead to the customer chat, the step is ticked, a reply counts in the usage report', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return; // no Chromium on a developer machine: skipped (launchBrowser said so)
  const t = TEXT.ru;
  const { page, problems } = await signedIn(ctx, 'ru', DESKTOP);
  await page.locator('#first-steps h2', { hasText: t.title }).waitFor();
  assert.equal(await steps(page), ['chat:false', 'whatsapp:false', 'ai:false', 'invite:false']);
  await assertFits(page, DESKTOP.width);

  // The first step opens the demo client's customer chat in a new tab: write as a customer.
  const [chat] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: t.chat }).click()]);
  await chat.waitForLoadState();
  assert.match(chat.url(), /\/c\/[^/]+$/);
  await chat.fill('#compose textarea[name=text]', 'Здравствуйте! Какие у вас часы работы?');
  await chat.click('#compose button[type=submit]');
  await chat.locator('#thread .bubble.theirs').first().waitFor(); // the demo assistant answered
  await chat.close();

  await page.reload();
  assert.equal(await steps(page), ['chat:true', 'whatsapp:false', 'ai:false', 'invite:false'], 'ticked from the data');

  // The admin answers the customer too: the usage report counts a person's first response.
  const conversation = await ctx.served.app.ctx.db.selectFrom('conversations').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  await page.goto(`${ctx.served.url}/clients/${DEMO_SLUG}/inbox/${conversation.id}`);
  await page.fill('#reply textarea[name=text]', 'Мы работаем с 9 до 18.');
  await page.click('#reply button[type=submit]');
  await page.locator('li.msg-out', { hasText: 'Мы работаем с 9 до 18.' }).first().waitFor();

  await page.goto(`${ctx.served.url}/clients/${DEMO_SLUG}/ai/usage`);
  const human = await page.locator('[data-testid=ai-report] tr', { hasText: t.firstHuman }).locator('td').nth(1).innerText();
  assert.match(human, t.human);
  assert.equal(problems, [], 'no console errors or CSP violations');
});

for (const [lang, viewport] of [['ru', PHONE], ['kk', DESKTOP], ['kk', PHONE]] as const) {
  test(`in ${lang === 'ru' ? 'Russian' : 'Kazakh'} at ${viewport.width} px: first steps, settings names, audit names and the usage report speak the user's language`, async (ctx) => {
    if (ctx.launchError) throw ctx.launchError;
    if (!ctx.browser) return;
    const t = TEXT[lang];
    const { page, problems } = await signedIn(ctx, lang, viewport);
    await page.locator('#first-steps h2', { hasText: t.title }).waitFor();
    assert.equal((await steps(page))[0], 'chat:true');
    assert.is(await page.getByRole('link', { name: t.chat }).count(), 1);
    await assertFits(page, viewport.width);

    await page.goto(`${ctx.served.url}/settings`);
    const field = page.locator('.field', { hasText: t.label }).first();
    assert.match(await field.innerText(), /smtp\.host/, 'the key stays visible beside the name');

    await page.goto(`${ctx.served.url}/audit`);
    const row = page.locator('tbody tr', { hasText: t.signedIn }).first();
    assert.match(await row.innerText(), /auth\.signed_in/);

    await page.goto(`${ctx.served.url}/clients/${DEMO_SLUG}/ai/usage`);
    const human = await page.locator('[data-testid=ai-report] tr', { hasText: t.firstHuman }).locator('td').nth(1).innerText();
    assert.match(human, t.human);

    if (lang === 'kk' && viewport === PHONE) {
      // Hidden through the card's own form (with its CSRF token), for good.
      await page.goto(`${ctx.served.url}/`);
      await page.getByRole('button', { name: t.hide }).click();
      await page.locator('.flash', { hasText: t.hidden }).waitFor();
      assert.is(await page.locator('#first-steps').count(), 0);
      await page.reload();
      assert.is(await page.locator('#first-steps').count(), 0, 'still hidden after a reload');
    }
    assert.equal(problems, [], 'no console errors or CSP violations');
  });
}

test.run();
