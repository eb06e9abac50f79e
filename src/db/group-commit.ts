import { isTransactionOpen, lendStatements, type Db } from './connection.ts';

interface Entry {
  fn: (trx: Db) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** Most units of work sharing one commit: bounds how long one commit holds the connection. */
const GROUP_MAX = 64;

/**
 * Group commit: units of work (each what used to be a transaction of its own) that arrive while
 * the previous group is being written, or in the same event-loop turn, run one after another
 * inside ONE SQLite transaction, and every caller's promise settles only after that transaction
 * committed, so "resolved ⇒ durable" holds as with a transaction of its own, while a commit (the
 * WAL write of every page the group touched, SQLite's largest cost per message here) is paid once
 * per group. Units see the writes of the units before them, exactly as if run serially; nothing
 * else interleaves (the group holds the connection).
 * When a unit of a group throws, the whole group is rolled back and runs again in three parts:
 * the units before it as a group, the failing one alone (its caller gets its error), the units
 * after it as a group. So a unit may run twice and must be a pure function of the database (no effect outside `trx`
 * besides what it returns; collect events inside it afresh on each run). Savepoints per unit
 * were tried instead: SQLite copies every page a unit first touches into a statement journal,
 * which cost more than the commits saved (scripts/bench-ingest.ts). A unit must not open a
 * transaction of its own nor wait for a unit queued after it.
 */
export class GroupCommit {
  private queue: Entry[] = [];
  private draining = false;

  constructor(private readonly db: Db, private readonly max = GROUP_MAX) {}

  /** Runs `fn` as one atomic unit of the next group; resolves with its result after the commit. */
  run<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, this.max));
    } finally {
      this.draining = false;
    }
  }

  private async write(group: Entry[]): Promise<void> {
    const outcome = await this.attempt(group);
    if (outcome.ok) {
      group.forEach((e, i) => e.resolve(outcome.values[i]));
      return;
    }
    if (group.length === 1) {
      group[0].reject(outcome.error);
      return;
    }
    // Units ran one after another, so the ones before the failing unit succeeded: they go again
    // as a group, the failing one alone (it gets its own error), the rest as a group. When the
    // transaction itself failed (begin or commit), every unit runs alone.
    const at = outcome.failedAt;
    if (at === undefined) {
      for (const e of group) await this.write([e]);
      return;
    }
    if (at > 0) await this.write(group.slice(0, at));
    await this.write([group[at]]);
    if (at + 1 < group.length) await this.write(group.slice(at + 1));
  }

  /**
   * The units in one transaction: committed with their results, or rolled back with the first
   * error and the index of the unit that threw (none when the transaction itself failed).
   */
  private async attempt(units: Entry[]): Promise<{ ok: true; values: unknown[] } | { ok: false; error: unknown; failedAt?: number }> {
    const values: unknown[] = [];
    let trx;
    try {
      trx = await this.db.startTransaction().execute();
    } catch (error) {
      return { ok: false, error };
    }
    // The group holds the connection until it commits or rolls back: its compiled statements may
    // run directly on it (db/compiled.ts).
    const endLoan = lendStatements(this.db, trx);
    let failedAt: number | undefined;
    try {
      for (const [i, u] of units.entries()) {
        failedAt = i;
        values.push(await u.fn(trx));
        // A unit that caught an error after which SQLite rolled the transaction back: the units
        // after it must not write in autocommit (they would be written again when re-run alone).
        if (isTransactionOpen(this.db) === false) throw new Error('SQLite ended the transaction during a unit of work');
      }
      failedAt = undefined;
      endLoan();
      await trx.commit().execute();
      return { ok: true, values };
    } catch (error) {
      endLoan();
      await trx.rollback().execute().catch(() => {});
      return { ok: false, error, failedAt };
    }
  }
}

const groups = new WeakMap<Db, GroupCommit>();

/** The group commit of this connection (one per database handle; pass the root handle, not a transaction). */
export function groupCommitOf(db: Db): GroupCommit {
  if (db.isTransaction) throw new Error('groupCommitOf: pass the database, not a transaction (units cannot nest)');
  let g = groups.get(db);
  if (!g) groups.set(db, g = new GroupCommit(db));
  return g;
}
