// How wide the admin pages are on a phone: document.documentElement.scrollWidth of each page at a
// 390 px viewport (anything above 390 scrolls sideways), in Russian and Kazakh, in headless Chromium
// against the real app over a fresh data file.
//
//   node_modules/.bin/node --import tsx scripts/page-widths.ts [--width 390] [--shots /tmp/widths]
//
// The inbox holds one customer message with a long unbroken link (what made the list and the
// thread wide); pages are those of a client's owner, and the operator's for the clients table.
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startServedApp, CHROMIUM_PATH } from '../src/testing/browser.ts';
import { buildUser, loginAs, TEST_PASSWORD } from '../src/testing/test-app.ts';
import { DEMO_SLUG, findClient } from '../src/tenants/index.ts';
import { updateUser } from '../src/auth/index.ts';
import { findSandboxByToken, postAsCustomer } from '../src/channels/index.ts';

const { values: args } = parseArgs({ options: { width: { type: 'string', default: '390' }, shots: { type: 'string' } } });
const WIDTH = Number(args.width);
const LANGS = ['ru', 'kk'] as const;

const { app, url } = await startServedApp();
const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
const token = (await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('client_id', '=', demo.id).executeTakeFirstOrThrow()).public_token!;
await postAsCustomer(app.ctx, (await findSandboxByToken(app.ctx.db, token))!, {
  customer: 'widths', text: 'Здравствуйте! Подскажите, есть ли доставка в Астану и сколько она стоит для заказа от 10000 тенге? https://example.kz/catalog/items/a-very-long-path-without-any-break-1234567890',
});
const conversation = (await app.ctx.db.selectFrom('conversations').select('id').where('client_id', '=', demo.id).executeTakeFirstOrThrow()).id;
const b = `/clients/${DEMO_SLUG}`;
const PAGES: Array<[string, 'owner' | 'admin' | null, string]> = [
  ['inbox list', 'owner', `${b}/inbox`], ['thread with reply box', 'owner', `${b}/inbox/${conversation}`], ['channels', 'owner', `${b}/channels`],
  ['AI settings', 'owner', `${b}/ai`], ['AI playground', 'owner', `${b}/ai/playground`], ['AI usage', 'owner', `${b}/ai/usage`],
  ['webhooks', 'owner', `${b}/webhooks`], ['client settings', 'owner', `${b}/settings`], ['clients table', 'admin', '/clients'],
  ['audit log', 'admin', '/audit'], ['customer chat', null, `/c/${token}`],
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const widths: Record<string, Record<string, number>> = {};
for (const lang of LANGS) {
  const sessions: Record<string, Array<{ name: string; value: string; url: string }>> = {};
  for (const role of ['owner', 'admin'] as const) {
    const user = await buildUser(app, role, role === 'owner' ? demo.id : null);
    await updateUser(app.ctx.db, app.ctx.clock, user.id, { language: lang });
    sessions[role] = [...(await loginAs(app, user.email, TEST_PASSWORD)).cookies].map(([name, value]) => ({ name, value, url }));
  }
  for (const [name, who, path] of PAGES) {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 } });
    if (who) await context.addCookies(sessions[who]);
    const page = await context.newPage();
    await page.goto(`${url}${path}${who ? '' : `?lang=${lang}`}`);
    (widths[name] ??= {})[lang] = await page.evaluate<number>('document.documentElement.scrollWidth');
    if (args.shots) await page.screenshot({ path: `${args.shots}/${name.replaceAll(' ', '-')}-${lang}.png`, fullPage: true });
    await context.close();
  }
}
await browser.close();
await app.cleanup();

console.log(`page widths at a ${WIDTH} px viewport (document.documentElement.scrollWidth)`);
console.log(`${'page'.padEnd(24)}${LANGS.map((l) => l.padStart(6)).join('')}`);
for (const [name, byLang] of Object.entries(widths)) console.log(`${name.padEnd(24)}${LANGS.map((l) => String(byLang[l]).padStart(6)).join('')}`);
process.exit(0);
