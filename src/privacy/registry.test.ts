import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'kysely';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { registryGaps } from './index.ts';

// The one registry of personal data is complete: every table of the live schema (after all
// migrations) is in it, or declared free of personal data; a new table with client_id or contact_id
// that nobody registered fails here.
const test = suite<{ t: TestDb }>('personal-data registry');

test.before.each(async (ctx) => {
  ctx.t = await openTestDb();
});
test.after.each(async (ctx) => {
  await ctx.t.close();
});

test('every table of the migrated schema is covered by the personal-data registry, and every column it names exists', async ({ t }) => {
  assert.equal(await registryGaps(t.db), []);
});

test('a migration that adds a table with contact_id or client_id and no registry entry is caught', async ({ t }) => {
  await sql`CREATE TABLE loyalty_points (id text primary key, client_id text not null, contact_id text, points integer)`.execute(t.db);
  await sql`CREATE TABLE shipping_labels (id text primary key, client_id text not null, address text)`.execute(t.db);
  await sql`CREATE TABLE feature_flags (name text primary key)`.execute(t.db);
  const gaps = await registryGaps(t.db);
  assert.ok(gaps.some((g) => g.startsWith('loyalty_points: has contact_id')), gaps.join('\n'));
  assert.ok(gaps.some((g) => g.startsWith('shipping_labels: has client_id')), gaps.join('\n'));
  assert.ok(gaps.some((g) => g.startsWith('feature_flags: neither')), gaps.join('\n'));
});

test.run();
