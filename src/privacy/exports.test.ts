import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { unzipSync, strFromU8 } from 'fflate';
import { makeTestApp, buildUser, type TestApp } from '../testing/test-app.ts';
import { apiClient, buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';
import { PERSONAL_DATA } from './registry.ts';
import { exportedTables } from './export-rows.ts';

// Policy 7.1 (access) and 7.5 (portability): POST /api/v1/exports and /contacts/{id}/export answer
// 202 with a request record; a job writes one ZIP; the link works for the same client only and
// answers 410 expired after expires_at. Every registered table appears; secrets never do.

interface Ctx { app: TestApp; clock: ManualClock; acme: ApiTenant; other: ApiTenant; webhookSecret: string }
const test = suite<Ctx>('exports: the whole client and one contact, through the API');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock('2026-05-04T08:00:00.000Z');
  ctx.app = await makeTestApp({ clock: ctx.clock, seed: false });
  ctx.acme = await buildApiTenant(ctx.app, 'acme');
  ctx.other = await buildApiTenant(ctx.app, 'other');
  await setSetting(ctx.app.ctx.db, ctx.app.ctx.vault, ctx.app.ctx.clock, 'webhooks.allow_private_targets', 'true');
  ctx.webhookSecret = 'whsec-export-test-0123456789abcdef';
  const hook = await ctx.acme.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['message.received'], secret: ctx.webhookSecret });
  assert.is(hook.status, 201, JSON.stringify(hook.body));
  await buildUser(ctx.app, 'owner', ctx.acme.client.id, 'owner@acme.kz');
});
test.after.each(async (ctx) => { await ctx.app.cleanup(); });

async function download(app: TestApp, url: string, key: string | undefined) {
  const res = await app.request(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { res, bytes: res.status === 200 ? new Uint8Array(await res.arrayBuffer()) : undefined, json: res.status !== 200 ? await res.json() as any : undefined };
}

const allText = (files: Record<string, Uint8Array>) => Object.values(files).map((b) => Buffer.from(b).toString('latin1')).join('\n');

test('the client export: 202, progress to done, one ZIP with every registered table as NDJSON and CSV, media, and no secret', async ({ app, acme, other, webhookSecret }) => {
  await acme.customerSays('Сәлем! Do you deliver to Almaty?', 'aigerim');
  const conv = (await acme.api('GET', '/api/v1/conversations')).body.data[0];
  const form = new FormData();
  form.set('file', new File([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])], 'menu.pdf', { type: 'application/pdf' }));
  const up = await app.request('/api/v1/attachments', { method: 'POST', headers: { authorization: `Bearer ${acme.key}` }, body: form });
  const attachmentId = ((await up.json()) as { id: string }).id;
  await acme.api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'Yes, here is the menu', attachment_ids: [attachmentId] });
  await other.customerSays('another client\'s secret order', 'dana');

  const started = await acme.api('POST', '/api/v1/exports');
  assert.is(started.status, 202);
  assert.is(started.body.kind, 'client_export');
  assert.is(started.body.status, 'received');
  assert.is(started.body.progress, 0);
  assert.is(started.body.download_url, null);
  assert.match(started.body.due_date, /^\d{4}-\d{2}-\d{2}$/);

  await app.ctx.jobs.drain();
  const done = (await acme.api('GET', `/api/v1/requests/${started.body.id}`)).body;
  assert.is(done.status, 'done');
  assert.is(done.progress, 100);
  assert.ok(done.download_url.startsWith(`${app.ctx.publicUrl()}/`), 'the link is absolute');
  assert.is(Date.parse(done.expires_at), Date.parse('2026-05-11T08:00:00.000Z'), 'seven days by default');

  const { res, bytes } = await download(app, done.download_url, acme.key);
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'application/zip');
  const files = unzipSync(bytes!);
  const manifest = JSON.parse(strFromU8(files['manifest.json']));
  assert.is(manifest.format, 'habar-client-export');
  const schema = JSON.parse(strFromU8(files['schema.json']));
  for (const t of exportedTables(PERSONAL_DATA, 'client')) {
    assert.ok(files[`data/${t.table}.ndjson`], `${t.table}.ndjson`);
    assert.ok(files[`data/${t.table}.csv`], `${t.table}.csv`);
    assert.ok(schema.tables.some((s: { table: string }) => s.table === t.table), `${t.table} described`);
    assert.is(strFromU8(files[`data/${t.table}.ndjson`]).split('\n').filter(Boolean).length, manifest.tables[t.table], `${t.table} row count`);
  }
  const messages = strFromU8(files['data/messages.ndjson']).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(messages.map((m) => m.text).sort(), ['Yes, here is the menu', 'Сәлем! Do you deliver to Almaty?']);
  assert.match(strFromU8(files['data/messages.csv']), /Сәлем! Do you deliver to Almaty\?/);
  assert.equal([...files[`media/${attachmentId}/menu.pdf`]], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(JSON.parse(strFromU8(files['data/clients.ndjson'])).slug === 'acme');
  assert.ok(strFromU8(files['data/users.ndjson']).includes('owner@acme.kz'));

  const everything = allText(files);
  assert.not.ok(everything.includes('another client'), "another client's data is not in it");
  assert.not.ok(everything.includes(webhookSecret), 'webhook secret');
  const sealed = (await app.ctx.db.selectFrom('webhooks').select('secret').where('client_id', '=', acme.client.id).executeTakeFirstOrThrow()).secret;
  assert.not.ok(everything.includes(sealed), 'nor its sealed form');
  assert.not.ok(everything.includes(acme.key), 'API key');
  assert.not.ok(everything.includes(acme.channel.publicToken!), "sandbox page's token");
  const hash = (await app.ctx.db.selectFrom('users').select('password_hash').where('email', '=', 'owner@acme.kz').executeTakeFirstOrThrow()).password_hash!;
  assert.not.ok(everything.includes(hash), 'password hash');
  assert.not.ok(everything.includes(acme.apiKey.id) && everything.includes('key_hash'), 'no key hash column');
  assert.not.match(strFromU8(files['data/users.csv']), /password_hash|totp_secret/);
});

test('the link: the same client only, 401 without a key, 409 before it is done, 410 expired after expires_at, and the file goes', async ({ app, clock, acme, other }) => {
  const started = (await acme.api('POST', '/api/v1/exports')).body;
  const url = `/api/v1/requests/${started.id}/download`;
  const early = await download(app, url, acme.key);
  assert.is(early.res.status, 409);
  assert.is(early.json.error.code, 'not_ready');
  await app.ctx.jobs.drain();
  assert.is((await download(app, url, other.key)).res.status, 404, "another client's key");
  assert.is((await other.api('GET', `/api/v1/requests/${started.id}`)).status, 404);
  assert.is((await download(app, url, undefined)).res.status, 401);
  assert.is((await download(app, url, acme.key)).res.status, 200);

  clock.set('2026-05-11T08:00:01.000Z');
  const late = await download(app, url, acme.key);
  assert.is(late.res.status, 410);
  assert.is(late.json.error.code, 'expired');
  await app.ctx.jobs.schedulePeriodic();
  await app.ctx.jobs.drain();
  const files = await app.ctx.db.selectFrom('privacy_requests').select('download_path').where('id', '=', started.id).executeTakeFirstOrThrow();
  assert.is(files.download_path, null, 'the expired file was deleted');
  assert.is((await download(app, url, acme.key)).res.status, 410);
  const audit = await app.ctx.db.selectFrom('audit_log').select('action').where('client_id', '=', acme.client.id).where('action', 'like', 'export.%').execute();
  assert.equal(audit.map((a) => a.action).sort(), ['export.downloaded', 'export.requested']);
});

test("a contact's export: their rows only, as JSON and a readable HTML summary with their files", async ({ app, acme, other }) => {
  await acme.customerSays('<b>Aigerim</b> wants two pizzas', 'aigerim');
  await acme.customerSays('Berik asks about opening hours', 'berik');
  const contacts = (await acme.api('GET', '/api/v1/contacts')).body.data as Array<{ id: string; name: string }>;
  const aigerim = contacts.find((c) => c.name.includes('aigerim')) ?? contacts[contacts.length - 1];
  assert.is((await acme.api('PATCH', `/api/v1/contacts/${aigerim.id}`, { name: 'Aigerim <Sadykova>', phone: '+7 701 555 44 33' })).status, 200);

  const foreign = await apiClient(app, other.key)('POST', `/api/v1/contacts/${aigerim.id}/export`);
  assert.is(foreign.status, 404, "another client's contact");
  assert.is((await app.ctx.db.selectFrom('privacy_requests').select('id').where('client_id', '=', other.client.id).execute()).length, 0);

  const started = await acme.api('POST', `/api/v1/contacts/${aigerim.id}/export`);
  assert.is(started.status, 202);
  assert.is(started.body.kind, 'contact_export');
  await app.ctx.jobs.drain();
  const done = (await acme.api('GET', `/api/v1/requests/${started.body.id}`)).body;
  assert.is(done.status, 'done');
  assert.equal((await acme.api('GET', `/api/v1/requests?contact_id=${aigerim.id}&kind=contact_export`)).body.data.map((r: { id: string }) => r.id), [started.body.id]);
  const files = unzipSync((await download(app, done.download_url, acme.key)).bytes!);
  const data = JSON.parse(strFromU8(files['contact.json']));
  assert.equal(data.tables.messages.map((m: { text: string }) => m.text), ['<b>Aigerim</b> wants two pizzas']);
  assert.is(data.tables.contacts[0].phone, '+77015554433');
  const html = strFromU8(files['summary.html']);
  assert.match(html, /Aigerim &lt;Sadykova&gt;/);
  assert.match(html, /&lt;b&gt;Aigerim&lt;\/b&gt; wants two pizzas/);
  assert.not.match(html, /<b>Aigerim/);
  assert.not.match(html, /opening hours/);
  assert.not.ok(allText(files).includes('opening hours'), "another contact's messages are not in it");
});

test.run();
