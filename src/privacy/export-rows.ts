// Reading a registered table's rows of one client or one contact, page by page, without secrets:
// the export's source. What counts as a client's or a contact's rows is the registry's (RowsBy).
import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/index.ts';
import { SEALED_COLUMNS } from '../db/index.ts';
import { csvCell } from '../lib/csv.ts';
import type { PersonalDataTable, RowsBy } from './registry.ts';

export type Row = Record<string, unknown>;
const PAGE = 1000;

/** The tables an export of a client (or of a contact) holds: registered, not derived, with a way to find the rows. */
export function exportedTables(tables: readonly PersonalDataTable[], of: 'client' | 'contact'): PersonalDataTable[] {
  return tables.filter((t) => !t.derivedFrom && (of === 'client' ? t.byClient : t.byContact));
}

/** Columns an export never shows: the registry's `omit` and every sealed column (belt and braces). */
export function omittedColumns(t: PersonalDataTable): Set<string> {
  return new Set([...(t.omit ?? []), ...SEALED_COLUMNS.filter((s) => s.table === t.table && !s.flag).map((s) => s.column)]);
}

/** The table's columns in order, without the omitted ones (from the live schema). */
export async function exportedColumns(db: Db, t: PersonalDataTable): Promise<Array<{ name: string; type: string }>> {
  const omit = omittedColumns(t);
  const r = await sql<{ name: string; type: string }>`select name, type from pragma_table_info(${t.table})`.execute(db);
  return r.rows.filter((c) => !omit.has(c.name));
}

function whereRows(by: RowsBy, id: string) {
  const col = sql.ref(by.column);
  if ('in' in by) return sql`${col} in (select id from ${sql.table(by.in.table)} where ${sql.ref(by.in.key)} = ${id})`;
  return sql`${col} = ${id}`;
}

function secretFilter(t: PersonalDataTable) {
  return t.secretRowsWhere ? sql`and ${sql.ref(t.secretRowsWhere.column)} is not ${t.secretRowsWhere.value}` : sql``;
}

/** How many of the table's rows an export holds. */
export async function countRows(db: Db, t: PersonalDataTable, by: RowsBy, id: string): Promise<number> {
  // Raw SQL: the table and its finding rule come from the registry, which kysely's typed builder cannot take.
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(t.table)} where ${whereRows(by, id)} ${secretFilter(t)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Whether a table was made WITHOUT ROWID (it is then paged by its primary key instead). */
async function withoutRowid(db: Db, table: string): Promise<boolean> {
  const r = await sql<{ sql: string | null }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return /without\s+rowid/i.test(r.rows[0]?.sql ?? '');
}

/**
 * The table's rows of the client or contact, page by page, the omitted columns left out: by rowid,
 * or for a WITHOUT ROWID table (e.g. usage_daily) in primary-key order with an offset.
 */
export async function* readRows(db: Db, t: PersonalDataTable, by: RowsBy, id: string, columns: Array<{ name: string }>): AsyncGenerator<Row[]> {
  const cols = sql.join(columns.map((c) => sql.ref(c.name)));
  if (await withoutRowid(db, t.table)) {
    const pk = (await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${t.table}) where pk > 0 order by pk`.execute(db)).rows.map((c) => sql.ref(c.name));
    for (let offset = 0; ; offset += PAGE) {
      const r = await sql<Row>`select ${cols} from ${sql.table(t.table)} where ${whereRows(by, id)} ${secretFilter(t)}
        order by ${sql.join(pk)} limit ${PAGE} offset ${offset}`.execute(db as Kysely<unknown>);
      if (r.rows.length) yield r.rows;
      if (r.rows.length < PAGE) return;
    }
  }
  let after = -1;
  for (;;) {
    const r = await sql<Row & { __rowid: number }>`select rowid as __rowid, ${cols} from ${sql.table(t.table)}
      where ${whereRows(by, id)} ${secretFilter(t)} and rowid > ${after} order by rowid limit ${PAGE}`.execute(db as Kysely<unknown>);
    if (!r.rows.length) return;
    after = r.rows[r.rows.length - 1].__rowid;
    yield r.rows.map(({ __rowid: _, ...row }) => row);
    if (r.rows.length < PAGE) return;
  }
}

/** One CSV record with its CRLF (the export's tables are written row by row). */
export const csvLine = (values: unknown[]) => `${values.map(csvCell).join(',')}\r\n`;
