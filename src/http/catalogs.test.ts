// The ru, kk and en catalogs say the same things: every part file under views/i18n/ has the same
// keys in each language, no value is empty, a sentence's placeholders are the same in each, and
// every part is listed in the CATALOG (a part left out, or a key two parts define differently,
// would show the wrong text).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CATALOG, LANGS, type Catalog } from '../../views/i18n/index.ts';
import { SETTINGS } from '../settings/index.ts';
import { AUDIT_ACTIONS } from '../audit/index.ts';
import { makeTestApp } from '../testing/test-app.ts';

const I18N = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views/i18n');
const isCatalog = (x: unknown): x is Catalog => !!x && typeof x === 'object' && LANGS.every((l) => typeof (x as Record<string, unknown>)[l] === 'object');

async function parts(): Promise<Array<{ name: string; catalog: Catalog }>> {
  const out: Array<{ name: string; catalog: Catalog }> = [];
  for (const file of fs.readdirSync(I18N).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const mod = (await import(pathToFileURL(path.join(I18N, file)).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) if (name !== 'CATALOG' && isCatalog(value)) out.push({ name: `${file}:${name}`, catalog: value });
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const test = suite('catalogs: ru, kk and en');

test('every catalog part has the same keys in ru, kk and en', async () => {
  const found = await parts();
  assert.ok(found.length >= 10, `found ${found.length} catalog parts`);
  const problems: string[] = [];
  for (const { name, catalog } of found) {
    const en = Object.keys(catalog.en);
    for (const l of ['ru', 'kk'] as const) {
      const keys = new Set(Object.keys(catalog[l]));
      for (const k of en) if (!keys.has(k)) problems.push(`${name}: ${l} lacks ${k}`);
      for (const k of keys) if (!Object.hasOwn(catalog.en, k)) problems.push(`${name}: ${l} has ${k}, en does not`);
    }
  }
  assert.equal(problems, []);
});

test('no sentence is empty, and each language fills the same placeholders', async () => {
  const problems: string[] = [];
  for (const [k, en] of Object.entries(CATALOG.en)) {
    for (const l of LANGS) {
      const s = CATALOG[l][k];
      if (s === undefined) continue;
      if (!s.trim()) problems.push(`${l} ${k} is empty`);
      if (placeholders(s).join() !== placeholders(en).join()) problems.push(`${l} ${k}: {${placeholders(s)}} vs en {${placeholders(en)}}`);
    }
  }
  assert.equal(problems, []);
});

test('every part is listed in the CATALOG, and no two parts give one key different texts', async () => {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { name, catalog } of await parts()) {
    for (const l of LANGS) {
      for (const [k, s] of Object.entries(catalog[l])) {
        if (CATALOG[l][k] === undefined) problems.push(`${name}: ${k} is not in the CATALOG (list the part in views/i18n/index.ts)`);
        const other = seen.get(`${l}\u0000${k}`);
        if (other !== undefined && other !== s) problems.push(`${name}: ${l} ${k} differs from another part's`);
        seen.set(`${l}\u0000${k}`, s);
      }
    }
  }
  assert.equal(problems, []);
});

test('every runtime setting has a human name and a description in ru, kk and en', () => {
  const missing: string[] = [];
  for (const spec of SETTINGS) {
    for (const l of LANGS) for (const part of ['label', 'help']) if (!CATALOG[l][`settings.${part}.${spec.key}`]) missing.push(`${l} settings.${part}.${spec.key}`);
  }
  assert.equal(missing, [], 'add them to views/i18n/setting-labels.ts (or the screen\'s catalog)');
});

test('every audit action and every job kind has a readable name in ru, kk and en', async () => {
  const app = await makeTestApp({ seed: false });
  try {
    const kinds = app.ctx.jobs.kinds();
    assert.ok(kinds.includes('message.send') && kinds.includes('ai.reply'), 'the registered kinds');
    const missing: string[] = [];
    for (const l of LANGS) {
      for (const a of AUDIT_ACTIONS) if (!CATALOG[l][`audit.action.${a}`]) missing.push(`${l} audit.action.${a}`);
      for (const k of kinds) if (!CATALOG[l][`jobs.kind.${k}`]) missing.push(`${l} jobs.kind.${k}`);
    }
    assert.equal(missing, [], 'add them to views/i18n/event-names.ts');
  } finally {
    await app.cleanup();
  }
});

test.run();
