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
import { inboxSearch } from './inbox-search.ts';
import { updateContact } from './contacts.ts';
import { indexPendingMessages } from './search-index.ts';

// Inbox search over the trigram full-text indexes (migration 0006), as an agent would type it.

interface Ctx { app: TestApp; ch: ChannelAccount; other: ChannelAccount }
const test = suite<Ctx>('inbox search');

test.before(async (ctx) => {
  ctx.app = await makeTestApp({ seed: false });
  ctx.ch = await quietSandbox(ctx.app);
  ctx.other = await quietSandbox(ctx.app);
});
test.after(async (ctx) => {
  await ctx.app.cleanup();
});

/** The ids of the conversations the client's inbox shows for a search. */
async function found(ctx: Ctx, search: string, clientId = ctx.ch.clientId): Promise<string[]> {
  return (await listInbox(ctx.app.ctx.db, { clientId, search, limit: 200 })).data.map((r) => r.conversation.id);
}

async function says(ctx: Ctx, customer: string, text: string, ch = ctx.ch): Promise<{ conversationId: string; contactId: string }> {
  return customerSays(ctx.app, ch.id, customer, text);
}

/**
 * Every byte the full-text indexes hold in their shadow tables (what a copied data file would
 * reveal). FTS5 stores a term after the bytes it shares with the previous one, so a test marker
 * is a trigram of three rare letters with which no other term begins: its last two letters are
 * then always stored whole.
 */
function ftsBytes(ctx: Ctx): Buffer {
  return searchIndexBytes(ctx.app.ctx.sqlite, { contacts: true });
}

test('Russian and Kazakh text is found by any part of a word, whatever its case', async (ctx) => {
  const kk = await says(ctx, 'kk-1', 'Сәлеметсіз бе! Қашан жеткізесіз? Өскемен қаласына');
  const ru = await says(ctx, 'ru-1', 'Здравствуйте, сколько стоит ДОСТАВКА в Алматы?');
  assert.equal(await found(ctx, 'ЖЕТКІЗ'), [kk.conversationId], 'upper case finds lower case, mid-word');
  assert.equal(await found(ctx, 'әлеметсіз'), [kk.conversationId], 'a Kazakh substring without its first letter');
  assert.equal(await found(ctx, 'ӨСКЕМЕН'), [kk.conversationId]);
  assert.equal(await found(ctx, 'доставка в алм'), [ru.conversationId], 'several words as typed, across spaces');
  assert.equal(await found(ctx, 'Доставка в Астану'), [], 'the whole phrase must be there');
});

test('a contact is found by a part of the name or by the digits of the phone, however they are typed', async (ctx) => {
  const a = await says(ctx, 'named-1', 'Добрый день');
  const b = await says(ctx, 'named-2', 'Добрый вечер');
  await updateContact(ctx.app.ctx.db, ctx.app.clock, ctx.ch.clientId, a.contactId, { displayName: 'Әйгерім Нұрланқызы', phone: '+7 701 555 44 33' });
  await updateContact(ctx.app.ctx.db, ctx.app.clock, ctx.ch.clientId, b.contactId, { displayName: 'Бауыржан', phone: '+7 702 111 22 33' });
  assert.equal(await found(ctx, 'нұрлан'), [a.conversationId]);
  assert.equal(await found(ctx, 'ӘЙГЕР'), [a.conversationId]);
  for (const typed of ['5554433', '555 44 33', '(701) 555-44', '+7 701 555']) assert.equal(await found(ctx, typed), [a.conversationId], typed);
  assert.equal(await found(ctx, '22 33'), [b.conversationId], 'digits are matched in the order typed');
  assert.equal(await found(ctx, '99 88 77'), []);
  // An edit moves the contact in the index: the old name and phone are gone.
  await updateContact(ctx.app.ctx.db, ctx.app.clock, ctx.ch.clientId, a.contactId, { displayName: 'Aigerim', phone: null });
  assert.equal(await found(ctx, 'нұрлан'), []);
  assert.equal(await found(ctx, '5554433'), []);
  assert.equal(await found(ctx, 'aiger'), [a.conversationId]);
});

test('quotes and the full-text query syntax in a search are plain characters', async (ctx) => {
  const q = await says(ctx, 'syntax-1', 'Он сказал "привет" и ушёл: NEAR(a b) OR x:y ^z -w * 100% a_b');
  for (const typed of ['"привет"', 'сказал "прив', 'NEAR(a b)', 'OR x:y', 'x:y ^z -w *', '100%', 'a_b', 'ушёл:']) {
    assert.equal(await found(ctx, typed), [q.conversationId], typed);
  }
  for (const typed of ['привет" OR "ушёл', '""', 'axb', '10_%', 'NEAR(a c)', 'x:y -w', '^z*']) {
    assert.equal(await found(ctx, typed), [], `${typed} matches nothing and throws nothing`);
  }
  assert.equal(await found(ctx, 'при\0вет'), [q.conversationId], 'a NUL character is ignored');
});

test('searches of one or two characters still find substrings (without the trigram index)', async (ctx) => {
  const q = await says(ctx, 'short-1', 'Ѯ ok Ѱ');
  assert.equal(await found(ctx, 'ѯ'), [q.conversationId], 'one Cyrillic letter, upper case stored, lower case typed');
  assert.equal(await found(ctx, 'OK'), [q.conversationId]);
  assert.equal(await found(ctx, 'ѱ'), [q.conversationId]);
  assert.equal(await found(ctx, 'zq'), []);
});

test('a client never finds another client’s conversations, contacts or messages', async (ctx) => {
  const mine = await says(ctx, 'tenant-1', 'общий текст про Шымкент');
  const theirs = await says(ctx, 'tenant-1', 'общий текст про Шымкент', ctx.other);
  assert.equal(await found(ctx, 'про шымкент'), [mine.conversationId]);
  assert.equal(await found(ctx, 'про шымкент', ctx.other.clientId), [theirs.conversationId]);
});

test('both search plans (few matches, many matches) give the same conversations in the same order', async (ctx) => {
  const db = ctx.app.ctx.db;
  const ids = [];
  for (let i = 0; i < 6; i++) ids.push((await says(ctx, `plan-${i}`, i % 2 ? `заказ номер ${i}` : `вопрос ${i}`)).conversationId);
  await updateContact(db, ctx.app.clock, ctx.ch.clientId, (await says(ctx, 'plan-6', 'без слова')).contactId, { displayName: 'Заказчик', phone: '+77019998877' });
  await says(ctx, 'plan-x', 'заказ номер 1', ctx.other);
  const page = async (search: string, listMaxHits?: number) => {
    const rows = await db.selectFrom('conversations as cv').innerJoin('contacts as ct', 'ct.id', 'cv.contact_id').select('cv.id')
      .where('cv.client_id', '=', ctx.ch.clientId).where(await inboxSearch(db, ctx.ch.clientId, search, { listMaxHits }))
      .orderBy('cv.last_activity_at', 'desc').orderBy('cv.id', 'desc').execute();
    return rows.map((r) => r.id);
  };
  for (const search of ['заказ', 'ЗАКАЗ НОМЕР', '9998877', 'вопрос 4', 'нет такого']) {
    const few = await page(search);
    assert.equal(await page(search, 1), few, search);
    if (search === 'заказ') assert.is(few.length, 4, 'three conversations by text and one by the contact’s name');
  }
});

test('erasing a contact’s messages, or the contact, removes them from search and from the index’s own tables', async (ctx) => {
  const { db } = ctx.app.ctx;
  // Letters nothing else in this file uses, so their bytes in the index can only be this person's.
  const q = await says(ctx, 'erase-1', 'Заказ ѣѳѩ на завтра');
  await updateContact(db, ctx.app.clock, ctx.ch.clientId, q.contactId, { displayName: 'Ѫѭѯ Ѫѭѯ' });
  const text = Buffer.from('ѳѩ');
  const name = Buffer.from('ѭѯ');
  assert.equal(await found(ctx, 'ѣѳѩ'), [q.conversationId]);
  assert.ok(ftsBytes(ctx).includes(text) && ftsBytes(ctx).includes(name), 'the index holds the text and the name before');

  await db.deleteFrom('messages').where('contact_id', '=', q.contactId).execute();
  assert.equal(await found(ctx, 'ѣѳѩ'), [], 'the text is no longer found');
  assert.not.ok(ftsBytes(ctx).includes(text), 'the text left the index at once (secure-delete), without an optimize');
  assert.equal(await found(ctx, 'ѫѭѯ'), [q.conversationId], 'the contact is still found by name');

  await db.deleteFrom('contacts').where('id', '=', q.contactId).execute();
  assert.equal(await found(ctx, 'ѫѭѯ'), []);
  assert.not.ok(ftsBytes(ctx).includes(name), 'the name left the index at once');
  await sql`insert into messages_fts(messages_fts) values('optimize')`.execute(db);
  await sql`insert into contacts_fts(contacts_fts) values('optimize')`.execute(db);
  assert.not.ok(ftsBytes(ctx).includes(text) || ftsBytes(ctx).includes(name), 'nor is anything of it rewritten by an optimize');
  // The index still agrees with its content tables row for row.
  await sql`insert into messages_fts(messages_fts, rank) values('integrity-check', 1)`.execute(db);
  await sql`insert into contacts_fts(contacts_fts, rank) values('integrity-check', 1)`.execute(db);
});

test('deleting a client (cascading to its contacts and messages) empties its part of the index', async (ctx) => {
  const { db } = ctx.app.ctx;
  const ch = await quietSandbox(ctx.app);
  await says(ctx, 'gone-1', 'Ѹѻѽ прощайте', ch);
  await indexPendingMessages(db); // as the periodic job does soon after a message is stored
  assert.ok(ftsBytes(ctx).includes(Buffer.from('ѻѽ')));
  await db.deleteFrom('clients').where('id', '=', ch.clientId).execute();
  assert.not.ok(ftsBytes(ctx).includes(Buffer.from('ѻѽ')));
  await sql`insert into messages_fts(messages_fts, rank) values('integrity-check', 1)`.execute(db);
});

test('messages and contacts stored before the upgrade that added the index are found after it', async () => {
  const { opened, close } = await olderSchemaFile(6, [{ id: 'm1', text: 'Тапсырыс қайда?' }]);
  try {
    await migrate(opened.db);
    for (const typed of ['ТАПСЫРЫС', 'жансая', '4443322']) {
      assert.equal((await listInbox(opened.db, { clientId: 'c1', search: typed })).data.map((r) => r.conversation.id), ['v1'], typed);
    }
  } finally {
    await close();
  }
});

test.run();
