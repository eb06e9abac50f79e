import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eraseContact, eraseDepsOf } from '../privacy/index.ts';
import { chatwootWorld, endWorld, type ChatwootWorld } from '../testing/chatwoot-fixture.ts';
import { customerSays } from '../testing/messaging-fixtures.ts';
import { listLinks } from './index.ts';

const test = suite<{ w: ChatwootWorld }>('chatwoot and the privacy room’s erasure');

test.before.each(async (ctx) => {
  ctx.w = await chatwootWorld();
});
test.after.each(async (ctx) => {
  await endWorld(ctx.w);
});

test('erasing a person in Habar deletes their Chatwoot contact and their id map rows', async ({ w }) => {
  const alice = await customerSays(w.app, w.ch.id, 'alice', 'Hello');
  await customerSays(w.app, w.ch.id, 'bob', 'Hi');
  await w.run();
  const remote = (await listLinks(w.app.ctx.db, w.ch.clientId, alice.contactId)).find((l) => l.kind === 'contact')!.remote_id;
  await eraseContact(eraseDepsOf(w.app.ctx), w.ch.clientId, alice.contactId, { requester: { kind: 'operator', id: null }, audit: { id: null, label: 'test' } });
  await w.run();
  assert.equal(w.cw.deletedContacts, [remote]);
  assert.equal(await listLinks(w.app.ctx.db, w.ch.clientId, alice.contactId), []);
  assert.is(w.cw.contacts.length, 1, 'Bob stays');
});

test.run();
