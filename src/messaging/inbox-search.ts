import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/index.ts';
import type { DB } from '../db/index.ts';
import { catchUpSearchIndex } from './search-index.ts';

// The inbox's search condition: a conversation matches when its contact's name or phone, or the
// text of any of its messages, contains the search (a substring, case-insensitive). Searches of
// 3 or more characters use the trigram full-text indexes of migration 0006 (messages_fts,
// contacts_fts); shorter ones, which a trigram index cannot answer, scan with LIKE. New messages
// reach messages_fts in bulk, after their commit (migration 0008, search-index.ts): the pending
// ones, of every client, are indexed first, so a message stored before the search is found.
//
// Raw SQL for the full-text parts: kysely has no MATCH against a virtual table's hidden column,
// and the FTS tables join their content tables on the implicit rowid, which the typed schema
// does not name.

/** The rows listInbox searches: conversations as cv, joined with their contacts as ct. */
type InboxEb = ExpressionBuilder<DB & { cv: DB['conversations']; ct: DB['contacts'] }, 'cv' | 'ct'>;
export type InboxSearchCondition = (eb: InboxEb) => Expression<SqlBool>;

/** A trigram index answers substrings of at least this many characters (code points). */
export const FTS_MIN_CHARS = 3;

/**
 * Up to this many of the client's matching rows, the page is built from the matches (cost grows
 * with their number: ~5 ms at 10,000, ~600 ms at 180,000); beyond, by walking the conversations
 * newest first until the page is full, after collecting the matching row ids once (a word in 18 %
 * of 1M messages: ~60 ms; worst when the matches are all old: ~200 ms).
 */
export const FTS_LIST_MAX_HITS = 20_000;

/**
 * The user's text as one FTS5 phrase: in double quotes, inner quotes doubled, so that nothing in
 * it is query syntax (AND, OR, NOT, NEAR, *, ^, :, parentheses, column names). With the trigram
 * tokenizer a phrase matches exactly where the text contains it as a substring.
 */
export const ftsPhrase = (term: string) => `"${term.replace(/"/g, '""')}"`;

/**
 * The condition for a trimmed, non-empty search of the client's inbox. `listMaxHits` moves the
 * switch between the two plans (tests prove both give the same conversations).
 */
export async function inboxSearch(db: Db, clientId: string, search: string, opts: { listMaxHits?: number } = {}): Promise<InboxSearchCondition> {
  if ([...search].length < FTS_MIN_CHARS) return (eb) => likeSearch(eb, search);
  const text = ftsPhrase(search);
  const digits = search.replace(/\D/g, '');
  // Digits typed in any layout ("701 555-44") find the phone as stored ("+77015554433").
  const contact = digits.length >= FTS_MIN_CHARS ? `display_name : ${text} OR phone : ${ftsPhrase(digits)}` : `display_name : ${text}`;
  const max = opts.listMaxHits ?? FTS_LIST_MAX_HITS;
  await catchUpSearchIndex(db);
  const [messageHits, contactHits] = await Promise.all([
    countUpTo(db, max, sql`select 1 from messages_fts join messages m on m.rowid = messages_fts.rowid
      where messages_fts match ${text} and m.client_id = ${clientId}`),
    countUpTo(db, max, sql`select 1 from contacts_fts join contacts c on c.rowid = contacts_fts.rowid
      where contacts_fts match ${contact} and c.client_id = ${clientId}`),
  ]);
  if (messageHits < max && contactHits < max) {
    // Few matches: the client's matching contacts and conversations, looked up by id and sorted.
    return () => sql<SqlBool>`(${sql.ref('cv.contact_id')} in (
        select c.id from contacts_fts join contacts c on c.rowid = contacts_fts.rowid
        where contacts_fts match ${contact} and c.client_id = ${clientId})
      or ${sql.ref('cv.id')} in (
        select m.conversation_id from messages_fts join messages m on m.rowid = messages_fts.rowid
        where messages_fts match ${text} and m.client_id = ${clientId}))`;
  }
  // Many matches: the client's conversations in list order (the outer query scopes them), each
  // tested against the matching row ids, collected once per query.
  return () => sql<SqlBool>`(${sql.ref('ct.rowid')} in (select rowid from contacts_fts where contacts_fts match ${contact})
    or exists (select 1 from messages m where m.conversation_id = ${sql.ref('cv.id')}
      and m.rowid in (select rowid from messages_fts where messages_fts match ${text})))`;
}

/** How many rows `query` yields, counting no further than `max`. */
async function countUpTo(db: Db, max: number, query: RawBuilder<unknown>): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from (${query} limit ${max})`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** `%term%` with LIKE's own wildcards escaped (used with ESCAPE '\'). */
const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * Spellings of a search term to try: SQLite's LIKE folds case for ASCII letters only, so for
 * Cyrillic names ("иван" vs "Иван") the lower-case and capitalised forms are tried as well.
 */
function spellings(term: string): string[] {
  const lower = term.toLocaleLowerCase('ru');
  return [...new Set([term, lower, lower.charAt(0).toLocaleUpperCase('ru') + lower.slice(1)])];
}

/**
 * One or two characters: a scan of the client's conversations, newest first, until a page is full
 * (too few digits to search phones by).
 */
function likeSearch(eb: InboxEb, search: string): Expression<SqlBool> {
  const like = (col: string, term: string) => sql<SqlBool>`${sql.ref(col)} like ${likePattern(term)} escape '\\'`;
  const any: Expression<SqlBool>[] = [];
  for (const s of spellings(search)) {
    any.push(like('ct.display_name', s));
    any.push(eb.exists(eb.selectFrom('messages as m').select(sql.lit(1).as('one')).whereRef('m.conversation_id', '=', 'cv.id').where(like('m.text', s))));
  }
  return eb.or(any);
}
