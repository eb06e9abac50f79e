import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, type TestApp } from '../../../testing/test-app.ts';
import { recordTransferConsent } from '../../../ai/index.ts';
import { recordBreach } from '../../../privacy/index.ts';
import { buildApiTenant } from '../../../testing/api-client.ts';
import { setSetting } from '../../../settings/index.ts';
import { assignPlan, createPlan, issueStatement } from '../../../billing/index.ts';

// TENANCY of the REST API: client A's key gets 404 (never another answer, never a change) for
// every documented /api/v1 operation filled with client B's ids. The operations come from the
// OpenAPI document (which a sibling test proves lists every route), so a new route is covered
// at once; a new id parameter must be given a client-B value below, or this test fails.

type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;
const test = suite<{ app: TestApp; a: Tenant; b: Tenant; ids: Record<string, string> }>('API tenancy');

// Parameters that are not ids of a client's rows (the caller's own client is implied).
const NOT_TENANT_IDS = new Set(['area']);

const BODIES: Record<string, unknown> = {
  text: 'intrusion', name: 'Intruder', phone: '+7 700 111 11 11', tags: ['x'], url: 'https://evil.example/hook', events: ['message.received'],
  status: 'resolved', ai_state: 'paused', label: 'intruder',
};

test.before(async (ctx) => {
  const app = (ctx.app = await makeTestApp({ seed: false }));
  await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'webhooks.allow_private_targets', 'true'); // receivers listen on 127.0.0.1
  ctx.a = await buildApiTenant(app, 'tenant-a');
  ctx.b = await buildApiTenant(app, 'tenant-b');
  const b = ctx.b;
  const webhook = (await b.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/never', events: ['message.received'] })).body;
  await b.customerSays('B’s customer writes', 'b-customer');
  const conv = (await b.api('GET', '/api/v1/conversations')).body.data[0];
  const message = (await b.api('GET', `/api/v1/conversations/${conv.id}/messages`)).body.data[0];
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('secret of B')], { type: 'text/plain' }), 'b.txt');
  const attachment = (await b.api('POST', '/api/v1/attachments', form)).body;
  let delivery: { id: string } | undefined;
  for (let i = 0; i < 100 && !delivery; i++) {
    delivery = (await b.api('GET', `/api/v1/webhooks/${webhook.id}/deliveries`)).body.data[0];
    if (!delivery) await new Promise((r) => setTimeout(r, 10));
  }
  await b.api('POST', `/api/v1/contacts/${conv.contact_id}/object`);
  // A finished export, so that B's own key can download what A's key must not find.
  const request = (await b.api('POST', '/api/v1/exports')).body;
  await app.ctx.jobs.drain();
  const by = { id: null, label: 'test' };
  const plan = await createPlan(app.ctx.db, app.ctx.clock, {
    name: 'B plan', currency: 'KZT', monthlyPriceMinor: 1, included: { messages: null, ai_replies: null, ai_tokens: null, api_calls: null, channels: null },
    overageMinor: { messages: 0, ai_replies: 0, ai_tokens: 0, api_calls: 0, channels: 0 }, onLimit: 'bill',
  }, by);
  await assignPlan(app.ctx.db, app.ctx.clock, b.client.id, plan.id, '2026-01-01', by);
  const statement = (await issueStatement(app.ctx, b.client.id, { start: '2026-01-01', end: '2026-01-31' }, { by }))!;
  // B's registers: an authorisation of a transfer abroad and a breach that affects only B.
  const owner = await buildUser(app, 'owner', b.client.id, 'owner@tenant-b.kz');
  const consent = await recordTransferConsent(app.ctx.db, app.ctx.clock, { id: owner.id, email: owner.email, role: 'owner', clientId: b.client.id }, { clientId: b.client.id, provider: 'openai' });
  const breach = await recordBreach(app.ctx.db, app.ctx.clock, { detectedAt: app.ctx.clock.now().toISOString(), description: 'B only', clientIds: [b.client.id] }, { id: null, label: 'test' });
  ctx.ids = {
    number: statement.number,
    request_id: request.id, conversation_id: conv.id, contact_id: conv.contact_id, message_id: message.id, webhook_id: webhook.id, delivery_id: delivery!.id,
    key_id: b.apiKey.id, attachment_id: attachment.id, channel_id: b.channel.id, consent_id: consent.id, breach_id: breach.id,
  };
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

async function snapshotB(app: TestApp, clientId: string): Promise<string> {
  const db = app.ctx.db;
  const tables = ['contacts', 'conversations', 'messages', 'attachments', 'webhooks', 'webhook_deliveries', 'api_keys', 'channel_accounts', 'settings', 'jobs', 'privacy_requests'] as const;
  const out: unknown[] = [];
  for (const t of tables) out.push(await db.selectFrom(t).selectAll().where('client_id', '=', clientId).execute());
  return JSON.stringify(out);
}

test('client A’s key gets 404 for every /api/v1 operation with client B’s ids, and B is unchanged', async ({ app, a, b, ids }) => {
  const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  let checked = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((p) => !NOT_TENANT_IDS.has(p));
    if (params.length === 0) continue;
    for (const p of params) assert.ok(ids[p], `no client-B value for {${p}} (${path}): add one in test.before`);
    const url = path.replace(/\{(\w+)\}/g, (_, p: string) => ids[p] ?? 'general');
    for (const method of Object.keys(ops)) {
      const m = method.toUpperCase();
      const body = m === 'GET' || m === 'DELETE' ? undefined : BODIES;
      const before = await snapshotB(app, b.client.id);
      const res = await a.api(m, url, body);
      assert.is(res.status, 404, `${m} ${url} answered ${res.status} to client A's key`);
      assert.is(res.body.error.code, 'not_found');
      assert.not.ok(JSON.stringify(res.body).includes('B’s customer'), `${m} ${url} leaked B's data`);
      assert.is(await snapshotB(app, b.client.id), before, `${m} ${url} changed client B's data`);
      if (m === 'GET') assert.is((await b.api(m, url)).status, 200, `control: B's own key reads ${url}`);
      checked++;
    }
  }
  assert.ok(checked >= 15, `checked ${checked} operations`);
});

test('client A’s lists and settings never show client B’s rows', async ({ a, ids }) => {
  const bIds = Object.values(ids);
  for (const path of ['/api/v1/statements', '/api/v1/usage', '/api/v1/channels', '/api/v1/conversations', '/api/v1/contacts', '/api/v1/webhooks', '/api/v1/api-keys', '/api/v1/settings/general', `/api/v1/conversations?contact_id=${ids.contact_id}`, '/api/v1/requests', `/api/v1/requests?contact_id=${ids.contact_id}`,
    '/api/v1/consents', '/api/v1/breaches', '/api/v1/data-map', '/api/v1/policy']) {
    const res = await a.api('GET', path);
    assert.is(res.status, 200, path);
    const text = JSON.stringify(res.body);
    for (const id of bIds) assert.not.ok(text.includes(id), `${path} shows B's ${id}`);
  }
  assert.is((await a.api('GET', `/api/v1/conversations?channel_id=${ids.channel_id}`)).body.data.length, 0);
  assert.not.match(JSON.stringify((await a.api('GET', '/api/v1/data-map')).body), /127\.0\.0\.1:9/, 'B’s webhook is not in A’s data map');
  assert.is((await a.api('GET', '/api/v1/breaches')).body.data.length, 0);
  const started = await a.api('POST', '/api/v1/conversations', { channel_id: ids.channel_id, to: 'x', text: 'into B’s channel' });
  assert.is(started.status, 404, 'A cannot start a conversation on B’s channel');
  const conv = (await a.api('POST', '/api/v1/conversations', { channel_id: a.channel.id, to: 'x', text: 'hi' })).body.conversation.id;
  const withB = await a.api('POST', `/api/v1/conversations/${conv}/messages`, { text: 'steal', attachment_ids: [ids.attachment_id] });
  assert.is(withB.status, 400, 'A cannot attach B’s file');
});

test.run();
