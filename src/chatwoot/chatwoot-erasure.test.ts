import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chatwootWorld, endWorld, type ChatwootWorld } from '../testing/chatwoot-fixture.ts';
import { customerSays } from '../testing/messaging-fixtures.ts';
import { listLinks, queueChatwootContactErasure } from './index.ts';

const test = suite<{ w: ChatwootWorld }>('chatwoot and the person’s rights: export and erasure');

test.before.each(async (ctx) => {
  ctx.w = await chatwootWorld();
});
test.after.each(async (ctx) => {
  await endWorld(ctx.w);
});

test('a person’s id map rows are listed (for the export); erasing them deletes their Chatwoot contact (through a job, retried while Chatwoot is down)', async ({ w }) => {
  const alice = await customerSays(w.app, w.ch.id, 'alice', 'Hello');
  const bob = await customerSays(w.app, w.ch.id, 'bob', 'Hi');
  await w.run();
  const aliceLinks = await listLinks(w.app.ctx.db, w.ch.clientId, alice.contactId);
  assert.equal(aliceLinks.map((l) => l.kind).sort(), ['contact', 'conversation', 'message']);
  const remoteAlice = aliceLinks.find((l) => l.kind === 'contact')!.remote_id;

  w.cw.mode = 'down';
  const queued = await w.app.ctx.db.transaction().execute((trx) => queueChatwootContactErasure(trx, w.app.ctx.clock, w.ch.clientId, alice.contactId));
  assert.ok(queued);
  assert.equal(await listLinks(w.app.ctx.db, w.ch.clientId, alice.contactId), [], 'no row about her is left here');
  await w.run();
  assert.equal(w.cw.deletedContacts, []);
  w.cw.mode = 'ok';
  w.clock.advance(10 * 60_000);
  await w.run();
  assert.equal(w.cw.deletedContacts, [remoteAlice]);
  assert.ok(!w.cw.conversations.some((c) => c.contact_id === remoteAlice), 'her conversation went with her');
  assert.is(w.cw.contacts.length, 1, 'Bob stays');
  assert.is((await listLinks(w.app.ctx.db, w.ch.clientId, bob.contactId)).length, 3);
  // A person never mirrored: nothing to delete there.
  const carol = await customerSays(w.app, w.ch.id, 'carol', 'Hey');
  assert.not.ok(await w.app.ctx.db.transaction().execute((trx) => queueChatwootContactErasure(trx, w.app.ctx.clock, w.ch.clientId, carol.contactId)));
});

test.run();
