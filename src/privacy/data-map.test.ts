import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildUser, loginAs, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import { createChannelAccount } from '../channels/index.ts';
import { createWebhook } from '../webhooks/index.ts';
import { recordTransferConsent, updateAiSettings } from '../ai/index.ts';
import { setSetting } from '../settings/index.ts';

// Transparency: the data map lists exactly the recipients the client's configuration sends data
// to (the AI abroad or local, each WhatsApp and Instagram channel, webhooks, SMTP), the consent
// register lists the client's authorisations, and the DPA is filled with the client's details.
type Ctx = { app: TestApp; a: ApiTenant; b: ApiTenant };
const test = suite<Ctx>('data map, consents and the DPA');

const ME = { id: null, label: 'test' };

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.a = await buildApiTenant(ctx.app, 'acme');
  ctx.b = await buildApiTenant(ctx.app, 'beta');
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const recipients = async (t: ApiTenant) => ((await t.api('GET', '/api/v1/data-map')).body.recipients as Array<Record<string, unknown>>);

test('the data map lists exactly the recipients configured: AI abroad or local, each WhatsApp and Instagram channel, webhooks, SMTP, Chatwoot, off-site backups', async (ctx) => {
  const { db, clock, vault } = ctx.app.ctx;
  const id = ctx.a.client.id;
  // A sandbox alone sends nothing anywhere.
  const first = (await ctx.a.api('GET', '/api/v1/data-map')).body;
  assert.equal(first.recipients, []);
  assert.ok(first.categories.some((c: { name: string; retention_days: null }) => c.name === 'chat_history' && c.retention_days === null));
  assert.equal(Object.keys(first.categories[0]).sort(), ['name', 'purpose', 'retention_days']);

  const owner = await buildUser(ctx.app, 'owner', id, 'owner@acme.kz');
  await recordTransferConsent(db, clock, { id: owner.id, email: owner.email, role: 'owner', clientId: id }, { clientId: id, provider: 'openai' });
  await updateAiSettings(db, vault, clock, id, { enabled: true, provider: 'openai', apiKey: 'sk-test-123' }, ME);
  await createChannelAccount(db, clock, vault, { clientId: id, kind: 'whatsapp', name: 'Sales phone' });
  await createChannelAccount(db, clock, vault, { clientId: id, kind: 'instagram', name: 'acme.kz' });
  await createWebhook(db, vault, clock, id, { url: 'https://hooks.example.com/habar', events: ['message.received'] }, ME);
  await createWebhook(db, vault, clock, id, { url: 'https://crm.acme.kz/in', events: ['message.received'] }, ME);
  await createWebhook(db, vault, clock, id, { url: 'https://paused.example.com/x', events: ['message.received'], active: false }, ME);
  await setSetting(db, vault, clock, 'smtp.host', 'mail.operator.kz');
  await setSetting(db, vault, clock, 'smtp.from', 'noreply@operator.kz');
  // A connected Chatwoot, and off-site backups in Kazakhstan.
  await db.insertInto('chatwoot_accounts').values({ client_id: id, url: 'https://chat.example.com', account_id: 1, api_token: null, webhook_secret: null, connected_at: clock.now().toISOString(), last_error: null, last_error_at: null, last_ok_at: null, updated_at: clock.now().toISOString() }).execute();
  for (const [k, v] of [['backup.remote.endpoint', 'https://s3.example.kz'], ['backup.remote.bucket', 'habar'], ['backup.remote.in_kazakhstan', 'true'], ['backup.remote.enabled', 'true']]) await setSetting(db, vault, clock, k, v);

  const all = await recipients(ctx.a);
  const sorted = (xs: Array<Record<string, unknown>>) => [...xs].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  assert.equal(sorted(all), sorted([
    { kind: 'ai', name: 'OpenAI', url: 'https://api.openai.com/v1', abroad: true },
    { kind: 'whatsapp', name: 'WhatsApp (Meta): Sales phone', url: 'https://web.whatsapp.com', abroad: true },
    { kind: 'instagram', name: 'Instagram (Meta): acme.kz', url: 'https://graph.facebook.com', abroad: true },
    { kind: 'webhook', name: 'hooks.example.com', url: 'https://hooks.example.com/habar', abroad: true },
    { kind: 'webhook', name: 'crm.acme.kz', url: 'https://crm.acme.kz/in', abroad: false },
    { kind: 'smtp', name: 'mail.operator.kz', url: 'smtp://mail.operator.kz:587', abroad: false },
    { kind: 'chatwoot', name: 'chat.example.com', url: 'https://chat.example.com', abroad: true },
    { kind: 'backup', name: 's3.example.kz/habar', url: 'https://s3.example.kz', abroad: false },
  ]));
  // The other client has only the install-wide SMTP relay and backups.
  assert.equal(sorted(await recipients(ctx.b)), sorted([
    { kind: 'smtp', name: 'mail.operator.kz', url: 'smtp://mail.operator.kz:587', abroad: false },
    { kind: 'backup', name: 's3.example.kz/habar', url: 'https://s3.example.kz', abroad: false },
  ]));
  // Chat history kept for the days the client set.
  await setSetting(db, vault, clock, 'privacy.retention_days', '30', id);
  const categories = (await ctx.a.api('GET', '/api/v1/data-map')).body.categories as Array<{ name: string; retention_days: number | null }>;
  assert.is(categories.find((c) => c.name === 'chat_history')!.retention_days, 30);
  assert.is(categories.find((c) => c.name === 'contacts')!.retention_days, null);

  // A local OpenAI-compatible endpoint in Kazakhstan: the AI is no longer abroad.
  await updateAiSettings(db, vault, clock, id, { provider: 'compatible', baseUrl: 'http://10.0.0.5:8000/v1', locatedInKazakhstan: true, model: 'qwen' }, ME);
  assert.equal((await recipients(ctx.a)).filter((r) => r.kind === 'ai'), [{ kind: 'ai', name: 'qwen', url: 'http://10.0.0.5:8000/v1', abroad: false }]);
  // The offline FAQ responder sends nothing out.
  await updateAiSettings(db, vault, clock, id, { provider: 'faq' }, ME);
  assert.equal((await recipients(ctx.a)).filter((r) => r.kind === 'ai'), []);
});

test('GET /api/v1/consents lists the client’s authorisations of transfers abroad, newest first with a cursor, and no other client’s', async (ctx) => {
  const { db, clock } = ctx.app.ctx;
  const id = ctx.a.client.id;
  const owner = await buildUser(ctx.app, 'owner', id, 'owner@acme.kz');
  const actor = { id: owner.id, email: owner.email, role: 'owner', clientId: id };
  await recordTransferConsent(db, clock, actor, { clientId: id, provider: 'openai' });
  await recordTransferConsent(db, clock, actor, { clientId: id, provider: 'compatible', destination: 'llm.example.com' });
  const page1 = (await ctx.a.api('GET', '/api/v1/consents?limit=1')).body;
  assert.is(page1.data.length, 1);
  assert.is(page1.data[0].provider, 'compatible');
  assert.equal(Object.keys(page1.data[0]).sort(), ['destination', 'id', 'policy_version', 'provider', 'recorded_at', 'withdrawn_at']);
  const page2 = (await ctx.a.api('GET', `/api/v1/consents?limit=1&cursor=${page1.next_cursor}`)).body;
  assert.is(page2.data[0].provider, 'openai');
  assert.is(page2.next_cursor, null);
  assert.equal((await ctx.b.api('GET', '/api/v1/consents')).body, { data: [], next_cursor: null });
  assert.not.match(JSON.stringify(page1), /owner@acme\.kz/, 'the API names no member');
});

test('the DPA is filled with the client’s details and the processing configured; only the client’s managers and the operator open it', async (ctx) => {
  const { db, clock, vault } = ctx.app.ctx;
  const id = ctx.a.client.id;
  await db.updateTable('clients').set({ name: 'Acme <Trade> LLP', contact_email: 'office@acme.kz', phone: '+7 701 000 00 01', invoice_address: 'Almaty, Abay 1', contact_persons: JSON.stringify([{ name: 'Aigerim Sadykova', email: 'aigerim@acme.kz' }]) }).where('id', '=', id).execute();
  await createWebhook(db, vault, clock, id, { url: 'https://hooks.example.com/habar', events: ['message.received'] }, ME);
  const owner = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', id, 'owner@acme.kz')).email, TEST_PASSWORD);
  const res = await ctx.app.request('/clients/acme/dpa', { jar: owner });
  assert.is(res.status, 200);
  const html = await res.text();
  for (const s of ['Acme &lt;Trade&gt; LLP', 'office@acme.kz', '+7 701 000 00 01', 'Almaty, Abay 1', 'Aigerim Sadykova, aigerim@acme.kz', 'https://hooks.example.com/habar', '94-V', 'Соглашение об обработке персональных данных', 'За пределами Казахстана']) assert.ok(html.includes(s), s);
  assert.not.match(html, /\{\{/);
  // The operator's own template, edited in the settings.
  await setSetting(db, vault, clock, 'policy.dpa_template', '# Agreement with {{client.name}}\n\nRecipients:\n{{recipients}}');
  const custom = await (await ctx.app.request('/clients/acme/dpa', { jar: owner })).text();
  assert.match(custom, /<h1>Agreement with Acme &lt;Trade&gt; LLP<\/h1>/);
  assert.match(custom, /<li>Вебхук: hooks\.example\.com \(https:\/\/hooks\.example\.com\/habar\), За пределами Казахстана<\/li>/);
  // The data map page lists the same recipient.
  assert.match(await (await ctx.app.request('/clients/acme/data-map', { jar: owner })).text(), /https:\/\/hooks\.example\.com\/habar/);

  const other = await loginAs(ctx.app, (await buildUser(ctx.app, 'owner', ctx.b.client.id, 'owner@beta.kz')).email, TEST_PASSWORD);
  const agent = await loginAs(ctx.app, (await buildUser(ctx.app, 'agent', id, 'agent@acme.kz')).email, TEST_PASSWORD);
  const support = await loginAs(ctx.app, (await buildUser(ctx.app, 'support', null, 'support@operator.kz')).email, TEST_PASSWORD);
  const admin = await loginAs(ctx.app, (await buildUser(ctx.app, 'admin', null, 'admin@operator.kz')).email, TEST_PASSWORD);
  for (const path of ['/clients/acme/dpa', '/clients/acme/data-map']) {
    assert.is((await ctx.app.request(path, { jar: other })).status, 404, `${path}: another client's owner`);
    assert.is((await ctx.app.request(path, { jar: agent })).status, 403, `${path}: an agent`);
    assert.is((await ctx.app.request(path, { jar: support })).status, 403, `${path}: support without a grant`);
    assert.is((await ctx.app.request(path, { jar: admin })).status, 200, `${path}: the operator`);
  }
});

test.run();
