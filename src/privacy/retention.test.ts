import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { buildApiTenant, type ApiTenant } from '../testing/api-client.ts';
import { ManualClock } from '../lib/clock.ts';

// Policy 5.2: a client may keep its chat history only N days. The daily job deletes exactly what is
// older than that (messages, their files, conversations left empty), nothing newer, nothing of
// another client, and keeps the contacts.

const DAY = 24 * 3600_000;
const T0 = '2026-03-01T10:00:00.000Z';

interface Ctx { app: TestApp; clock: ManualClock; acme: ApiTenant; other: ApiTenant }
const test = suite<Ctx>('chat-history retention: the daily job with a moved clock');

test.before.each(async (ctx) => {
  ctx.clock = new ManualClock(T0);
  ctx.app = await makeTestApp({ clock: ctx.clock, seed: false });
  ctx.acme = await buildApiTenant(ctx.app, 'acme');
  ctx.other = await buildApiTenant(ctx.app, 'other');
  await ctx.app.ctx.jobs.schedulePeriodic();
  await ctx.app.ctx.jobs.drain();
});
test.after.each(async (ctx) => { await ctx.app.cleanup(); });

const texts = async (app: TestApp, clientId: string) =>
  (await app.ctx.db.selectFrom('messages').select('text').where('client_id', '=', clientId).orderBy('created_at').execute()).map((r) => r.text);

test('30 days: messages older than 30 days go with their files and emptied conversations; newer ones, contacts and other clients stay', async ({ app, clock, acme, other }) => {
  // Day 0: Aigerim writes and gets an answer with a file; Berik writes once.
  await acme.customerSays('day 0 from aigerim', 'aigerim');
  const conv = (await acme.api('GET', '/api/v1/conversations')).body.data[0];
  const form = new FormData();
  form.set('file', new File([new Uint8Array(2048).fill(7)], 'price-list.pdf', { type: 'application/pdf' }));
  const upload = await app.request('/api/v1/attachments', { method: 'POST', headers: { authorization: `Bearer ${acme.key}` }, body: form });
  assert.is(upload.status, 201);
  const attachmentId = ((await upload.json()) as { id: string }).id;
  assert.is((await acme.api('POST', `/api/v1/conversations/${conv.id}/messages`, { text: 'day 0 answer with file', attachment_ids: [attachmentId] })).status, 201);
  await acme.customerSays('day 0 from berik', 'berik');
  await other.customerSays('day 0 at another client', 'dana');
  const file = path.join(app.dir, 'attachments', (await app.ctx.db.selectFrom('attachments').select('path').where('id', '=', attachmentId).executeTakeFirstOrThrow()).path);
  assert.ok(fs.existsSync(file));

  // Just before and just after the line that day 35 draws (day 5).
  clock.set(new Date(Date.parse(T0) + 5 * DAY - 60_000));
  await acme.customerSays('day 5 minus a minute', 'aigerim');
  clock.set(new Date(Date.parse(T0) + 5 * DAY + 60_000));
  await acme.customerSays('day 5 plus a minute', 'aigerim');
  clock.set(new Date(Date.parse(T0) + 20 * DAY));
  await acme.customerSays('day 20', 'aigerim');

  assert.is((await acme.api('PUT', '/api/v1/settings/privacy', { retention_days: 30 })).status, 200);
  clock.set(new Date(Date.parse(T0) + 35 * DAY));
  await app.ctx.jobs.drain();

  assert.equal(await texts(app, acme.client.id), ['day 5 plus a minute', 'day 20']);
  assert.equal(await texts(app, other.client.id), ['day 0 at another client'], 'another client without the rule keeps everything');
  assert.not.ok(fs.existsSync(file), 'the file attached to a deleted message is gone from disk');
  assert.is((await app.ctx.db.selectFrom('attachments').select('id').where('client_id', '=', acme.client.id).execute()).length, 0);
  const conversations = (await acme.api('GET', '/api/v1/conversations')).body.data;
  assert.is(conversations.length, 1, "Berik's conversation had nothing newer: it went");
  const contacts = await app.ctx.db.selectFrom('contacts').select('display_name').where('client_id', '=', acme.client.id).execute();
  assert.is(contacts.length, 2, 'contacts stay');
  const audit = await app.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'chat_history.retention_applied').execute();
  assert.is(audit.length, 1);
  assert.is(audit[0].client_id, acme.client.id);
  assert.equal(JSON.parse(audit[0].details), { days: 30, messages: 4, conversations: 1, attachments: 1, deliveries: 0 });
  assert.not.match(audit[0].details, /aigerim|berik|day 0/);

  // Not before a day has passed does the job run again; then the message that became due goes.
  clock.set(new Date(Date.parse(T0) + 35 * DAY + 12 * 3600_000));
  await app.ctx.jobs.drain();
  assert.equal(await texts(app, acme.client.id), ['day 5 plus a minute', 'day 20']);
  clock.set(new Date(Date.parse(T0) + 36 * DAY));
  await app.ctx.jobs.drain();
  assert.equal(await texts(app, acme.client.id), ['day 20']);
  assert.is((await app.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'chat_history.retention_applied').execute()).length, 2);
});

test('off by default: without the setting nothing is ever deleted', async ({ app, clock, acme }) => {
  await acme.customerSays('kept forever', 'aigerim');
  assert.is((await acme.api('GET', '/api/v1/settings/privacy')).body.retention_days, null);
  clock.set(new Date(Date.parse(T0) + 3650 * DAY));
  await app.ctx.jobs.drain();
  assert.equal(await texts(app, acme.client.id), ['kept forever']);
});

test('a bad number of days is refused by name and changes nothing', async ({ acme }) => {
  const r = await acme.api('PUT', '/api/v1/settings/privacy', { retention_days: 0 });
  assert.is(r.status, 400);
  assert.is(r.body.error.field, 'retention_days');
  assert.is((await acme.api('GET', '/api/v1/settings/privacy')).body.retention_days, null);
});

test.run();
