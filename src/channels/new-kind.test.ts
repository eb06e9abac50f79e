import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTestApp, buildClient, buildUser, loginAs, postForm, csrfFrom, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';
import { PigeonLoft } from '../testing/pigeon-channel.ts';
import { CHANNEL_DRIVERS, createChannelAccount } from './index.ts';

// Adding a channel kind is its driver plus a line in the registry: nothing in messaging, http or
// the views names a kind. A made-up kind ("pigeon": contacts are ring numbers) registered only in
// this test's registry works end to end through the real app.

const test = suite<{ app: TestApp; loft: PigeonLoft }>('a new channel kind needs only its driver');

test.before.each(async (ctx) => {
  ctx.loft = new PigeonLoft();
  ctx.app = await makeTestApp({ channelDrivers: [...CHANNEL_DRIVERS, ctx.loft.driver] });
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

test('an agent starts a conversation on the new kind with its own address format, the contact answers, the agent replies, and the inbox shows it', async ({ app, loft }) => {
  const client = await buildClient(app);
  const account = await createChannelAccount(app.ctx.db, app.ctx.clock, app.ctx.vault, { clientId: client.id, kind: 'pigeon', name: 'Rooftop loft' }, app.ctx.channels.registry);
  assert.is(account.status, 'connected', 'the driver says how an account starts');
  const agent = await loginAs(app, (await buildUser(app, 'agent', client.id)).email, TEST_PASSWORD);
  const inbox = `/clients/${client.slug}/inbox`;

  const form = await (await app.request(`${inbox}/new`, { jar: agent })).text();
  assert.match(form, 'Rooftop loft (pigeon)', 'the kind can start conversations, so the form offers it');
  const csrf = csrfFrom(form);
  const bad = await postForm(app, agent, `${inbox}/new`, { channel: account.id, to: 'not a ring', text: 'Coo?' }, csrf);
  assert.is(bad.status, 422);
  assert.match(await bad.text(), 'Enter a ring number such as P-1234', 'the driver reads the address and names the field');
  assert.is((await app.ctx.db.selectFrom('messages').select('id').execute()).length, 0, 'nothing stored for a bad address');

  const started = await postForm(app, agent, `${inbox}/new`, { channel: account.id, to: 'p1234', text: 'Your parcel is ready' }, csrf);
  assert.is(started.status, 303);
  const thread = started.headers.get('location')!;
  await app.ctx.jobs.drain();
  assert.equal(loft.sent.map((m) => [m.to, m.text]), [[[{ kind: 'username', value: 'P-1234' }], 'Your parcel is ready']]);

  const answer = await loft.deliver(account.id, 'P-1234', 'Coo! I will pick it up at noon', 'in-1');
  assert.is(thread.endsWith(answer.conversationId), true, 'the answer lands in the same conversation');
  const page = await (await app.request(thread, { jar: agent })).text();
  assert.match(page, 'Coo! I will pick it up at noon');
  assert.match(page, 'Rooftop loft (pigeon)');
  const replied = await app.request(`${thread}/reply`, { method: 'POST', jar: agent, body: new URLSearchParams({ _csrf: csrfFrom(page), text: 'See you at noon' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(replied.status, 303);
  await app.ctx.jobs.drain();
  assert.equal(loft.sent.map((m) => m.text), ['Your parcel is ready', 'See you at noon']);
  const sent = await app.ctx.db.selectFrom('messages').select(['status', 'platform_message_id']).where('direction', '=', 'out').orderBy('id').execute();
  assert.equal(sent, [{ status: 'sent', platform_message_id: 'pg-1' }, { status: 'sent', platform_message_id: 'pg-2' }]);

  const list = await (await app.request(inbox, { jar: agent })).text();
  assert.match(list, 'Pigeon P-1234', 'the contact, named as the driver suggested');
  assert.match(list, 'See you at noon');
});

test('a kind the registry does not know cannot be created', async ({ app }) => {
  const client = await buildClient(app);
  try {
    await createChannelAccount(app.ctx.db, app.ctx.clock, app.ctx.vault, { clientId: client.id, kind: 'smoke-signal', name: 'Hill' }, app.ctx.channels.registry);
    assert.unreachable();
  } catch (err) {
    assert.equal([(err as { status?: number }).status, (err as { field?: string }).field], [400, 'kind']);
    assert.match((err as Error).message, 'pigeon');
  }
});

test.run();
