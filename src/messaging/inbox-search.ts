import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.ts';

// The inbox's search condition: a conversation matches when its contact's name or phone, or the
// text of any of its messages, contains the search (a substring, case-insensitive). Searches of
// 3 or more characters use the trigram full-text indexes of migration 0006 (messages_fts,
// contacts_fts); shorter ones, which a trigram index cannot answer, scan with LIKE.

/** The rows listInbox searches: conversations as cv, joined with their contacts as ct. */
type InboxEb = ExpressionBuilder<DB & { cv: DB['conversations']; ct: DB['contacts'] }, 'cv' | 'ct'>;

/** A trigram index answers substrings of at least this many characters (code points). */
export const FTS_MIN_CHARS = 3;

/**
 * The user's text as one FTS5 phrase: in double quotes, inner quotes doubled, so that nothing in
 * it is query syntax (AND, OR, NOT, NEAR, *, ^, :, parentheses, column names). With the trigram
 * tokenizer a phrase matches exactly where the text contains it as a substring.
 */
export const ftsPhrase = (term: string) => `"${term.replace(/"/g, '""')}"`;

/** The condition for a trimmed, non-empty search of the client's inbox. */
export function inboxSearch(eb: InboxEb, clientId: string, search: string): Expression<SqlBool> {
  return [...search].length >= FTS_MIN_CHARS ? ftsSearch(clientId, search) : likeSearch(eb, search);
}

/**
 * Raw SQL: kysely has no MATCH against a virtual table's hidden column, and the FTS tables join
 * their content tables on the implicit rowid, which the typed schema does not name. Each
 * subquery runs once (uncorrelated) and is scoped to the client; the outer query keeps its own
 * order (latest activity) and paging.
 */
function ftsSearch(clientId: string, search: string): Expression<SqlBool> {
  const phrase = ftsPhrase(search);
  const digits = search.replace(/\D/g, '');
  // Digits typed in any layout ("701 555-44") find the phone as stored ("+77015554433").
  const contactMatch = digits.length >= FTS_MIN_CHARS ? `display_name : ${phrase} OR phone : ${ftsPhrase(digits)}` : `display_name : ${phrase}`;
  return sql<SqlBool>`(${sql.ref('cv.contact_id')} in (
      select c.id from contacts_fts join contacts c on c.rowid = contacts_fts.rowid
      where contacts_fts match ${contactMatch} and c.client_id = ${clientId})
    or ${sql.ref('cv.id')} in (
      select m.conversation_id from messages_fts join messages m on m.rowid = messages_fts.rowid
      where messages_fts match ${phrase} and m.client_id = ${clientId}))`;
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
