import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { openDatabase, migrate, type Opened } from '../db/index.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';
import { tempDir } from './test-app.ts';

/**
 * A data file at an older schema (migrations below `beforeVersion`) holding one client, sandbox
 * channel, contact (Жансая, +77014443322) and conversation (ids c1, ch1, p1, v1) and the given
 * messages, as that schema stored them; `db` writes rows as the older schema knows them. Migrate
 * `opened.db` to test an upgrade; `close()` closes and removes the file at the end.
 */
export async function olderSchemaFile(beforeVersion: number, messages: Array<{ id: string; text: string }>): Promise<{ opened: Opened; db: Kysely<any>; close(): Promise<void> }> {
  const dir = tempDir();
  const opened = openDatabase(dir);
  await migrate(opened.db, { migrations: MIGRATIONS.filter((m) => m.version < beforeVersion) });
  const db = opened.db as unknown as Kysely<any>;
  const at = '2026-01-10T08:00:00.000Z';
  await db.insertInto('clients').values({ id: 'c1', slug: 'old', name: 'Old', created_at: at, updated_at: at }).execute();
  await db.insertInto('channel_accounts').values({ id: 'ch1', client_id: 'c1', kind: 'sandbox', name: 'S', created_at: at, updated_at: at }).execute();
  await db.insertInto('contacts').values({ id: 'p1', client_id: 'c1', display_name: 'Жансая', phone: '+77014443322', created_at: at, updated_at: at }).execute();
  await db.insertInto('conversations').values({ id: 'v1', client_id: 'c1', contact_id: 'p1', channel_account_id: 'ch1', last_activity_at: at, created_at: at, updated_at: at }).execute();
  if (messages.length) {
    await db.insertInto('messages').values(messages.map((m) => ({
      id: m.id, client_id: 'c1', contact_id: 'p1', conversation_id: 'v1', channel_account_id: 'ch1', direction: 'in', author_kind: 'contact',
      text: m.text, status: 'delivered', created_at: at, updated_at: at,
    }))).execute();
  }
  return {
    opened, db,
    async close() {
      await opened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
