import { suite } from 'uvu';
import { olderSchemaFile } from '../testing/older-schema.ts';
import { searchIndexBytes } from '../testing/search-index-bytes.ts';
import * as assert from 'uvu/assert';
import { sql } from 'kysely';
import { migrate } from '../db/index.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { customerSays, quietSandbox } from '../testing/messaging-fixtures.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { listInbox } from './inbox-queries.ts';
import { indexPendingMessages } from './search-index.ts';

// New messages reach the full-text index in bulk after their commit (migration 0008); search must
// still find exactly what is stored, at once, and erasure must still leave nothing in the index.

interface Ctx { app: TestApp; ch: ChannelAccount }
const test = suite<Ctx>('deferred search indexing');

test.before.each(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.ch = await quietSandbox(ctx.app);
});
test.after.each(async (ctx) => {
  await ctx.app.cleanup();
});

const says = (ctx: Ctx, customer: string, text: string) => customerSays(ctx.app, ctx.ch.id, customer, text);

async function found(ctx: Ctx, search: string): Promise<string[]> {
  return (await listInbox(ctx.app.ctx.db, { clientId: ctx.ch.clientId, search, limit: 200 })).data.map((r) => r.conversation.id);
}

const pending = (ctx: Ctx) => (ctx.app.ctx.sqlite.prepare('select count(*) as n from messages_fts_pending').get() as { n: number }).n;
const rowidOf = (ctx: Ctx, messageId: string) => (ctx.app.ctx.sqlite.prepare('select rowid as r from messages where id = ?').get(messageId) as { r: number }).r;
/** Throws when the index differs from the messages it indexes (FTS5 checks every row's trigrams). */
const integrityCheck = (ctx: Ctx) => sql`insert into messages_fts(messages_fts, rank) values('integrity-check', 1)`.execute(ctx.app.ctx.db);

const indexBytes = (ctx: Ctx) => searchIndexBytes(ctx.app.ctx.sqlite);

test('a message just received is found by search at once, before any indexing job ran', async (ctx) => {
  const q = await says(ctx, 'now-1', 'Когда привезёте ⰰⰱⰲ заказ?');
  assert.is(pending(ctx), 1, 'storing the message did not index it');
  assert.not.ok(indexBytes(ctx).includes(Buffer.from('ⰱⰲ')));
  assert.equal(await found(ctx, 'привезёте'), [q.conversationId]);
  assert.is(pending(ctx), 0, 'the search indexed it first');
  await integrityCheck(ctx);
});

test('indexing works off the pending messages in bounded batches and leaves the index equal to the messages', async (ctx) => {
  for (let i = 0; i < 5; i++) await says(ctx, `batch-${i}`, `сообщение номер ${i}`);
  assert.is(pending(ctx), 5);
  assert.is(await indexPendingMessages(ctx.app.ctx.db, 2), 2);
  assert.is(await indexPendingMessages(ctx.app.ctx.db, 2), 2);
  assert.is(await indexPendingMessages(ctx.app.ctx.db, 2), 1);
  assert.is(await indexPendingMessages(ctx.app.ctx.db, 2), 0);
  assert.is(pending(ctx), 0);
  await integrityCheck(ctx);
  assert.is((await found(ctx, 'сообщение номер')).length, 5);
});

test('the periodic job indexes what arrived since its last run', async (ctx) => {
  const { jobs } = ctx.app.ctx;
  await jobs.schedulePeriodic();
  for (let i = 0; i < 3; i++) await says(ctx, `job-${i}`, `вопрос про оплату ${i}`);
  assert.is(pending(ctx), 3);
  await jobs.drain();
  assert.is(pending(ctx), 0);
  await integrityCheck(ctx);
});

test('editing the text of a message, pending or already indexed, moves it in search: the old text is gone, the new found', async (ctx) => {
  const { db } = ctx.app.ctx;
  const early = await says(ctx, 'edit-1', 'старый текст ⰳⰴⰵ');
  await indexPendingMessages(db);
  const late = await says(ctx, 'edit-2', 'черновик ⰶⰷⰸ');
  assert.is(pending(ctx), 1, 'the second message is still pending');
  await db.updateTable('messages').set({ text: 'новый текст ⰹⰺⰻ' }).where('id', '=', early.messageId).execute();
  await db.updateTable('messages').set({ text: 'исправлено ⰼⰽⰾ' }).where('id', '=', late.messageId).execute();
  assert.not.ok(indexBytes(ctx).includes(Buffer.from('ⰴⰵ')), 'the indexed message’s old text left the index at once');
  assert.equal(await found(ctx, 'ⰳⰴⰵ'), []);
  assert.equal(await found(ctx, 'ⰶⰷⰸ'), []);
  assert.equal(await found(ctx, 'новый текст'), [early.conversationId]);
  assert.equal(await found(ctx, 'ⰼⰽⰾ'), [late.conversationId]);
  await integrityCheck(ctx);
});

test('deleting a message, pending or already indexed, leaves no trace of it in search or in the index', async (ctx) => {
  const { db } = ctx.app.ctx;
  const indexed = await says(ctx, 'del-1', 'удалить ⰿⱀⱁ');
  await indexPendingMessages(db);
  const fresh = await says(ctx, 'del-2', 'удалить ⱂⱃⱄ');
  assert.ok(indexBytes(ctx).includes(Buffer.from('ⱀⱁ')), 'the indexed message is in the index before');
  await db.deleteFrom('messages').where('id', 'in', [indexed.messageId, fresh.messageId]).execute();
  assert.is(pending(ctx), 0, 'no orphan is left in the pending list');
  assert.not.ok(indexBytes(ctx).includes(Buffer.from('ⱀⱁ')), 'the indexed text left the index at once (secure-delete)');
  assert.not.ok(indexBytes(ctx).includes(Buffer.from('ⱃⱄ')));
  await integrityCheck(ctx);
  assert.equal(await found(ctx, 'удалить'), []);
  await sql`insert into messages_fts(messages_fts) values('optimize')`.execute(db);
  assert.not.ok(indexBytes(ctx).includes(Buffer.from('ⱀⱁ')) || indexBytes(ctx).includes(Buffer.from('ⱃⱄ')), 'nor does an optimize bring any of it back');
});

test('a new message that reuses the row id of a deleted one is found, and the deleted one is not', async (ctx) => {
  const { db } = ctx.app.ctx;
  await says(ctx, 'reuse-1', 'первое сообщение');
  const newest = await says(ctx, 'reuse-2', 'будет удалено ⱅⱆⱇ');
  await indexPendingMessages(db);
  const rowid = rowidOf(ctx, newest.messageId);
  await db.deleteFrom('messages').where('id', '=', newest.messageId).execute();
  const next = await says(ctx, 'reuse-3', 'пришло после ⱈⱉⱊ');
  assert.is(rowidOf(ctx, next.messageId), rowid, 'SQLite gave the new message the deleted newest one’s row id');
  assert.equal(await found(ctx, 'ⱈⱉⱊ'), [next.conversationId]);
  assert.equal(await found(ctx, 'ⱅⱆⱇ'), []);
  await integrityCheck(ctx);
});

test('messages indexed before the upgrade to deferred indexing stay found, and leave the index whole when edited or deleted', async () => {
  const { opened, db, close } = await olderSchemaFile(8, [{ id: 'm1', text: 'Тапсырыс қайда?' }, { id: 'm2', text: 'Жеткізу бағасы' }]);
  try {
    await migrate(opened.db);
    const search = async (q: string) => (await listInbox(opened.db, { clientId: 'c1', search: q })).data.length;
    assert.is(await search('ТАПСЫРЫС'), 1);
    await db.updateTable('messages').set({ text: 'Тапсырыс келді' }).where('id', '=', 'm1').execute();
    await db.deleteFrom('messages').where('id', '=', 'm2').execute();
    assert.is(await search('қайда'), 0);
    assert.is(await search('келді'), 1);
    assert.is(await search('бағасы'), 0);
    await sql`insert into messages_fts(messages_fts, rank) values('integrity-check', 1)`.execute(opened.db);
  } finally {
    await close();
  }
});

test.run();
