import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { hashPassword } from '../auth/index.ts';
import { getClient } from '../tenants/index.ts';
import { getSetting } from '../settings/index.ts';
import { generateKey, unlockVault, writeKeyFile } from '../vault/index.ts';
import { loginAs, makeTestApp, tempDirs } from '../testing/test-app.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { currentVersion, latestVersion, migrate, openDatabase, verifyDataFile } from './index.ts';

const test = suite('migrations');
const dirs = tempDirs();
const fresh = dirs.fresh;
test.after(dirs.cleanup);

const NOW = '2026-01-10T08:00:00.000Z';
const PASSWORD = 'an old but good password';
const SMTP_PASSWORD = 'sealed-before-the-upgrade';

test('every migration file is registered in the static index, and every entry has its file', () => {
  const folder = path.join(import.meta.dirname, 'migrations');
  const files = fs.readdirSync(folder).filter((f) => f !== 'index.ts' && /\.ts$/.test(f) && !f.endsWith('.test.ts'));
  for (const f of files) {
    const m = f.match(/^(\d{4})_[a-z0-9_]+\.ts$/);
    assert.ok(m, `${f} is named NNNN_name.ts`);
    const entry = MIGRATIONS.find((x) => x.name === f.replace(/\.ts$/, ''));
    assert.ok(entry, `${f} is registered in migrations/index.ts`);
    assert.is(entry!.version, Number(m![1]), `${f} is registered with version ${Number(m![1])}`);
  }
  assert.is(MIGRATIONS.length, files.length, 'every registry entry has a file');
  assert.is(new Set(MIGRATIONS.map((m) => m.version)).size, MIGRATIONS.length, 'versions are unique');
  // No gaps: the runner applies versions above the file's current one, so a later-filled gap would never run.
  assert.equal([...MIGRATIONS].map((m) => m.version).sort((a, b) => a - b), MIGRATIONS.map((_, i) => i + 1), 'versions run 1..N without gaps');
});

/** A data file at `version` with realistic rows (written with the columns of 0001, which every later schema keeps). */
async function makeOldDataFile(dir: string, version: number): Promise<void> {
  const opened = openDatabase(dir);
  await migrate(opened.db, { migrations: MIGRATIONS.filter((m) => m.version <= version), now: () => NOW });
  writeKeyFile(path.join(dir, 'master.key'), generateKey());
  const { vault } = await unlockVault(opened.db, { file: path.join(dir, 'master.key') }, { create: false, now: NOW });
  // The rows are written as that schema knows them, not through today's typed domain code.
  const db = opened.db as unknown as Kysely<any>;
  await db.insertInto('clients').values({ id: 'c1', slug: 'old-client', name: 'Old Client LLP', contact_email: 'boss@old.kz', phone: '+7 700 111 22 33', invoice_address: 'Astana', contact_persons: '[{"name":"Aigerim"}]', timezone: 'Asia/Almaty', require_totp: 0, status: 'active', created_at: NOW, updated_at: NOW }).execute();
  await db.insertInto('users').values({ id: 'u1', client_id: null, email: 'admin@old.kz', name: 'Old Admin', role: 'admin', password_hash: await hashPassword(PASSWORD), must_change_password: 0, language: 'kk', totp_enabled: 0, disabled: 0, created_at: NOW, updated_at: NOW }).execute();
  await db.insertInto('users').values({ id: 'u2', client_id: 'c1', email: 'owner@old.kz', name: 'Owner', role: 'owner', password_hash: null, must_change_password: 1, language: 'ru', totp_enabled: 0, disabled: 0, created_at: NOW, updated_at: NOW }).execute();
  await db.insertInto('settings').values({ client_id: '', key: 'smtp.password', value: vault.seal(SMTP_PASSWORD, 'settings.value'), sealed: 1, updated_at: NOW }).execute();
  await db.insertInto('audit_log').values({ id: 'a1', at: NOW, actor_id: 'u1', actor_label: 'admin@old.kz', action: 'client.created', client_id: 'c1', target_type: 'client', target_id: 'c1', ip: '10.0.0.1', details: '{}' }).execute();
  await opened.close();
}

const earlier = MIGRATIONS.map((m) => m.version).filter((v) => v < latestVersion());
for (const version of earlier) {
  test(`a data file made at schema ${version} opens with this Habar: migrated after a backup, every row still there`, async () => {
    const dir = fresh();
    await makeOldDataFile(dir, version);
    const app = await makeTestApp({ dir, seed: false });
    try {
      assert.is(await currentVersion(app.ctx.db), latestVersion());
      const backups = fs.readdirSync(path.join(dir, 'backups'));
      assert.is(backups.length, 1);
      assert.match(backups[0], new RegExp(`^habar-\\d{8}T\\d{6}-pre-migration-v${version}\\.db$`));
      assert.is(verifyDataFile(path.join(dir, 'backups', backups[0])).version, version, 'the backup is the file as it was');

      const client = await getClient(app.ctx.db, 'old-client');
      assert.equal([client.name, client.phone, client.contactPersons], ['Old Client LLP', '+7 700 111 22 33', [{ name: 'Aigerim' }]]);
      assert.is(await getSetting(app.ctx.db, app.ctx.vault, 'smtp.password'), SMTP_PASSWORD);
      const jar = await loginAs(app, 'admin@old.kz', PASSWORD);
      assert.is((await app.request('/', { jar })).status, 200, 'the old admin logs in and sees the dashboard');
      const audit = await app.ctx.db.selectFrom('audit_log').select('action').where('id', '=', 'a1').executeTakeFirst();
      assert.equal(audit, { action: 'client.created' });
    } finally {
      await app.close();
    }
  });
}

const future: Migration = {
  version: latestVersion() + 1,
  name: `${String(latestVersion() + 1).padStart(4, '0')}_from_the_future`,
  async up(db) {
    await db.schema.createTable('future_notes').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('client_id', 'text', (c) => c.notNull()).execute();
    await sql`INSERT INTO future_notes (id, client_id) SELECT 'n-' || id, id FROM clients`.execute(db);
  },
};

test('a later migration runs after a backup; then this Habar refuses that newer file with a clear message and leaves it alone', async () => {
  const dir = fresh();
  const first = await makeTestApp({ dir });
  await first.close();
  const opened = openDatabase(dir);
  const calls: [number, number][] = [];
  const r = await migrate(opened.db, { migrations: [...MIGRATIONS, future], beforeMigrating: async (from, to) => void calls.push([from, to]) });
  assert.equal(r, { from: latestVersion(), to: future.version });
  assert.equal(calls, [[latestVersion(), future.version]], 'the backup hook runs once, before the migration');
  const notes = await sql<{ n: number }>`SELECT count(*) AS n FROM future_notes`.execute(opened.db);
  assert.is(notes.rows[0].n, 1, 'the migration saw the existing rows (the demo client)');
  await opened.close();

  const file = path.join(dir, 'habar.db');
  const before = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  let message = '';
  try {
    await makeTestApp({ dir, seed: false });
  } catch (err) {
    message = (err as Error).message;
  }
  assert.match(message, new RegExp(`schema version ${future.version}, but this Habar knows only up to ${latestVersion()}\\. Run a newer Habar`));
  assert.is(createHash('sha256').update(fs.readFileSync(file)).digest('hex'), before);
  assert.not.ok(fs.existsSync(path.join(dir, 'backups')), 'no backup or migration was attempted');
});

test('a migration that fails leaves the file at its last whole version', async () => {
  const dir = fresh();
  const opened = openDatabase(dir);
  await migrate(opened.db);
  const broken: Migration = { ...future, async up(db) { await future.up(db); throw new Error('boom'); } };
  let failed = false;
  try {
    await migrate(opened.db, { migrations: [...MIGRATIONS, broken] });
  } catch {
    failed = true;
  }
  assert.ok(failed);
  assert.is(await currentVersion(opened.db), latestVersion());
  const t = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'future_notes'`.execute(opened.db);
  assert.is(t.rows[0].n, 0, 'its half-made table is rolled back');
  await opened.close();
});

test.run();
