// The rule tester and /code template insertion in real headless Chromium against the real app on
// a real port (CSP strict: the scripts are files in public/).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startBrowserSuite, type ServedApp, openPage, signIn } from '../../testing/browser.ts';
import { buildUser, TEST_PASSWORD } from '../../testing/test-app.ts';
import { customerSays } from '../../testing/messaging-fixtures.ts';
import { DEMO_SLUG, findClient } from '../../tenants/index.ts';
import { replaceRules, replaceTemplates } from '../../automation/index.ts';
import { updateContact } from '../../messaging/index.ts';

interface Ctx { launchError?: unknown; browser: Browser | null; served: ServedApp; page: Page; problems: string[]; ownerEmail: string; channelId: string; conversationId: string }
const test = suite<Ctx>('browser: the rule tester and /code templates');
const by = { id: null, label: 'test' };

test.before(async (ctx) => {
  Object.assign(ctx, await startBrowserSuite());
  if (!ctx.browser) return;
  const { app } = ctx.served;
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  ctx.ownerEmail = (await buildUser(app, 'owner', demo.id)).email;
  await replaceTemplates(app.ctx.db, app.ctx.clock, demo.id, { version: 1, templates: [
    { code: 'hi', text: { ru: 'Здравствуйте, {{contact.name}}! Чем помочь?', kk: 'Сәлеметсіз бе, {{contact.name}}!', en: 'Hello {{contact.name}}!' } },
    { code: 'delivery', text: { ru: 'Доставка — 1 500 ₸ <b>по Алматы</b>', kk: '', en: '' } },
  ] }, by);
  await replaceRules(app.ctx.db, app.ctx.clock, demo.id, { version: 1, rules: [
    { name: 'Delivery', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_contains', value: 'доставка' }], actions: [{ type: 'send_template', code: 'delivery' }, { type: 'add_tag', tag: 'delivery' }] },
    { name: 'Everything', enabled: true, trigger: { event: 'message.received' }, conditions: [], actions: [{ type: 'add_tag', tag: 'seen' }] },
    { name: 'VIP only', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'contact_tag', value: 'vip' }], actions: [{ type: 'hand_off', reason: 'vip' }] },
  ] }, by);
  ctx.channelId = (await app.ctx.db.selectFrom('channel_accounts').select('id').where('client_id', '=', demo.id).executeTakeFirstOrThrow()).id;
  const r = await customerSays(app, ctx.channelId, 'Aigerim', 'Сәлем! Қалайсыз?');
  ctx.conversationId = r.conversationId;
  await updateContact(app.ctx.db, app.ctx.clock, demo.id, r.contactId, { displayName: 'Aigerim <i>' });
  Object.assign(ctx, await openPage(ctx.browser));
});

test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.served?.app.cleanup();
});

test('the tester lists the matching rules in order with what they would send, and sends nothing; /hi inserts the template for the contact', async (ctx) => {
  if (ctx.launchError) throw ctx.launchError;
  if (!ctx.browser) return;
  const { page, served } = ctx;
  const base = served.url;
  await signIn(page, base, ctx.ownerEmail, TEST_PASSWORD);
  const before = (await served.app.ctx.db.selectFrom('messages').select('id').execute()).length;

  await page.goto(`${base}/clients/${DEMO_SLUG}/automation/tester`);
  await page.fill('textarea[name=text]', 'Сколько стоит доставку сделать?');
  await page.selectOption('select[name=channel]', ctx.channelId);
  await page.fill('input[name=tags]', 'new');
  await page.click('[data-testid=tester-form] button[type=submit]');
  const result = page.locator('[data-testid=tester-result]');
  await result.waitFor();
  const names = await result.locator('li[data-rule]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));
  assert.equal(names, ['Delivery', 'Everything']);
  assert.match(await result.innerText(), /Доставка — 1 500 ₸ <b>по Алматы<\/b>/, 'the template shown as text, not markup');
  assert.is((await served.app.ctx.db.selectFrom('messages').select('id').execute()).length, before, 'nothing was sent');

  await page.goto(`${base}/clients/${DEMO_SLUG}/inbox/${ctx.conversationId}`);
  const box = page.locator('#reply textarea[name=text]');
  await box.click();
  await page.keyboard.type('/hi');
  await page.keyboard.press('Space');
  assert.is(await box.inputValue(), 'Сәлеметсіз бе, Aigerim <i>!', 'the Kazakh variant (the customer wrote in Kazakh), the name as text');
  await page.keyboard.type(' /nope');
  await page.keyboard.press('Space');
  assert.is(await box.inputValue(), 'Сәлеметсіз бе, Aigerim <i>! /nope ', 'an unknown code stays as typed');
  assert.equal(ctx.problems, []);
});

test.run();
