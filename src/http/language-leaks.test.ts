// A page shown in Russian or Kazakh carries no English sentence of ours: the main pages are
// rendered for an admin (and the customer chat for a visitor) in ru and in kk, over the real app
// with some data in it, and their text is searched for every English catalog value that differs
// from that language's value. What people typed (names, messages) and codes shown beside names
// (<code>) are not ours to translate and are left out.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, loginAs, buildUser, postForm, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../testing/test-app.ts';
import { CATALOG, type Lang } from '../../views/i18n/index.ts';
import { DEMO_SLUG, findClient } from '../tenants/index.ts';
import { SETTINGS } from '../settings/index.ts';

interface Ctx { app: TestApp; admin: CookieJar; pages: string[]; chat: string }
const test = suite<Ctx>('pages in ru and kk carry no English catalog sentence');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** What a person reads on the page: its text, and its placeholders, titles and labels; not code, scripts, styles or text marked lang="en". */
export function readableText(html: string): string {
  const attrs = [...html.matchAll(/\s(?:placeholder|title|aria-label|alt)="([^"]*)"/g)].map((m) => m[1]);
  const body = html
    .replace(/<(script|style|code|pre|textarea)\b[\s\S]*?<\/\1>/gi, ' ')
    // Text marked as English on purpose (the API reference's field descriptions, as in the OpenAPI document).
    .replace(/<(\w+)\b[^>]*\slang="en"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  return [body, ...attrs].join(' \n ').replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? m)
    .replace(/\b[a-z_]+(\.[a-z_]+)+\b/g, ' ') // dotted codes (event names such as conversation.updated)
    .replace(/\s+/g, ' ');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ownText = new Map<Lang, string>();

/**
 * The English values a page in `lang` must not show: those that differ from the `lang` value, as
 * patterns (a placeholder matches anything short). Single words shorter than 5 letters and values
 * with no run of 5 letters are left out: they also occur in names and technical text.
 */
export function englishPatterns(lang: Lang): Array<{ key: string; re: RegExp }> {
  const out: Array<{ key: string; re: RegExp }> = [];
  for (const [key, en] of Object.entries(CATALOG.en)) {
    if (CATALOG[lang][key] === en || !/[A-Za-z]{5}/.test(en)) continue;
    const literal = en.split(/\{\w+\}/);
    if (literal.every((part) => part.replace(/[^A-Za-z]/g, '').length < 5)) continue;
    const source = literal.map((p) => escapeRe(p.trim())).join('.{0,120}?');
    const re = new RegExp(`(?<![A-Za-z])${source}(?![A-Za-z])`);
    // A term the language's own sentences keep in English (Meta's "Webhooks" menu, a product name) is not a leak.
    if (!ownText.has(lang)) ownText.set(lang, Object.values(CATALOG[lang]).join('\n'));
    if (re.test(ownText.get(lang)!)) continue;
    out.push({ key, re });
  }
  // The settings registry's own English descriptions (shown when a catalog lacks one).
  for (const spec of SETTINGS) out.push({ key: `registry help of ${spec.key}`, re: new RegExp(escapeRe(spec.help)) });
  return out;
}

test.before(async (ctx) => {
  ctx.app = await makeTestApp();
  const { app } = ctx;
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  const sandbox = await app.ctx.db.selectFrom('channel_accounts').select(['id', 'public_token']).where('client_id', '=', demo.id).where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  ctx.chat = `/c/${sandbox.public_token}`;
  // A visitor writes through the chat page's own form (named in the page's language), an integrator through JSON.
  const page = await app.request(ctx.chat);
  const cookie = page.headers.getSetCookie().map((l) => l.split(';')[0]).join('; ');
  const form = await app.request(`${ctx.chat}/messages`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ text: 'Здравствуйте, сколько стоит доставка?' }) });
  assert.ok(form.status < 400, `chat form: ${form.status}`);
  await app.request(`${ctx.chat}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Вы работаете в субботу?' }) });
  await app.ctx.jobs.drain();
  await buildUser(app, 'agent', demo.id, 'asel@example.kz');
  ctx.admin = await loginAs(app, (await buildUser(app, 'admin', null, 'root@example.kz')).email, TEST_PASSWORD);
  const home = await (await app.request('/', { jar: ctx.admin })).text();
  await postForm(app, ctx.admin, '/settings', { 'smtp.port': '-5' }, csrfFrom(home)); // an audit entry or a refusal, either way a rendered page
  const conversation = await app.ctx.db.selectFrom('conversations').select('id').where('client_id', '=', demo.id).executeTakeFirstOrThrow();
  const base = `/clients/${DEMO_SLUG}`;
  ctx.pages = [
    '/', '/account', '/clients', '/clients/new', base, `${base}/edit`, `${base}/members`, `${base}/support`, `${base}/inbox`, `${base}/inbox/${conversation.id}`,
    `${base}/inbox/new`, `${base}/channels`, `${base}/channels/${sandbox.id}`, `${base}/ai`, `${base}/ai/playground`, `${base}/ai/usage`, `${base}/api-keys`,
    `${base}/webhooks`, `${base}/jobs`, `${base}/settings`, '/settings', '/audit', '/jobs', '/staff', '/api-docs',
  ];
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

async function setLanguage(ctx: Ctx, lang: Lang) {
  const home = await (await ctx.app.request('/', { jar: ctx.admin })).text();
  assert.is((await postForm(ctx.app, ctx.admin, '/account/language', { language: lang }, csrfFrom(home))).status, 303);
}

for (const lang of ['ru', 'kk'] as const) {
  test(`the main pages and the customer chat in ${lang} show no English sentence of the catalog`, async (ctx) => {
    await setLanguage(ctx, lang);
    const patterns = englishPatterns(lang);
    assert.ok(patterns.length > 300, `${patterns.length} English values to look for`);
    const found: string[] = [];
    for (const path of ctx.pages) {
      const res = await ctx.app.request(path, { jar: ctx.admin });
      assert.is(res.status, 200, path);
      const text = readableText(await res.text());
      for (const { key, re } of patterns) {
        const m = re.exec(text);
        if (m) found.push(`${path}: "${m[0]}" (${key})`);
      }
    }
    const inbox = readableText(await (await ctx.app.request(`/clients/${DEMO_SLUG}/inbox`, { jar: ctx.admin })).text());
    assert.match(inbox, /Посетитель [A-Za-z0-9_-]{6}/, 'the chat page\'s visitor is named in the page\'s language (Russian, the default)');
    const chat = readableText(await (await ctx.app.request(`${ctx.chat}?lang=${lang}`)).text());
    for (const { key, re } of patterns) if (re.test(chat)) found.push(`customer chat: ${key}`);
    assert.equal(found, []);
  });
}

test.run();
