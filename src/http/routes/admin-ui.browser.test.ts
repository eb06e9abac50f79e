// The admin UI as a business user meets it, in a real headless Chromium against the real app on a
// real port: on a 390 px phone and on a desktop, in Russian and in Kazakh. Pages fit the screen,
// long forms list their errors at the top, number fields carry their range, the language menu
// applies on change, the AI page shows only the chosen provider's fields and its tabs, the customer
// chat switches language and refuses an over-long pasted message out loud, and the webhook form's
// refusal of a private address names the setting that allows it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSuite, collectPageProblems, type ServedApp } from '../../testing/browser.ts';
import { buildUser, loginAs, TEST_PASSWORD } from '../../testing/test-app.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';
import { updateUser } from '../../auth/index.ts';
import { findSandboxByToken, postAsCustomer } from '../../channels/index.ts';
import { MAX_TEXT_LENGTH } from '../../messaging/index.ts';
import { translator, type Lang } from '../../../views/i18n/index.ts';

type Cookies = Array<{ name: string; value: string; url: string }>;
interface Combo { width: number; lang: Lang }
interface Ctx {
  launchError?: unknown; browser: Browser | null; served: ServedApp; sessions: Record<string, Cookies>;
  token: string; conversationId: string; businessName: string; problems: string[];
}

const PHONE = 390;
const DESKTOP = 1280;
/** Every page's width is checked in all four; the longer flows run on a phone in Russian and a desktop in Kazakh. */
const COMBOS: Combo[] = [{ width: PHONE, lang: 'ru' }, { width: PHONE, lang: 'kk' }, { width: DESKTOP, lang: 'ru' }, { width: DESKTOP, lang: 'kk' }];
const FLOWS: Combo[] = [COMBOS[0], COMBOS[3]];
const base = `/clients/${DEMO_SLUG}`;

const test = suite<Ctx>('browser: the admin UI on a phone and a desktop, in Russian and Kazakh');

test.before(async (ctx) => {
  Object.assign(ctx, await startBrowserSuite());
  if (!ctx.browser) return;
  const { app } = ctx.served;
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  ctx.businessName = demo.name;
  ctx.token = (await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', demo.id).executeTakeFirstOrThrow()).public_token!;
  // A customer's long message with a long unbroken link: the preview and the bubble must not widen the page.
  const sandbox = (await findSandboxByToken(app.ctx.db, ctx.token))!;
  await postAsCustomer(app.ctx, sandbox, {
    customer: 'phone-test', text: 'Здравствуйте! Подскажите, есть ли доставка в Астану и сколько она стоит для заказа от 10000 тенге? https://example.kz/catalog/items/a-very-long-path-without-any-break-1234567890',
  });
  ctx.conversationId = (await app.ctx.db.selectFrom('conversations').select('id').where('client_id', '=', demo.id).executeTakeFirstOrThrow()).id;
  ctx.sessions = {};
  ctx.problems = [];
  for (const lang of ['ru', 'kk'] as const) {
    for (const role of ['owner', 'admin'] as const) {
      const user = await buildUser(app, role, role === 'owner' ? demo.id : null);
      await updateUser(app.ctx.db, app.ctx.clock, user.id, { language: lang });
      // Signed in through the real login form (over app.request), the session cookie handed to the browser.
      const jar = await loginAs(app, user.email, TEST_PASSWORD);
      ctx.sessions[`${role}-${lang}`] = [...jar.cookies].map(([name, value]) => ({ name, value, url: ctx.served.url }));
    }
  }
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

/** A signed-in page (`who`: owner or admin, null: a customer with no session) at this combo's size. */
async function open(ctx: Ctx, who: 'owner' | 'admin' | null, combo: Combo): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await ctx.browser!.newContext({
    viewport: { width: combo.width, height: combo.width === PHONE ? 844 : 900 }, locale: combo.lang === 'kk' ? 'kk-KZ' : 'ru-RU',
  });
  if (who) await context.addCookies(ctx.sessions[`${who}-${combo.lang}`]);
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const problems = collectPageProblems(page);
  // A refused form answers 422, which the browser logs as a failed load: expected here, nothing else is.
  const close = async () => {
    ctx.problems.push(...problems.filter((p) => !/status of 422 \(Unprocessable Entity\)/.test(p)).map((p) => `${combo.width}/${combo.lang}: ${p}`));
    await context.close();
  };
  return { page, close };
}

const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');
const activeId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id');
// A function, not a string: a string predicate is evaluated with eval, which the page's CSP refuses.
const langIs = (page: Page, lang: Lang) => page.waitForFunction((l) => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang === l, lang);
const isValid = (el: unknown) => (el as { checkValidity(): boolean }).checkValidity();

async function visit(ctx: Ctx, page: Page, path: string, combo: Combo): Promise<void> {
  await page.goto(`${ctx.served.url}${path}`);
  assert.is(await page.locator('html').getAttribute('lang'), combo.lang, `${path} in ${combo.lang}`);
  assert.ok(await pageWidth(page) <= combo.width, `${path} at ${combo.width} px (${combo.lang}) is ${await pageWidth(page)} px wide: it scrolls sideways`);
}

const guard = (ctx: Ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  ctx.problems = [];
  return !!ctx.browser; // no Chromium on a developer machine: skipped (launchBrowser said so)
};

test('the inbox list, a thread with its reply box, the channels, the AI settings and the clients table fit the screen', async (ctx) => {
  if (!guard(ctx)) return;
  for (const combo of COMBOS) {
    const t = translator(combo.lang);
    const owner = await open(ctx, 'owner', combo);
    const page = owner.page;
    await visit(ctx, page, `${base}/inbox`, combo);
    assert.ok(await page.locator('#conversation-list .preview').first().isVisible(), 'the preview shows');
    await visit(ctx, page, `${base}/inbox/${ctx.conversationId}`, combo);
    const reply = await page.locator('#reply').boundingBox();
    const send = await page.locator('#reply button[type=submit]').boundingBox();
    assert.ok(reply && send && send.x + send.width <= combo.width, 'the reply box and its button are on the screen');
    // A reply pasted over the limit is kept whole, with the limit said beside it (as on the customer's page).
    await page.locator('#reply textarea[name=text]').focus();
    await page.keyboard.insertText('Жауап. '.repeat(600));
    assert.is((await page.locator('#reply textarea[name=text]').inputValue()).length, 4200);
    assert.is(await page.locator('#reply .length-note').innerText(), t('validation.text_too_long', { n: MAX_TEXT_LENGTH }));
    if (combo.width === PHONE) {
      // One pane at a time on a phone: the open thread, with a way back to the list.
      assert.not.ok(await page.locator('.inbox-list').isVisible(), 'the list gives the thread the screen');
      const back = page.locator('a.back-to-list');
      assert.is((await back.innerText()).replace('← ', ''), t('inbox.back'));
      await back.click();
      await page.waitForURL((u) => u.pathname === `${base}/inbox`);
      await page.locator('#conversation-list').waitFor();
    } else {
      assert.ok(await page.locator('.inbox-list').isVisible(), 'on a desktop the list stays beside the thread');
      assert.not.ok(await page.locator('a.back-to-list').isVisible());
    }
    await visit(ctx, page, `${base}/channels`, combo);
    await visit(ctx, page, `${base}/ai`, combo);
    await owner.close();
    const admin = await open(ctx, 'admin', combo);
    await visit(ctx, admin.page, '/clients', combo);
    await admin.close();
  }
  assert.equal(ctx.problems, [], 'no console errors or CSP violations');
});

test('number fields carry their range, a long form lists its errors at the top linking to each field, the language menu applies on change', async (ctx) => {
  if (!guard(ctx)) return;
  for (const combo of FLOWS) {
    const t = translator(combo.lang);
    const owner = await open(ctx, 'owner', combo);
    let page = owner.page;
    await visit(ctx, page, `${base}/ai`, combo);
    assert.equal([await page.getAttribute('#field-debounce_seconds', 'min'), await page.getAttribute('#field-debounce_seconds', 'max')], ['0', '120']);
    assert.equal([await page.getAttribute('#field-resume_after_minutes', 'min'), await page.getAttribute('#field-resume_after_minutes', 'max')], ['0', '10080']);
    await visit(ctx, page, `${base}/settings`, combo);
    const minutes = page.locator('[id="field-auto_reply.online_minutes"]');
    assert.equal([await minutes.getAttribute('min'), await minutes.getAttribute('max')], ['1', '1440']);
    await minutes.fill('-5');
    assert.not.ok(await minutes.evaluate(isValid), 'the browser refuses a number out of range');

    // The language menu: no button; choosing another language reloads the page in it.
    assert.is(await page.locator('header.topbar form[action="/account/language"] button:visible').count(), 0);
    const other: Lang = combo.lang === 'ru' ? 'kk' : 'ru';
    await page.selectOption('header.topbar select[name=language]', other);
    await langIs(page, other);
    assert.is(await page.locator('h1').innerText(), translator(other)('client_settings.title'));
    await page.selectOption('header.topbar select[name=language]', combo.lang);
    await langIs(page, combo.lang);
    await owner.close();

    // A long form with three mistakes: a summary above it names each and links to its input.
    const admin = await open(ctx, 'admin', combo);
    page = admin.page;
    await visit(ctx, page, '/clients/new', combo);
    await page.fill('#field-name', 'ТОО «Жібек Жолы»');
    await page.fill('#field-slug', 'Жібек жолы!');
    await page.fill('#field-phone', 'звоните вечером');
    await page.fill('#field-timezone', 'Mars/Olympus');
    await page.click('main form button[type=submit]');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.ok(await pageWidth(page) <= combo.width, 'the form with its errors fits');
    const links = await summary.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.equal(links, [['#field-slug', t('clients.slug')], ['#field-phone', t('clients.phone')], ['#field-timezone', t('clients.timezone')]]);
    const top = (await summary.boundingBox())!.y;
    assert.ok(top < (await page.locator('#field-name').boundingBox())!.y, 'the summary is at the top of the form');
    await summary.locator('a[href="#field-timezone"]').click();
    assert.is(await activeId(page), 'field-timezone', 'the link puts the cursor in the field');
    await summary.locator('a[href="#field-phone"]').click();
    assert.is(await activeId(page), 'field-phone');
    await admin.close();
  }
  assert.equal(ctx.problems, [], 'no console errors or CSP violations');
});

test('the AI page shows only the chosen provider\'s fields, and its playground and usage report are tabs named apart from the sandbox channel', async (ctx) => {
  if (!guard(ctx)) return;
  for (const combo of FLOWS) {
    const t = translator(combo.lang);
    const { page, close } = await open(ctx, 'owner', combo);
    await visit(ctx, page, `${base}/ai`, combo);
    const shown = async () => {
      const out: string[] = [];
      for (const f of ['base_url', 'model', 'api_key', 'instructions', 'facts', 'faq', 'faq_synonyms', 'reply_length', 'handoff_keywords']) {
        if (await page.locator(`#field-${f}`).isVisible()) out.push(f);
      }
      return out;
    };
    assert.equal(await shown(), ['faq', 'faq_synonyms', 'handoff_keywords'], 'the offline FAQ responder (the default)');
    await page.selectOption('#field-provider', 'compatible');
    assert.equal(await shown(), ['base_url', 'model', 'api_key', 'instructions', 'facts', 'reply_length', 'handoff_keywords'], 'a compatible endpoint');
    await page.selectOption('#field-provider', 'openai');
    assert.equal(await shown(), ['model', 'api_key', 'instructions', 'facts', 'reply_length', 'handoff_keywords'], 'OpenAI');
    assert.ok(await pageWidth(page) <= combo.width);

    const tabs = page.locator('nav.subtabs a');
    assert.equal(await tabs.allInnerTexts(), [t('ai.tab.settings'), t('ai.playground'), t('ai.usage')]);
    await tabs.nth(1).click();
    await page.waitForURL((u) => u.pathname === `${base}/ai/playground`);
    assert.is(await page.locator('nav.subtabs a[aria-current=page]').innerText(), t('ai.playground'));
    const playground = await page.locator('h1').innerText();
    await page.locator('nav.subtabs a').nth(2).click();
    await page.waitForURL((u) => u.pathname === `${base}/ai/usage`);
    assert.is(await page.locator('nav.subtabs a[aria-current=page]').innerText(), t('ai.usage'));
    assert.ok(await pageWidth(page) <= combo.width);

    // The sandbox channel, as the channels page names its kind, is not what the AI's tab is called.
    await visit(ctx, page, `${base}/channels`, combo);
    const sandboxKind = (await page.locator('#channel-table tbody tr').first().locator('td').nth(1).innerText()).trim();
    assert.is(sandboxKind, t('channel.kind.sandbox'));
    assert.is.not(playground, sandboxKind);
    await close();
  }
  assert.equal(ctx.problems, [], 'no console errors or CSP violations');
});

test('the customer chat switches language and says when a pasted message is over the limit instead of cutting it', async (ctx) => {
  if (!guard(ctx)) return;
  for (const combo of FLOWS) {
    const t = translator(combo.lang);
    const { page, close } = await open(ctx, null, combo);
    await page.goto(`${ctx.served.url}/c/${ctx.token}`);
    // Away and back: the switch works in both directions (the page starts in the install's default).
    const other: Lang = combo.lang === 'ru' ? 'kk' : 'ru';
    for (const lang of [other, combo.lang]) {
      await page.locator(`.chat nav.langs a[hreflang=${lang}]`).click();
      await langIs(page, lang);
      assert.is(await page.locator('.chat h1').innerText(), translator(lang)('chat.title', { name: ctx.businessName }));
    }
    assert.is(await page.locator('.chat nav.langs a[aria-current]').getAttribute('hreflang'), combo.lang);
    assert.ok(await pageWidth(page) <= combo.width);

    // Pasted text goes in whole (maxlength would have cut it without a word) and the page says why it will not send.
    const box = page.locator('#compose textarea[name=text]');
    const long = 'Сәлем! '.repeat(800); // 5600 characters
    await box.focus();
    await page.keyboard.insertText(long);
    assert.is(await box.inputValue(), long, 'nothing was cut');
    const note = page.locator('#compose .length-note');
    assert.is(await note.innerText(), t('chat.error.too_long', { n: MAX_TEXT_LENGTH, count: long.length }));
    await page.click('#compose button[type=submit]');
    assert.not.ok(await page.locator('#compose').evaluate(isValid), 'the form is not sent');
    assert.is(await page.locator('#thread .bubble.mine').count(), 0);

    await box.fill('Сәлем! Жеткізу бар ма?');
    assert.not.ok(await note.isVisible(), 'the notice goes once the text fits');
    await page.click('#compose button[type=submit]');
    await page.locator('#thread .bubble.mine', { hasText: 'Жеткізу бар ма?' }).waitFor();
    await close();
  }
  assert.equal(ctx.problems, [], 'no console errors or CSP violations');
});

test('the webhook form\'s refusal of a private address names the setting that allows it', async (ctx) => {
  if (!guard(ctx)) return;
  for (const combo of FLOWS) {
    const t = translator(combo.lang);
    const { page, close } = await open(ctx, 'owner', combo);
    await visit(ctx, page, `${base}/webhooks`, combo);
    await page.fill('#field-url', 'http://127.0.0.1:9/hook');
    await page.click(`main form[action="${base}/webhooks"] button[type=submit]`);
    const error = page.locator('.field.invalid .error');
    await error.waitFor();
    assert.is(await error.innerText(), t('validation.private_url'));
    assert.match(await error.innerText(), /webhooks\.allow_private_targets/);
    assert.ok(await pageWidth(page) <= combo.width);
    await close();
  }
  assert.equal(ctx.problems, [], 'no console errors or CSP violations');
});

test.run();
