// The purge of a terminated client (policy 5.2: "Upon account termination, we retain your data for
// 90 days before deletion, unless legal obligations require longer retention"). Driven by the
// registry: every table holding the client's rows is deleted unless it registered `clientPurge`.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { conflict } from '../lib/errors.ts';
import type { JobHandler } from '../jobs/index.ts';
import { recordAudit, SYSTEM_ACTOR, type AuditBy } from '../audit/index.ts';
import { pruneHistoryBefore } from '../messaging/index.ts';
import { getClient, type Client } from '../tenants/index.ts';
import { storedSettings } from '../settings/index.ts';
import { PERSONAL_DATA, type PersonalDataTable, type RowsBy } from './registry.ts';

export const PURGE_AFTER_DAYS_SETTING = 'privacy.purge_after_days';
export const DEFAULT_PURGE_AFTER_DAYS = 90;
export const PURGE_KIND = 'privacy.purge_terminated';
export const PURGE_EVERY_MS = 24 * 3600_000;
const DAY_MS = 24 * 3600_000;
/** Beyond every timestamp: the history prune takes all of the client's messages. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

export interface PurgeLine {
  table: string;
  rows: number;
  /** delete: the rows go; strip: they stay with these columns cleared; keep: they stay (why says why). */
  action: 'delete' | 'strip' | 'keep';
  columns?: string[];
  why?: string;
}

/** The dry run: what a purge of the client deletes, strips and keeps, and when it is due. */
export interface PurgePlan {
  clientId: string;
  status: Client['status'];
  terminatedAt: string | null;
  purgedAt: string | null;
  /** terminated_at + the configured days; null while the client is active. */
  dueAt: string | null;
  afterDays: number;
  tables: PurgeLine[];
  files: { attachments: number; attachmentBytes: number; exports: number };
}

export async function purgeAfterDays(db: Db): Promise<number> {
  const v = (await storedSettings(db, [PURGE_AFTER_DAYS_SETTING], null)).get(PURGE_AFTER_DAYS_SETTING);
  return v ? Number(v) : DEFAULT_PURGE_AFTER_DAYS;
}

const purgedTables = () => PERSONAL_DATA.filter((t) => t.byClient && !t.derivedFrom);

function whereRows(by: RowsBy, id: string) {
  if ('in' in by) return sql`${sql.ref(by.column)} in (select id from ${sql.table(by.in.table)} where ${sql.ref(by.in.key)} = ${id})`;
  return sql`${sql.ref(by.column)} = ${id}`;
}

// Raw SQL in this file: tables and their finding rules come from the registry, which kysely's typed builder cannot take.
async function count(db: Db, t: PersonalDataTable, clientId: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(t.table)} where ${whereRows(t.byClient!, clientId)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

function lineOf(t: PersonalDataTable, rows: number): PurgeLine {
  const p = t.clientPurge;
  if (!p) return { table: t.table, rows, action: 'delete' };
  if (p.do === 'keep') return { table: t.table, rows, action: 'keep', why: p.why };
  return { table: t.table, rows, action: 'strip', columns: Object.keys(p.set), why: p.why };
}

/** What purging the client would do, without doing it (the operator's dry-run report). */
export async function purgePlan(deps: { db: Db }, clientId: string): Promise<PurgePlan> {
  const client = await getClient(deps.db, clientId);
  const afterDays = await purgeAfterDays(deps.db);
  const tables: PurgeLine[] = [];
  for (const t of purgedTables()) tables.push(lineOf(t, await count(deps.db, t, client.id)));
  const att = await deps.db.selectFrom('attachments').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('size').as('bytes')]).where('client_id', '=', client.id).executeTakeFirst();
  const exports = await deps.db.selectFrom('privacy_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('client_id', '=', client.id).where('download_path', 'is not', null).executeTakeFirst();
  return {
    clientId: client.id, status: client.status, terminatedAt: client.terminatedAt, purgedAt: client.purgedAt, afterDays,
    dueAt: client.terminatedAt ? new Date(Date.parse(client.terminatedAt) + afterDays * DAY_MS).toISOString() : null,
    tables, files: { attachments: Number(att?.n ?? 0), attachmentBytes: Number(att?.bytes ?? 0), exports: Number(exports?.n ?? 0) },
  };
}

/**
 * Purges a terminated client: its chat history in batches (messages, files), then in one
 * transaction every other registered table's rows (deleted, or stripped where the registry says),
 * its members' audit labels pseudonymised, the row itself left as a tombstone; then its files
 * (attachments, exports). The audit log records `client.purged` (that it happened, not what).
 * An active client is a 409; a purged one is left as it is.
 */
export async function purgeClient(deps: { db: Db; clock: Clock; dataDir: string }, clientId: string, by: AuditBy = SYSTEM_ACTOR): Promise<void> {
  const { db, clock } = deps;
  const client = await getClient(db, clientId);
  if (client.status !== 'terminated') throw conflict('Only a terminated client is purged', 'not_terminated');
  if (client.purgedAt) return;
  const exportFiles = (await db.selectFrom('privacy_requests').select('download_path').where('client_id', '=', client.id).where('download_path', 'is not', null).execute()).map((r) => r.download_path!);
  await pruneHistoryBefore(db, deps.dataDir, client.id, END_OF_TIME);
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    const members = (await trx.selectFrom('users').select('id').where('client_id', '=', client.id).execute()).map((r) => r.id);
    // A member's audit entries stay, their label pseudonymised (the only change the audit log allows).
    if (members.length) {
      await trx.updateTable('audit_log').set((eb) => ({ actor_label: sql<string>`'erased-member:' || ${eb.ref('actor_id')}` }))
        .where('actor_id', 'in', members).where('actor_label', 'not like', 'erased-member:%').execute();
    }
    // Children before parents: the registry lists the account first and the people last.
    for (const t of [...purgedTables()].reverse()) {
      const p = t.clientPurge;
      if (p?.do === 'keep') continue;
      if (p?.do === 'strip') {
        const set = sql.join(Object.entries(p.set).map(([col, v]) => sql`${sql.ref(col)} = ${v}`));
        await sql`update ${sql.table(t.table)} set ${set} where ${whereRows(t.byClient!, client.id)}`.execute(trx);
        continue;
      }
      await sql`delete from ${sql.table(t.table)} where ${whereRows(t.byClient!, client.id)}`.execute(trx);
    }
    // The tombstone: a slug that names nobody frees the old one; purged_at says it happened.
    await trx.updateTable('clients').set({ slug: `purged-${client.id.slice(-10)}`, purged_at: now, updated_at: now }).where('id', '=', client.id).execute();
    await recordAudit(trx, clock, {
      actor: by, action: 'client.purged', clientId: client.id, targetType: 'client', targetId: client.id, ip: by.ip,
      details: { terminated_at: client.terminatedAt },
    });
  });
  fs.rmSync(path.join(deps.dataDir, 'attachments', client.id), { recursive: true, force: true });
  for (const f of exportFiles) fs.rmSync(path.join(deps.dataDir, f), { force: true });
}

/** Terminated clients whose purge is due (terminated_at + the configured days has passed). */
export async function clientsDueForPurge(db: Db, clock: Clock): Promise<string[]> {
  const cutoff = new Date(clock.now().getTime() - (await purgeAfterDays(db)) * DAY_MS).toISOString();
  const rows = await db.selectFrom('clients').select('id').where('status', '=', 'terminated').where('purged_at', 'is', null)
    .where('terminated_at', 'is not', null).where('terminated_at', '<=', cutoff).execute();
  return rows.map((r) => r.id);
}

/** The daily job purging every terminated client whose time has come. */
export function purgeHandler(deps: { db: Db; clock: Clock; log: Logger; config: { dataDir: string } }): JobHandler {
  return {
    kind: PURGE_KIND,
    async run() {
      for (const id of await clientsDueForPurge(deps.db, deps.clock)) {
        await purgeClient({ db: deps.db, clock: deps.clock, dataDir: deps.config.dataDir }, id);
        deps.log.info('privacy', 'terminated client purged', { client_id: id });
      }
    },
  };
}
