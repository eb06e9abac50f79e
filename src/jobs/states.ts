import { sql } from 'kysely';

/**
 * Job states written into a query as SQL literals, not bound values: the jobs table's status
 * indexes are partial (migration 0009), and SQLite uses a partial index only for a query that
 * names its condition literally. `where('status', '=', PENDING)` reads as usual.
 */
export const PENDING = sql.lit('pending');
export const RUNNING = sql.lit('running');
export const DONE = sql.lit('done');
export const DEAD = sql.lit('dead');

/** The literal for one of the four states (validated by the caller, e.g. the jobs screen's filter). */
export const stateLiteral = (state: 'pending' | 'running' | 'done' | 'dead') => ({ pending: PENDING, running: RUNNING, done: DONE, dead: DEAD })[state];
