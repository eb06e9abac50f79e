import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { makeTestApp, type TestApp } from '../../../testing/test-app.ts';
import { apiClient, buildApiTenant, type ApiResult } from '../../../testing/api-client.ts';
import { WebhookReceiver } from '../../../testing/webhook-receiver.ts';
import { createApiKey } from '../../../auth/index.ts';
import { setSetting } from '../../../settings/index.ts';
import { assignPlan, createPlan, issueStatement } from '../../../billing/index.ts';
import { getMessage, inTransaction } from '../../../messaging/index.ts';
import { ERROR_CODES } from './openapi-builder.ts';
import { updateRequest } from '../../../privacy/index.ts';
import { FakeWaNetwork, ManualTimers, waitFor } from '../../../testing/fake-wa-socket.ts';
import { CHANNEL_DRIVERS } from '../../../channels/index.ts';
import { makeWhatsappDriver } from '../../../channels/whatsapp/index.ts';

// An end-to-end run of every /api/v1 operation, bad requests included, with each answer checked
// against the document the server itself serves (JSON Schema 2020-12, as OpenAPI 3.1 says), and
// each webhook body a receiver gets checked against the document's webhooks section.

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = Record<string, any>;
type Tenant = Awaited<ReturnType<typeof buildApiTenant>>;

/** Checks answers against the served document and records which operations and statuses were seen. */
class Conformance {
  readonly ajv = new Ajv2020({ strict: false });
  /** `GET /api/v1/x 200` for every answer checked. */
  readonly seen = new Set<string>();
  readonly codes = new Set<string>();
  private readonly templates: Array<{ path: string; re: RegExp; params: number }>;

  constructor(readonly doc: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc, 'doc');
    this.templates = Object.keys(doc.paths)
      .map((path) => ({ path, re: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`), params: (path.match(/\{/g) ?? []).length }))
      .sort((a, b) => a.params - b.params);
  }

  private validate(pointer: string, value: unknown, what: string): void {
    const v = this.ajv.getSchema(`doc#${pointer}`);
    assert.ok(v, `no schema at ${pointer}`);
    if (!v!(value)) assert.unreachable(`${what} does not match the document: ${this.ajv.errorsText(v!.errors)}\n${JSON.stringify(value).slice(0, 600)}`);
  }

  private errorBody(res: ApiResult, what: string): void {
    this.validate('/components/schemas/Error', res.body, what);
    this.codes.add(res.body.error.code);
  }

  /** One answer: its status is documented for the operation, and its body matches that status's schema. */
  check(method: string, url: string, res: ApiResult): void {
    const pathname = new URL(url, 'http://x').pathname;
    const what = `${method} ${url} → ${res.status}`;
    const t = this.templates.find((x) => x.re.test(pathname));
    if (!t) {
      assert.is(res.status, 404, what);
      this.errorBody(res, what);
      return;
    }
    const op = this.doc.paths[t.path][method.toLowerCase()];
    if (!op) {
      assert.is(res.status, 405, `${what}: a method the path does not take`);
      assert.ok(res.headers.get('allow'), `${what}: Allow header`);
      this.errorBody(res, what);
      return;
    }
    this.seen.add(`${method} ${t.path} ${res.status}`);
    const documented = op.responses[String(res.status)];
    assert.ok(documented, `${what}: status ${res.status} is not documented for ${method} ${t.path} (${Object.keys(op.responses).join(', ')})`);
    const esc = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
    if (documented.content?.['text/csv'] && /^text\/csv/.test(res.headers.get('content-type') ?? '')) {
      assert.type(res.body, 'string', `${what}: a CSV body`);
    } else if (documented.content?.['application/json']) {
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, what);
      this.validate(`/paths/${esc(t.path)}/${method.toLowerCase()}/responses/${res.status}/content/application~1json/schema`, res.body, what);
      if (res.status >= 400) this.codes.add(res.body.error.code);
    } else if (!documented.content) {
      assert.is(res.body, undefined, `${what}: the document says no body`);
    }
  }

  checkWebhook(event: string, body: unknown): void {
    assert.ok(this.doc.webhooks?.[event], `webhook event ${event} documented`);
    this.validate(`/webhooks/${event}/post/requestBody/content/application~1json/schema`, body, `webhook ${event}`);
  }
}

const test = suite<{ app: TestApp; t: Tenant; rx: WebhookReceiver; conf: Conformance; net: FakeWaNetwork }>('API conformance with the served OpenAPI document');

test.before(async (ctx) => {
  // The WhatsApp adapter with Baileys' socket replaced, so pairing answers without WhatsApp.
  ctx.net = new FakeWaNetwork();
  const driver = makeWhatsappDriver({ sockets: ctx.net.factory, timers: new ManualTimers() });
  ctx.app = await makeTestApp({ seed: false, channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
  await ctx.app.ctx.channels.start();
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', 'true'); // the receiver listens on 127.0.0.1
  ctx.t = await buildApiTenant(ctx.app, 'acme');
  ctx.rx = await new WebhookReceiver().start();
  ctx.conf = new Conformance(await (await ctx.app.request('/api/v1/openapi.json')).json() as Json);
});
test.after(async (ctx) => {
  await ctx.rx.stop();
  await ctx.app.cleanup();
});

test('every answer of an end-to-end run, errors included, matches the document; every operation succeeds at least once', async ({ app, t, rx, conf, net }) => {
  const call = async (method: string, url: string, body?: unknown, headers?: Record<string, string>, api = t.api): Promise<ApiResult> => {
    const res = await api(method, url, body, headers);
    conf.check(method, url, res);
    return res;
  };
  const noKey = apiClient(app, undefined);

  // The document, and the key.
  await call('GET', '/api/v1/openapi.json', undefined, undefined, noKey);
  await call('GET', '/api/v1/conversations', undefined, undefined, noKey);
  await call('GET', '/api/v1/channels', undefined, undefined, apiClient(app, 'hbr_unknown'));

  // Webhooks first, so the run's events are delivered (and checked below).
  const hook = (await call('POST', '/api/v1/webhooks', { url: rx.url, events: ['message.received', 'message.sent', 'message.failed', 'conversation.updated', 'channel.status'] })).body;
  rx.secret = hook.secret;
  await call('POST', '/api/v1/webhooks', { url: rx.url, events: ['message.deleted'] });
  await call('POST', '/api/v1/webhooks', { url: 'ftp://example.kz/' , events: ['message.sent'] });
  await call('GET', '/api/v1/webhooks');
  await call('GET', '/api/v1/webhooks?cursor=not-a-cursor');
  await call('GET', `/api/v1/webhooks/${hook.id}`);
  await call('PUT', `/api/v1/webhooks/${hook.id}`, { active: true });
  await call('PUT', `/api/v1/webhooks/${hook.id}`, { secret: 'short' });

  // Channels.
  await call('GET', '/api/v1/channels');
  await call('POST', '/api/v1/channels', { kind: 'sandbox', name: 'Website 😀' });
  const wa = (await call('POST', '/api/v1/channels', { kind: 'whatsapp', name: 'Phone' })).body;
  const waStatus = (status: string) => waitFor(`status ${status}`, async () => (await t.api('GET', `/api/v1/channels/${wa.id}`)).body.status === status);
  await net.socket(1);
  net.showQr('2@first-ref,abc');
  await waStatus('qr');
  await call('GET', `/api/v1/channels/${wa.id}`);
  await call('GET', '/api/v1/channels/nope');
  await call('PATCH', `/api/v1/channels/${t.channel.id}`, { name: 'Website chat' });
  await call('PATCH', `/api/v1/channels/${t.channel.id}`, { settings: { groups: true } });
  await call('PATCH', `/api/v1/channels/${t.channel.id}`, { name: '' });
  await call('POST', `/api/v1/channels/${wa.id}/pairing-code`, { phone: '8701' });
  await call('POST', `/api/v1/channels/${wa.id}/pairing-code`, { phone: '+77011234567' });
  net.scanned('+77011234567', 'Shop');
  await waStatus('connected');
  await call('POST', `/api/v1/channels/${wa.id}/pairing-code`, { phone: '+77011234567' });
  await call('POST', `/api/v1/channels/${wa.id}/logout`);
  await call('POST', `/api/v1/channels/${wa.id}/connect`);
  await call('POST', `/api/v1/channels/${t.channel.id}/connect`);
  await call('PATCH', `/api/v1/channels/${wa.id}`, { settings: { historySyncDays: 3, groups: true } });
  await call('PATCH', `/api/v1/channels/${wa.id}`, { settings: { historySyncDays: 999 } });
  await call('DELETE', `/api/v1/channels/${wa.id}?purge=maybe`);
  await call('DELETE', `/api/v1/channels/${wa.id}`);
  await call('DELETE', `/api/v1/channels/${wa.id}?purge=true`);

  // Conversations and messages.
  const started = (await call('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'c-1', text: '😀'.repeat(2049), name: 'Aliya' })).body;
  const again = await call('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'c-1', text: 'Second' });
  assert.is(again.status, 200);
  await call('POST', '/api/v1/conversations', { channel_id: 'nope', to: 'x', text: 'hi' });
  await call('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'x', text: 'x'.repeat(4097) });
  await call('POST', '/api/v1/conversations', '{"channel_id": ');
  const conv = started.conversation.id;
  await t.customerSays('Есть доставка?', 'c-2');
  await call('GET', '/api/v1/conversations');
  await call('GET', `/api/v1/conversations?contact_id=${started.contact.id}&status=open&channel_id=${t.channel.id}&updated_since=2000-01-01T00:00:00Z&unread=false&limit=1`);
  await call('GET', '/api/v1/conversations?cursor=garbage');
  await call('GET', '/api/v1/conversations?limit=500');
  await call('GET', '/api/v1/conversations?updated_since=yesterday');
  await call('GET', '/api/v1/conversations?sort=asc');
  await call('GET', `/api/v1/conversations/${conv}`);
  await call('GET', '/api/v1/conversations/nope');
  await call('PATCH', `/api/v1/conversations/${conv}`, { ai_state: 'paused' });
  await call('PATCH', `/api/v1/conversations/${conv}`, { status: 'closed' });
  await call('GET', `/api/v1/conversations/${conv}/messages?limit=1`);
  await call('GET', `/api/v1/conversations/${conv}/messages?cursor=zzz`);
  const sent = (await call('POST', `/api/v1/conversations/${conv}/messages`, { text: 'Бесплатно' })).body;
  await call('POST', `/api/v1/conversations/${conv}/messages`, { text: 'hi', colour: 'red' });
  await call('POST', `/api/v1/conversations/${conv}/messages`, {});
  await call('POST', `/api/v1/conversations/${conv}/messages`, { text: '   ' });
  await call('POST', `/api/v1/conversations/${conv}/messages`, { text: 'x'.repeat(2 * 1024 * 1024) });
  await call('POST', `/api/v1/conversations/${conv}/messages`, 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' });
  await app.ctx.jobs.drain();
  await call('GET', `/api/v1/messages/${sent.id}`);
  await call('GET', '/api/v1/messages/nope');
  await call('PATCH', `/api/v1/conversations/${conv}`, { status: 'resolved' });

  // Files.
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4 price list')], { type: 'application/pdf' }), 'prices.pdf');
  const file = (await call('POST', '/api/v1/attachments', form)).body;
  await call('POST', '/api/v1/attachments', { file: 'x' });
  await call('POST', `/api/v1/conversations/${conv}/messages`, { text: '', attachment_ids: [file.id] });
  await call('POST', `/api/v1/conversations/${conv}/messages`, { text: 'again', attachment_ids: [file.id] });
  await call('GET', `/api/v1/conversations/${conv}/messages`);
  await call('GET', `/api/v1/attachments/${file.id}`);
  await call('GET', '/api/v1/attachments/nope');

  // Contacts.
  const contactId = started.contact.id;
  await call('GET', '/api/v1/contacts');
  await call('GET', '/api/v1/contacts?name=Ali&limit=1');
  await call('GET', '/api/v1/contacts?phone=abc');
  await call('GET', '/api/v1/contacts?cursor=nope');
  await call('GET', `/api/v1/contacts/${contactId}`);
  await call('PATCH', `/api/v1/contacts/${contactId}`, { name: 'Алия 😀', phone: '+7 701 234 56 78', tags: ['vip'] });
  await call('GET', '/api/v1/contacts?tag=vip&phone=701 234');
  await call('PATCH', `/api/v1/contacts/${contactId}`, { phone: 'call me' });
  await call('PATCH', `/api/v1/contacts/${contactId}`, { name: 'x'.repeat(201) });
  await call('GET', '/api/v1/contacts/nope');

  // Privacy: restriction, objection, erasure, minors, and the request register.
  const restricted = (await call('POST', `/api/v1/contacts/${contactId}/restrict`)).body;
  await call('POST', '/api/v1/contacts/nope/restrict');
  await call('DELETE', `/api/v1/contacts/${contactId}/restrict`);
  await call('POST', `/api/v1/contacts/${contactId}/object`);
  await call('DELETE', `/api/v1/contacts/${contactId}/object`);
  await call('DELETE', '/api/v1/contacts/nope/object');
  await call('GET', `/api/v1/requests?contact_id=${contactId}&kind=restriction&limit=1`);
  await call('GET', '/api/v1/requests?kind=nonsense');
  await call('GET', '/api/v1/requests?cursor=nope');
  await call('GET', `/api/v1/requests/${restricted.id}`);
  await call('GET', '/api/v1/requests/nope');
  const toErase = (await call('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'c-erase', text: 'Soon forgotten' })).body.contact.id;
  const erasure = (await call('POST', `/api/v1/contacts/${toErase}/erase`)).body;
  await app.ctx.jobs.drain();
  assert.is((await call('GET', `/api/v1/requests/${erasure.id}`)).body.status, 'done');
  await call('POST', `/api/v1/contacts/${toErase}/erase`);
  await call('POST', '/api/v1/contacts/nope/erase');
  const minor = (await call('POST', '/api/v1/conversations', { channel_id: t.channel.id, to: 'c-minor', text: 'Hi' })).body.contact.id;
  await call('POST', `/api/v1/contacts/${minor}/minor`);
  await call('POST', `/api/v1/contacts/${minor}/minor`);
  await app.ctx.jobs.drain();

  // Exports: the whole client and one contact; the download before it is ready, once done, and expired.
  const clientExport = (await call('POST', '/api/v1/exports')).body;
  await call('GET', `/api/v1/requests/${clientExport.id}/download`);
  const contactExport = (await call('POST', `/api/v1/contacts/${contactId}/export`)).body;
  await call('POST', '/api/v1/contacts/nope/export');
  await app.ctx.jobs.drain();
  assert.is((await call('GET', `/api/v1/requests/${clientExport.id}/download`)).status, 200);
  await call('GET', '/api/v1/requests/nope/download');
  await updateRequest(app.ctx.db, app.ctx.clock, contactExport.id, { expiresAt: new Date(app.ctx.clock.now().getTime() - 1000).toISOString() });
  assert.is((await call('GET', `/api/v1/requests/${contactExport.id}/download`)).status, 410);

  // Transparency: the data map, the policy, the consent and breach registers.
  await call('GET', '/api/v1/data-map');
  await call('GET', '/api/v1/policy');
  await call('GET', '/api/v1/consents?limit=1');
  await call('GET', '/api/v1/consents?cursor=nope');
  await call('GET', '/api/v1/breaches');
  await call('GET', '/api/v1/breaches?limit=0');

  // The delivery log: a receiver that fails keeps a delivery in progress (409 on redeliver).
  await app.ctx.jobs.drain();
  rx.mode = 'fail';
  await t.customerSays('Ещё вопрос', 'c-2');
  await app.ctx.jobs.drain();
  const deliveries = (await call('GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=200`)).body.data;
  await call('GET', `/api/v1/webhooks/${hook.id}/deliveries?cursor=-1`);
  const failing = deliveries.find((d: Json) => d.status === 'failed');
  assert.ok(failing, 'a failed delivery');
  await call('POST', `/api/v1/webhooks/${hook.id}/deliveries/${failing.id}/redeliver`);
  const delivered = deliveries.find((d: Json) => d.status === 'delivered');
  await call('GET', `/api/v1/webhooks/${hook.id}/deliveries/${delivered.id}`);
  await call('POST', `/api/v1/webhooks/${hook.id}/deliveries/${delivered.id}/redeliver`);
  rx.mode = 'ok';
  await app.ctx.jobs.drain();

  // API keys.
  const other = await createApiKey(app.ctx.db, app.ctx.clock, { clientId: t.client.id, label: 'spare' }, { id: null, label: 'test' });
  await call('GET', '/api/v1/api-keys');
  await call('GET', '/api/v1/api-keys?cursor=%25%25');
  await call('GET', `/api/v1/api-keys/${other.apiKey.id}`);
  assert.is((await call('DELETE', `/api/v1/api-keys/${other.apiKey.id}`)).status, 204);
  assert.is((await call('DELETE', `/api/v1/api-keys/${other.apiKey.id}`)).status, 204);
  await call('POST', '/api/v1/api-keys', { label: 'minted' });

  // Settings.
  await call('GET', '/api/v1/settings');
  await call('GET', '/api/v1/settings/general');
  await call('PUT', '/api/v1/settings/general', { timezone: 'Asia/Aqtobe' });
  await call('PUT', '/api/v1/settings/general', { timezone: 'Mars/Olympus' });
  await call('PUT', '/api/v1/settings/general', { colour: 'red' });
  await call('GET', '/api/v1/settings/nope');
  await call('GET', '/api/v1/settings/ai');
  await call('PUT', '/api/v1/settings/ai', { debounce_seconds: 10, faq: [{ question: 'Доставка?', answer: 'Да' }] });
  await call('PUT', '/api/v1/settings/ai', { debounce_seconds: 121 });
  await call('PUT', '/api/v1/settings/ai', { provider_status: 'ok' });
  await call('PUT', '/api/v1/settings/ai', { enabled: true, provider: 'openai', model: 'gpt-4o-mini', api_key: 'sk-test' });
  await call('GET', '/api/v1/settings/company');
  await call('PUT', '/api/v1/settings/company', { name: 'ТОО Алтын 😀', contact_persons: [{ name: 'Dana' }] });
  await call('PUT', '/api/v1/settings/company', { contact_email: 'not an address' });
  await call('GET', '/api/v1/templates');
  await call('PUT', '/api/v1/templates', { version: 1, templates: [{ code: 'hi', text: { ru: 'Здравствуйте, {{contact.name}}!', kk: 'Сәлем!', en: 'Hello!' } }] });
  await call('PUT', '/api/v1/templates', { version: 1, templates: [{ code: 'Bad Code', text: { ru: 'x' } }] });
  await call('PUT', '/api/v1/rules', { version: 1, rules: [{ name: 'Hello', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_contains', value: 'привет' }], actions: [{ type: 'send_template', code: 'hi' }] }] });
  await call('PUT', '/api/v1/rules', { version: 1, rules: [{ name: 'Bad', enabled: true, trigger: { event: 'message.received' }, conditions: [{ type: 'text_matches', value: '(' }], actions: [{ type: 'stop' }] }] });
  await call('PUT', '/api/v1/templates', { version: 1, templates: [] });
  await t.customerSays('Привет!', 'c-rules');
  await app.ctx.jobs.drain();
  await call('GET', '/api/v1/rules');
  await call('GET', '/api/v1/settings/business-hours');
  await call('PUT', '/api/v1/settings/business-hours', { week: { mon: [['09:00', '18:00']], sat: [] }, holidays: ['2026-12-16'], out_of_hours_template: 'hi' });
  await call('PUT', '/api/v1/settings/business-hours', { week: { mon: [['18:00', '09:00']] } });
  await call('GET', '/api/v1/settings/chatwoot');
  await call('PUT', '/api/v1/settings/chatwoot', { sign_agent_name: true, resume_ai_on_resolve: false });
  await call('PUT', '/api/v1/settings/chatwoot', { url: 'http://127.0.0.1:9', account_id: 1, api_token: 'x' });
  await call('PUT', '/api/v1/settings/chatwoot', { connected: true });
  await call('GET', '/api/v1/settings/security');
  await call('PUT', '/api/v1/settings/security', { require_totp: false });
  await call('PUT', '/api/v1/settings/security', { require_totp: true });

  // Wrong methods and unknown paths.
  await call('DELETE', '/api/v1/conversations');
  await call('PATCH', '/api/v1/settings/ai');
  await call('PUT', `/api/v1/messages/${sent.id}`, { text: 'edited' });
  await call('GET', '/api/v1/nothing-here');

  // Webhooks: delete, twice.
  const spare = (await call('POST', '/api/v1/webhooks', { url: rx.url, events: ['message.sent'] })).body;
  assert.is((await call('DELETE', `/api/v1/webhooks/${spare.id}`)).status, 204);
  assert.is((await call('DELETE', `/api/v1/webhooks/${spare.id}`)).status, 204);

  // Usage and statements.
  await call('GET', '/api/v1/usage');
  await call('GET', '/api/v1/usage?from=2025-01-01&to=2026-06-01');
  const plan = await createPlan(app.ctx.db, app.ctx.clock, {
    name: 'Basic', currency: 'KZT', monthlyPriceMinor: 100_000, included: { messages: 1, ai_replies: null, ai_tokens: null, api_calls: null, channels: null },
    overageMinor: { messages: 100, ai_replies: 0, ai_tokens: 0, api_calls: 0, channels: 0 }, onLimit: 'bill',
  }, { id: null, label: 'test' });
  await assignPlan(app.ctx.db, app.ctx.clock, t.client.id, plan.id, '2026-01-01', { id: null, label: 'test' });
  const statement = (await issueStatement(app.ctx, t.client.id, { start: '2026-01-01', end: '2026-01-31' }, { by: { id: null, label: 'test' } }))!;
  await call('GET', '/api/v1/statements');
  await call('GET', '/api/v1/statements?cursor=bogus');
  await call('GET', `/api/v1/statements/${statement.number}`);
  await call('GET', `/api/v1/statements/${statement.number}?format=csv`);
  await call('GET', `/api/v1/statements/${statement.number}?format=pdf`);
  await call('GET', '/api/v1/statements/2026-99999');

  // A suspended client's key: 403 on every operation.
  await app.ctx.db.updateTable('clients').set({ status: 'suspended' }).where('id', '=', t.client.id).execute();
  await call('GET', '/api/v1/channels');
  await call('POST', `/api/v1/conversations/${conv}/messages`, { text: 'hi' });
  await app.ctx.db.updateTable('clients').set({ status: 'active' }).where('id', '=', t.client.id).execute();

  const successes = new Set([...conf.seen].filter((s) => / 2\d\d$/.test(s)).map((s) => s.replace(/ \d+$/, '')));
  const operations = Object.entries(conf.doc.paths as Json).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
  assert.equal(operations.filter((o) => !successes.has(o)), [], 'operations never run successfully');
  const undocumented = [...conf.codes].filter((c) => !(c in ERROR_CODES));
  assert.equal(undocumented, [], 'error codes outside the documented vocabulary');
  for (const status of ['400', '401', '403', '404', '405', '409', '413']) {
    assert.ok([...conf.seen].some((s) => s.endsWith(` ${status}`)) || status === '405', `a ${status} was checked`);
  }
});

test('every webhook body a receiver gets matches its event’s schema in the document, all five events included', async ({ app, t, rx, conf }) => {
  // The two events the run above cannot cause on a sandbox (a failed send, a status change) go
  // through the same hub, forwarder and delivery jobs as any other.
  const [conv] = (await t.api('GET', '/api/v1/conversations')).body.data;
  const [last] = (await t.api('GET', `/api/v1/conversations/${conv.id}/messages?limit=1`)).body.data;
  const msg = await getMessage(app.ctx.db, t.client.id, last.id);
  const now = app.ctx.clock.now().toISOString();
  await inTransaction(app.ctx, async (_trx, events) => {
    events.push({ type: 'message.failed', clientId: t.client.id, at: now, message: { ...msg, status: 'failed', error: 'The platform refused the message' } });
    events.push({ type: 'channel.status', clientId: t.client.id, at: now, channel: { id: t.channel.id, kind: 'sandbox', name: 'Sandbox', status: 'disconnected', lastError: null } });
  });
  await app.ctx.jobs.drain();
  const events = new Set<string>();
  for (const d of rx.requests) {
    assert.ok(d.validSignature, 'signed');
    assert.is(d.json.id, d.id, 'the body’s id is the X-Habar-Delivery header');
    conf.checkWebhook(d.json.event, d.json);
    events.add(d.json.event);
  }
  assert.equal([...events].sort(), ['channel.status', 'conversation.updated', 'message.failed', 'message.received', 'message.sent']);
});

test.run();
