import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { NOT_PERSONAL_DATA, PERSONAL_DATA, type RowsBy } from './registry.ts';

const FTS_SHADOW = /_(data|idx|content|docsize|config)$/;

/**
 * What the live schema has that the registry does not cover, and what the registry names that the
 * schema lacks: a table with client_id or contact_id not registered, a table in neither list, a
 * contact-owned table without a way to find a contact's rows or an erasure rule, a column named
 * by the registry that does not exist. Empty when the registry is complete.
 */
export async function registryGaps(db: Db): Promise<string[]> {
  // Raw SQL: sqlite_master and pragma_table_info are SQLite's catalogue, unknown to the schema types.
  const { rows: all } = await sql<{ name: string; type: string; sql: string | null }>`select name, type, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  const virtual = new Set(all.filter((t) => /^create virtual table/i.test(t.sql ?? '')).map((t) => t.name));
  const tables = all.filter((t) => !FTS_SHADOW.test(t.name) || ![...virtual].some((v) => t.name.startsWith(`${v}_`) && FTS_SHADOW.test(t.name.slice(v.length))));
  const columnsOf = new Map<string, Set<string>>();
  for (const t of tables) {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${t.name})`.execute(db);
    columnsOf.set(t.name, new Set(rows.map((r) => r.name)));
  }
  const gaps: string[] = [];
  for (const [table, cols] of columnsOf) {
    const entry = PERSONAL_DATA.find((e) => e.table === table);
    if (!entry) {
      if (cols.has('client_id') || cols.has('contact_id')) gaps.push(`${table}: has ${cols.has('contact_id') ? 'contact_id' : 'client_id'} but is not in PERSONAL_DATA (src/privacy/registry.ts)`);
      else if (!(table in NOT_PERSONAL_DATA)) gaps.push(`${table}: neither in PERSONAL_DATA nor in NOT_PERSONAL_DATA`);
      continue;
    }
    if (cols.has('contact_id') && (!entry.byContact || !entry.contactErasure)) gaps.push(`${table}: has contact_id but no byContact and contactErasure`);
    if (cols.has('client_id') && !entry.byClient) gaps.push(`${table}: has client_id but no byClient`);
  }
  const hasColumn = (table: string, col: string) => columnsOf.get(table)?.has(col) ?? false;
  const checkBy = (table: string, by: RowsBy | null | undefined, what: string) => {
    if (!by) return;
    if (!hasColumn(table, by.column)) gaps.push(`${table}: ${what} names the missing column ${by.column}`);
    if ('in' in by && !hasColumn(by.in.table, by.in.key)) gaps.push(`${table}: ${what} looks in ${by.in.table}.${by.in.key}, which is missing`);
  };
  for (const e of PERSONAL_DATA) {
    if (!columnsOf.has(e.table)) {
      gaps.push(`${e.table}: registered but not in the schema`);
      continue;
    }
    checkBy(e.table, e.byClient, 'byClient');
    checkBy(e.table, e.byContact, 'byContact');
    for (const c of [...(e.omit ?? []), ...(e.contactErasure?.do === 'strip' ? e.contactErasure.columns : []), ...(e.secretRowsWhere ? [e.secretRowsWhere.column] : [])]) {
      if (!hasColumn(e.table, c)) gaps.push(`${e.table}: names the missing column ${c}`);
    }
    if (e.byClient === null && !e.why) gaps.push(`${e.table}: belongs to no client and says not why`);
  }
  return gaps;
}
