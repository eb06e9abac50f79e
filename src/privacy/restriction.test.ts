import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDemoAi, closeDemoAi } from '../testing/ai-fixture.ts';
import type { TestApp } from '../testing/test-app.ts';
import type { OpenAiStandIn } from '../testing/openai-stand-in.ts';
import { apiClient, type Api } from '../testing/api-client.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';
import type { ManualClock } from '../lib/clock.ts';
import { postAsCustomer, type ChannelAccount } from '../channels/index.ts';
import { createApiKey } from '../auth/index.ts';
import { setSetting } from '../settings/index.ts';
import { updateAiSettings } from '../ai/index.ts';

// Restriction (policy 7.4) and objection (7.6) through the REST API, and the customer's own STOP
// and START: each is effective at once and recorded in the request register. While restricted,
// the contact's messages are kept and shown but nothing about them leaves: the AI stand-in (a real
// OpenAI-compatible server) gets no request and the webhook receiver hears nothing.

type Ctx = { app: TestApp; stub: OpenAiStandIn; clientId: string; account: ChannelAccount; clock: ManualClock; api: Api; rx: WebhookReceiver };
const test = suite<Ctx>('privacy: restriction and objection');

test.before.each(async (ctx) => {
  Object.assign(ctx, await openDemoAi());
  const { db, vault, clock } = ctx.app.ctx;
  await updateAiSettings(db, vault, clock, ctx.clientId, { enabled: true, provider: 'compatible', baseUrl: ctx.stub.url, locatedInKazakhstan: true, model: 'qwen-local', debounceSeconds: 4, disclosure: null }, { id: null, label: 'test' });
  ctx.stub.always(() => ({ text: 'An answer from the AI' }));
  ctx.api = apiClient(ctx.app, (await createApiKey(db, clock, { clientId: ctx.clientId, label: 'crm' }, { id: null, label: 'test' })).key);
  await setSetting(db, vault, clock, 'webhooks.allow_private_targets', 'true');
  ctx.rx = await new WebhookReceiver().start();
  const hook = await ctx.api('POST', '/api/v1/webhooks', { url: ctx.rx.url, events: ['message.received', 'message.sent', 'conversation.updated'] });
  ctx.rx.secret = hook.body.secret;
});
test.after.each(async (ctx) => {
  await ctx.rx.stop();
  await closeDemoAi(ctx);
});

/** The customer writes, the quiet period passes and every job (AI call, webhook deliveries) runs. */
const says = async (ctx: Ctx, text: string) => {
  await postAsCustomer(ctx.app.ctx, ctx.account, { text, customer: 'aigerim' });
  await ctx.app.ctx.jobs.drain();
  ctx.clock.advance(10_000);
  await ctx.app.ctx.jobs.drain();
};
const heard = (ctx: Ctx) => ctx.rx.requests.map((r) => r.json.event);

test('a restricted contact’s messages are kept and shown, but the AI stand-in stays silent and the webhook receiver hears nothing; lifting it resumes both', async (ctx) => {
  const { api } = ctx;
  await says(ctx, 'Hello, do you deliver?');
  assert.is(ctx.stub.chatRequests.length, 1, 'control: the AI answers an unrestricted contact');
  assert.ok(heard(ctx).includes('message.received'), 'control: the receiver hears of the message');
  const contact = (await api('GET', '/api/v1/contacts')).body.data[0];

  const restricted = await api('POST', `/api/v1/contacts/${contact.id}/restrict`);
  assert.is(restricted.status, 202);
  assert.equal([restricted.body.kind, restricted.body.status, restricted.body.progress], ['restriction', 'done', 100]);
  assert.match(restricted.body.due_date, /^\d{4}-\d{2}-\d{2}$/);
  assert.is((await api('GET', `/api/v1/contacts/${contact.id}`)).body.restricted, true);
  const calls = ctx.stub.chatRequests.length;
  const deliveries = ctx.rx.requests.length;

  await says(ctx, 'Second question while restricted');
  assert.is(ctx.stub.chatRequests.length, calls, 'no AI call for a restricted contact');
  assert.is(ctx.rx.requests.length, deliveries, 'no webhook about a restricted contact');
  const [conv] = (await api('GET', `/api/v1/conversations?contact_id=${contact.id}`)).body.data;
  const texts = (await api('GET', `/api/v1/conversations/${conv.id}/messages`)).body.data.map((m: { text: string }) => m.text);
  assert.ok(texts.includes('Second question while restricted'), 'the message is kept and shown');

  assert.is((await api('DELETE', `/api/v1/contacts/${contact.id}/restrict`)).status, 204);
  assert.is((await api('GET', `/api/v1/contacts/${contact.id}`)).body.restricted, false);
  await says(ctx, 'Third question, restriction lifted');
  assert.is(ctx.stub.chatRequests.length, calls + 1, 'the AI answers again');
  assert.ok(ctx.rx.requests.length > deliveries, 'webhooks resume');

  // A delivery queued before the restriction, still waiting to be sent, is not sent after it.
  await postAsCustomer(ctx.app.ctx, ctx.account, { text: 'Written just before the restriction', customer: 'aigerim' });
  await api('POST', `/api/v1/contacts/${contact.id}/restrict`);
  const waiting = ctx.rx.requests.length;
  await ctx.app.ctx.jobs.drain();
  assert.is(ctx.rx.requests.length, waiting, 'the queued delivery stays unsent');
  await api('DELETE', `/api/v1/contacts/${contact.id}/restrict`);
  const kinds = (await api('GET', `/api/v1/requests?contact_id=${contact.id}`)).body.data.map((r: { kind: string }) => r.kind);
  assert.equal(kinds, ['restriction_lifted', 'restriction', 'restriction_lifted', 'restriction']);
});

test('the customer’s STOP is recorded as an objection and START as its lifting, with the contact as requester; the API records and lifts one too', async (ctx) => {
  const { api, app } = ctx;
  await says(ctx, 'STOP');
  const contact = (await api('GET', '/api/v1/contacts')).body.data[0];
  assert.is(contact.objected, true);
  await says(ctx, 'START');
  const own = await app.ctx.db.selectFrom('privacy_requests').select(['kind', 'requester_kind', 'requester_id', 'status']).where('contact_id', '=', contact.id).orderBy('id').execute();
  assert.equal(own, [
    { kind: 'objection', requester_kind: 'contact', requester_id: contact.id, status: 'done' },
    { kind: 'objection_lifted', requester_kind: 'contact', requester_id: contact.id, status: 'done' },
  ]);

  const objected = await api('POST', `/api/v1/contacts/${contact.id}/object`);
  assert.equal([objected.status, objected.body.kind, objected.body.status], [202, 'objection', 'done']);
  const calls = ctx.stub.chatRequests.length;
  await says(ctx, 'Are you open on Sunday?');
  assert.is(ctx.stub.chatRequests.length, calls, 'no AI reply to an objecting contact');
  assert.is((await api('DELETE', `/api/v1/contacts/${contact.id}/object`)).status, 204);
  assert.is((await api('GET', `/api/v1/contacts/${contact.id}`)).body.objected, false);
  const listed = (await api('GET', `/api/v1/requests?contact_id=${contact.id}&kind=objection`)).body.data;
  assert.is(listed.length, 2, 'the customer’s STOP and the API’s objection');

  // Every privacy action is audited with the subject by internal id and the request, never by name.
  const audit = await app.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'privacy_request.recorded').execute();
  assert.is(audit.length, 4);
  for (const a of audit) {
    assert.is(a.target_id, contact.id);
    assert.match(a.details, /"request_id":"[0-9a-z]{26}"/);
    assert.not.match(JSON.stringify(a), /aigerim/i, 'no name or number in the audit log');
  }
});

test.run();
