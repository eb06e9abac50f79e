import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Kysely } from 'kysely';
import { makeTestApp, loginAs, buildClient, buildUser, csrfFrom, TEST_PASSWORD, type TestApp, type CookieJar } from '../testing/test-app.ts';
import { DEMO_SLUG, getClient, grantSupportAccess, revokeSupportAccess, type Client } from '../tenants/index.ts';
import { recordAudit } from '../audit/index.ts';
import { createApiKey } from '../auth/index.ts';
import { CSRF_EXEMPT } from './server.ts';
import { replaceRules, replaceTemplates } from '../automation/index.ts';

// TENANCY: a member of client A (owner, representative, agent), a support user without a grant and
// client A's API key get 401/403/404 — never 200, never a change — for every registered route that
// names client B.
// The routes come from the Hono app itself, so routes added later are covered without editing this
// file. A route param is filled from client B's rows: `:slug` with B's slug, `:fooId`/`:foo_id`
// (or `:id` after a `/foos/` segment) with the id of a B row in the table `foos` (or `*_foos`).
// Routes whose params cannot be filled are listed in the output; to cover one, give client B a row
// of that kind in seedTenantB() (preferably through the public API, as it does for webhooks and messages).

/** Who sends a request: a browser session (with its CSRF token) or an API key. */
interface Principal { jar?: CookieJar; csrf?: string; bearer?: string }

const test = suite<{ app: TestApp; b: Client; attackers: Record<string, Principal>; entitled: Principal[] }>('tenancy');

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
const DISTINCT_NAME = 'Tenant-B Secret Trading LLP';
const MEMBER_ATTACKERS = ['owner', 'representative', 'agent', 'support'] as const;

/** Client B (the demo client, so rows the embedded default gives it are covered too) and its rows. */
async function seedTenantB(app: TestApp): Promise<Client> {
  const { db, clock } = app.ctx;
  const b = await getClient(db, DEMO_SLUG);
  await db.updateTable('clients').set({ name: DISTINCT_NAME }).where('id', '=', b.id).execute();
  const owner = await buildUser(app, 'owner', b.id, 'owner@tenant-b.kz');
  await buildUser(app, 'agent', b.id, 'agent@tenant-b.kz');
  // A grant that has ended (an active one would rightly let support staff in).
  const grant = await grantSupportAccess(db, clock, { clientId: b.id, grantedBy: owner.id, hours: 1, reason: 'old' }, { id: owner.id, label: owner.email });
  await revokeSupportAccess(db, clock, b.id, grant.id, { id: owner.id, label: owner.email });
  await recordAudit(db, clock, { actor: { id: owner.id, label: owner.email }, action: 'client.updated', clientId: b.id, details: { fields: ['name'] } });
  // Automation: a template and a rule (the rule screens take its id).
  await replaceTemplates(db, clock, b.id, { version: 1, templates: [{ code: 'hi', text: { ru: 'Здравствуйте', kk: '', en: '' } }] }, { id: owner.id, label: owner.email });
  await replaceRules(db, clock, b.id, { version: 1, rules: [{ name: 'B rule', enabled: true, trigger: { event: 'message.received' }, conditions: [], actions: [{ type: 'send_template', code: 'hi' }] }] }, { id: owner.id, label: owner.email });
  return getClient(db, b.id);
}

/** Best effort, through the documented API: a webhook, and a customer message on B's sandbox channel (contact, conversation, message). */
async function seedThroughApi(app: TestApp, bearer: string): Promise<void> {
  const api = (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  await api('/api/v1/webhooks', { method: 'POST', body: JSON.stringify({ url: 'https://hooks.example.kz/habar', events: ['message.received'] }) }).catch(() => undefined);
  const channels = await api('/api/v1/channels').then((r) => (r.ok ? r.json() : { data: [] })).catch(() => ({ data: [] })) as { data?: Array<{ customer_url?: string }> };
  const customerUrl = channels.data?.find((ch) => ch.customer_url)?.customer_url;
  if (customerUrl) {
    const path = new URL(customerUrl).pathname;
    await app.request(`${path}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Сәлеметсіз бе', customer: 'tenancy-probe' }) }).catch(() => undefined);
  }
}

interface Table { name: string; columns: string[] }

async function clientTables(app: TestApp): Promise<Table[]> {
  return (await app.ctx.db.introspection.getTables()).map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name) }))
    .filter((t) => t.columns.includes('client_id'));
}

/** Everything stored for client B (the append-only audit log aside: a refused request may be logged). */
async function snapshotOf(app: TestApp, tables: Table[], clientId: string): Promise<string> {
  const db = app.ctx.db as unknown as AnyDb;
  const parts: unknown[] = [await db.selectFrom('clients').selectAll().where('id', '=', clientId).execute()];
  for (const t of tables) {
    if (t.name === 'audit_log') continue;
    parts.push(await db.selectFrom(t.name).selectAll().where('client_id', '=', clientId).execute());
  }
  return JSON.stringify(parts);
}

const paramNames = (path: string) => [...path.matchAll(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g)].map((m) => m[1]);

/** A value for one route param from client B's rows, or undefined when there is none to use. */
async function resolveParam(app: TestApp, tables: Table[], b: Client, path: string, name: string): Promise<string | undefined> {
  if (['slug', 'client', 'clientSlug', 'client_slug'].includes(name)) return b.slug;
  if (['clientId', 'client_id'].includes(name)) return b.id;
  let base = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/_?id$/, '');
  if (!base) {
    const segs = path.split('/');
    base = (segs[segs.findIndex((s) => s.startsWith(`:${name}`)) - 1] ?? '').replace(/-/g, '_');
  }
  if (!base || base.startsWith(':')) return undefined;
  const aliases: Record<string, string> = { member: 'users', staff: 'users' };
  const names = [base, `${base}s`, `${base}es`, base.replace(/y$/, 'ies'), aliases[base]].filter(Boolean);
  const candidates = tables.filter((t) => t.columns.includes('id') && names.some((n) => t.name === n || t.name.endsWith(`_${n}`)));
  const db = app.ctx.db as unknown as AnyDb;
  for (const t of candidates) {
    const row = await db.selectFrom(t.name).select('id').where('client_id', '=', b.id).limit(1).executeTakeFirst();
    if (row) return String(row.id);
  }
  return undefined;
}

interface Case { method: string; path: string; url: string }

async function routeCases(app: TestApp, tables: Table[], b: Client): Promise<{ cases: Case[]; skipped: string[] }> {
  const seen = new Set<string>();
  const cases: Case[] = [];
  const skipped: string[] = [];
  for (const r of app.http.routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key) || r.method === 'ALL' || !r.path.includes(':')) continue;
    seen.add(key);
    if (r.path.includes('*')) { skipped.push(`${key} (wildcard)`); continue; }
    if (CSRF_EXEMPT.some((re) => re.test(r.path)) && !r.path.startsWith('/api/')) { skipped.push(`${key} (public: protected by its own token or signature)`); continue; }
    let url = r.path;
    const missing: string[] = [];
    for (const name of paramNames(r.path)) {
      const value = await resolveParam(app, tables, b, r.path, name);
      if (value === undefined) { missing.push(name); continue; }
      url = url.replace(new RegExp(`:${name}(\\{[^}]*\\})?\\??`), encodeURIComponent(value));
    }
    if (missing.length) skipped.push(`${key} (no client-B value for :${missing.join(', :')})`);
    else cases.push({ method: r.method, path: r.path, url });
  }
  return { cases, skipped };
}

// Fields a form or JSON body might want, so a route that forgot its tenancy check would really act.
const FIELDS = {
  name: 'Intruder', email: 'intruder@evil.kz', role: 'owner', hours: '24', reason: 'intrusion', text: 'intrusion', phone: '+7 700 111 11 11',
  contact_email: 'intruder@evil.kz', invoice_address: 'Nowhere', timezone: 'UTC', url: 'https://evil.example/hook', label: 'intruder',
  status: 'resolved', display_name: 'Intruder', tags: 'x', enabled: 'true', language: 'en',
};

async function send(app: TestApp, who: Principal, c: Case): Promise<Response> {
  const headers: Record<string, string> = {};
  if (who.csrf) headers['x-csrf-token'] = who.csrf;
  if (who.bearer) headers.authorization = `Bearer ${who.bearer}`;
  const init: RequestInit & { jar?: CookieJar } = { method: c.method, jar: who.jar, headers };
  if (!['GET', 'HEAD'].includes(c.method)) {
    if (c.url.startsWith('/api/')) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify({ ...FIELDS, events: ['message.received'] });
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams({ ...(who.csrf ? { _csrf: who.csrf } : {}), ...FIELDS });
    }
  }
  return app.request(c.url, init);
}

const csrfOf = async (app: TestApp, jar: CookieJar) => csrfFrom(await (await app.request('/', { jar })).text());

test.before(async (ctx) => {
  const app = (ctx.app = await makeTestApp());
  const a = await buildClient(app, { slug: 'tenant-a' });
  ctx.b = await seedTenantB(app);
  ctx.attackers = {};
  for (const role of MEMBER_ATTACKERS) {
    const u = await buildUser(app, role, role === 'support' ? null : a.id, `${role}@tenant-a.kz`);
    const jar = await loginAs(app, u.email, TEST_PASSWORD);
    ctx.attackers[role] = { jar, csrf: await csrfOf(app, jar) };
  }
  const aOwner = await buildUser(app, 'owner', a.id, 'keys@tenant-a.kz');
  ctx.attackers['api key of A'] = { bearer: (await createApiKey(app.ctx.db, app.ctx.clock, { clientId: a.id, label: 'A' }, { id: aOwner.id, label: aOwner.email })).key };
  const bOwner = await app.ctx.db.selectFrom('users').select('id').where('email', '=', 'owner@tenant-b.kz').executeTakeFirstOrThrow();
  const bKey = (await createApiKey(app.ctx.db, app.ctx.clock, { clientId: ctx.b.id, label: 'B' }, { id: bOwner.id, label: 'b-owner' })).key;
  await seedThroughApi(app, bKey);
  const admin = await buildUser(app, 'admin', null, 'admin@operator.kz');
  ctx.entitled = [
    { jar: await loginAs(app, admin.email, TEST_PASSWORD) },
    { jar: await loginAs(app, 'owner@tenant-b.kz', TEST_PASSWORD) },
    { jar: await loginAs(app, 'agent@tenant-b.kz', TEST_PASSWORD) },
    { bearer: bKey },
  ];
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

test('members of client A, its API key and support staff without a grant get 401/403/404 for every route of client B, and B is unchanged', async ({ app, b, attackers, entitled }) => {
  const tables = await clientTables(app);
  const { cases, skipped } = await routeCases(app, tables, b);

  // Control: the filled-in params are real — somebody entitled to client B gets 200 on its GET pages.
  const unverified: string[] = [];
  for (const c of cases.filter((x) => x.method === 'GET')) {
    let ok = false;
    for (const who of entitled) if ((await send(app, who, c)).status === 200) { ok = true; break; }
    if (!ok) unverified.push(`GET ${c.path}`);
  }

  const failures: string[] = [];
  for (const [role, who] of Object.entries(attackers)) {
    // An API key authenticates /api/ only (elsewhere it is simply not signed in).
    for (const c of cases.filter((x) => !who.bearer || x.url.startsWith('/api/'))) {
      const before = await snapshotOf(app, tables, b.id);
      const res = await send(app, who, c);
      const body = await res.text();
      const after = await snapshotOf(app, tables, b.id);
      if (![401, 403, 404].includes(res.status)) failures.push(`${role}: ${c.method} ${c.url} answered ${res.status}`);
      if (body.includes(DISTINCT_NAME)) failures.push(`${role}: ${c.method} ${c.url} showed client B's name`);
      if (before !== after) failures.push(`${role}: ${c.method} ${c.url} changed client B's data`);
    }
    if (who.jar) assert.is((await app.request('/', { jar: who.jar })).status, 200, `${role} is still signed in, so every refusal above was a real one`);
    else assert.is((await send(app, who, { method: 'GET', path: '/api/v1/conversations', url: '/api/v1/conversations' })).status, 200, `${role} still works`);
  }

  console.log(`  tenancy: ${cases.length} client-B routes × ${Object.keys(attackers).length} principals checked`);
  if (skipped.length) console.log(`  tenancy: skipped (params not fillable from client B's rows):\n    ${skipped.join('\n    ')}`);
  if (unverified.length) console.log(`  tenancy: no client-B user got 200 on these (check their params):\n    ${unverified.join('\n    ')}`);
  assert.equal(failures, [], failures.join('\n'));
  // The check covers the client screens (it cannot pass by covering nothing).
  const covered = new Set(cases.map((c) => `${c.method} ${c.path}`));
  for (const known of ['GET /clients/:slug', 'POST /clients/:slug/edit', 'POST /clients/:slug/members', 'POST /clients/:slug/members/:userId/disable', 'POST /clients/:slug/support/:grantId/revoke']) {
    assert.ok(covered.has(known), `${known} is covered`);
  }
  for (const known of ['GET /clients/:slug', 'GET /clients/:slug/members/:userId', 'GET /clients/:slug/support']) {
    assert.not.ok(unverified.includes(known), `${known}: client B's own people reach it with these params`);
  }
});

test.run();
