import { sql, type Kysely } from 'kysely';
import { AppError } from '../lib/errors.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export const SCHEMA_TABLE = 'schema_migrations';

export const latestVersion = (migrations: Migration[] = MIGRATIONS) =>
  migrations.reduce((m, x) => Math.max(m, x.version), 0);

/** The schema version recorded in the data file (0 for an empty file). */
export async function currentVersion(db: Kysely<any>): Promise<number> {
  const exists = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${SCHEMA_TABLE}`.execute(db);
  if (!exists.rows[0]?.n) return 0;
  const row = await db.selectFrom(SCHEMA_TABLE).select(sql<number>`max(version)`.as('v')).executeTakeFirst();
  return Number(row?.v ?? 0);
}

export interface MigrateOptions {
  migrations?: Migration[];
  /** Called once before the first pending migration runs on a non-empty file (the automatic backup). */
  beforeMigrating?: (from: number, to: number) => Promise<void>;
  now?: () => string;
}

/**
 * Runs pending migrations, each in its own transaction with its version row, so a crash leaves
 * the file at a whole version. Refuses a file whose schema is newer than this binary knows.
 */
export async function migrate(db: Kysely<any>, opts: MigrateOptions = {}): Promise<{ from: number; to: number }> {
  const migrations = [...(opts.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  const known = latestVersion(migrations);
  const from = await currentVersion(db);
  if (from > known) {
    throw new AppError(
      'schema_too_new',
      `The data file has schema version ${from}, but this Habar knows only up to ${known}. Run a newer Habar, or restore a backup made by this version.`,
      500,
    );
  }
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from };
  if (from > 0 && opts.beforeMigrating) await opts.beforeMigrating(from, known);
  await db.schema
    .createTable(SCHEMA_TABLE)
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  for (const m of pending) {
    await db.transaction().execute(async (trx) => {
      await m.up(trx);
      await trx.insertInto(SCHEMA_TABLE).values({ version: m.version, name: m.name, applied_at: opts.now?.() ?? new Date().toISOString() }).execute();
    });
  }
  return { from, to: known };
}
