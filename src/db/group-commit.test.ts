import { suite } from 'uvu';
import { sql } from 'kysely';
import * as assert from 'uvu/assert';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { GroupCommit } from './group-commit.ts';
import type { Db } from './connection.ts';

const test = suite<{ t: TestDb }>('group commit');

test.before.each(async (ctx) => {
  ctx.t = await openTestDb();
});
test.after.each(async (ctx) => {
  await ctx.t.close();
});

const addClient = (slug: string) => async (trx: Db) => {
  const now = new Date().toISOString();
  await trx.insertInto('clients').values({ id: slug, slug, name: slug, created_at: now, updated_at: now } as never).execute();
  return slug;
};
const slugs = async (db: Db) => (await db.selectFrom('clients').select('slug').orderBy('slug').execute()).map((r) => r.slug);

test('units arriving together are all stored, each caller getting its own result', async ({ t }) => {
  const g = new GroupCommit(t.db);
  const before = await slugs(t.db);
  const results = await Promise.all(['a1', 'a2', 'a3'].map((s) => g.run(addClient(s))));
  assert.equal(results, ['a1', 'a2', 'a3']);
  assert.equal((await slugs(t.db)).filter((s) => !before.includes(s)), ['a1', 'a2', 'a3']);
});

test('a unit that fails is rolled back alone: the others in its group are stored', async ({ t }) => {
  const g = new GroupCommit(t.db);
  const outcomes = await Promise.allSettled([
    g.run(addClient('b1')),
    g.run(async (trx) => {
      await addClient('b2')(trx); // written, then undone with its unit
      throw new Error('refused');
    }),
    g.run(addClient('b3')),
    g.run(addClient('b1')), // a unique conflict with the first unit of the group
  ]);
  assert.equal(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected']);
  assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /refused/);
  const stored = await slugs(t.db);
  assert.ok(stored.includes('b1') && stored.includes('b3'));
  assert.not.ok(stored.includes('b2'), 'the failed unit left nothing');
});

test('a unit sees the writes of the units before it in its group, as if run one after another', async ({ t }) => {
  const g = new GroupCommit(t.db);
  const [, seen] = await Promise.all([
    g.run(addClient('c1')),
    g.run(async (trx) => (await trx.selectFrom('clients').select('slug').where('slug', '=', 'c1').executeTakeFirst())?.slug),
  ]);
  assert.is(seen, 'c1');
});

test('a lone unit that fails gets its own error and nothing is stored', async ({ t }) => {
  const g = new GroupCommit(t.db);
  const before = await slugs(t.db);
  await g.run(async (trx) => {
    await addClient('d1')(trx);
    throw new Error('no');
  }).then(() => assert.unreachable('resolved'), (err: Error) => assert.is(err.message, 'no'));
  assert.equal(await slugs(t.db), before);
});

test('if SQLite ends the transaction during a unit, the units after it do not write outside it', async ({ t }) => {
  const g = new GroupCommit(t.db);
  const outcomes = await Promise.allSettled([
    g.run(async (trx) => {
      await addClient('e1')(trx);
      await sql`rollback`.execute(trx); // as SQLite does by itself on a full disk, the error caught
    }),
    g.run(addClient('e2')),
  ]);
  assert.equal(outcomes.map((o) => o.status), ['rejected', 'fulfilled'], 'the second unit is stored once, not twice');
  const stored = await slugs(t.db);
  assert.ok(stored.includes('e2'));
  assert.not.ok(stored.includes('e1'));
});

test.run();
