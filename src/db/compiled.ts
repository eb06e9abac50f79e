import {
  CompiledQuery, DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Compilable, type QueryResult,
} from 'kysely';
import { lentStatementsOf, type Db } from './connection.ts';
import type { DB } from './schema.ts';

/**
 * Kysely as a query builder only (its DummyDriver runs nothing): what compiled() builds with.
 * The SQL it makes is the same the real connection's SqliteDialect would make.
 */
const builder = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** A named value to fill in at each run (what arg() puts where a value goes). */
class Arg {
  constructor(readonly name: string) {}
}

export interface CompiledStatement<A, R> {
  /** Runs the statement on `db` (the connection or a transaction) with these values. */
  execute(db: Db, args: A): Promise<QueryResult<R>>;
  /** The first row, if any. */
  first(db: Db, args: A): Promise<R | undefined>;
  /** How many rows an INSERT, UPDATE or DELETE changed. */
  changes(db: Db, args: A): Promise<number>;
  readonly sql: string;
}

/**
 * A kysely query built and compiled once, then run with new values through the connection's own
 * executor (so it joins the caller's transaction like any kysely query). For the statements on
 * the message path that run thousands of times a second: building and compiling a query costs
 * ~14 µs, more than SQLite takes to run most of them (scripts/bench-ingest.ts). `build` gets the
 * builder and `arg(name)`, which stands where a value of the query will be given at each run;
 * values written in the query itself stay fixed.
 *
 *   const byId = compiled<{ id: string }>((db, arg) => db.selectFrom('jobs').selectAll().where('id', '=', arg('id')));
 *   const job = await byId.first(trx, { id });
 */
export function compiled<A extends Record<string, unknown>, R = unknown>(
  build: (db: Kysely<DB>, arg: <K extends keyof A & string>(name: K) => A[K]) => Compilable<R>,
): CompiledStatement<A, R> {
  let made: { sql: string; values: unknown[] } | undefined;
  const make = () => {
    if (made) return made;
    const q = build(builder, (name) => new Arg(name) as never).compile();
    made = { sql: q.sql, values: [...q.parameters] };
    return made;
  };
  const execute = async (db: Db, args: A): Promise<QueryResult<R>> => {
    const { sql, values } = make();
    const params = values.map((v) => {
      if (!(v instanceof Arg)) return v;
      const value = args[v.name];
      if (value === undefined) throw new Error(`compiled query: no value for "${v.name}"`);
      return value;
    });
    const direct = lentStatementsOf(db);
    if (direct) {
      // Inside a group commit's transaction (it holds the connection): run it right here, as
      // kysely's SQLite driver would, without its asynchronous executor.
      const stmt = direct.prepare(sql);
      if (stmt.reader) return { rows: stmt.all(params) as R[] };
      const r = stmt.run(params);
      return { rows: [], numAffectedRows: BigInt(r.changes), insertId: BigInt(r.lastInsertRowid) };
    }
    return db.executeQuery(CompiledQuery.raw(sql, params) as CompiledQuery<R>);
  };
  return {
    execute,
    first: async (db, args) => (await execute(db, args)).rows[0],
    changes: async (db, args) => Number((await execute(db, args)).numAffectedRows ?? 0n),
    get sql() { return make().sql; },
  };
}

/**
 * `{ column: arg(column), … }` for an INSERT whose whole row is given at each run:
 * `compiled<Row>((db, arg) => db.insertInto('t').values(rowArgs(arg, COLUMNS)))`, run with the row.
 */
export function rowArgs<R>(arg: <K extends keyof R & string>(name: K) => R[K], columns: ReadonlyArray<keyof R & string>): R {
  return Object.fromEntries(columns.map((c) => [c, arg(c)])) as R;
}
