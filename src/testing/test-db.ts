import fs from 'node:fs';
import { openDatabase, migrate, type Db } from '../db/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/logger.ts';
import { tempDir } from './test-app.ts';

export interface TestDb {
  db: Db;
  clock: ManualClock;
  dir: string;
  close(): Promise<void>;
}

/** A fresh migrated SQLite file and a ManualClock, without the whole app (for room-level tests). */
export async function openTestDb(): Promise<TestDb> {
  const dir = tempDir('habar-db-');
  const opened = openDatabase(dir);
  await migrate(opened.db);
  return {
    db: opened.db, clock: new ManualClock('2026-01-15T09:00:00.000Z'), dir,
    async close() {
      await opened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const quietLog = silentLogger;
