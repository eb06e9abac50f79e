import { sql, type Kysely } from 'kysely';

// Frozen: never edit once landed; add a new numbered migration instead.
// Every message makes at least two jobs (process, send), and each job changes status twice
// (pending → running → done). With `status` inside four indexes, each change moved four index
// entries, and those pages were most of what a job's commits wrote (~130 µs of SQLite per job;
// ~45 µs with these indexes, scripts/bench-turn.ts). Now status lives only in partial indexes,
// each holding just the jobs of one state that a query looks for:
// - jobs_pending_idx (run_at) WHERE pending: the runner's due jobs, in run_at order;
// - jobs_running_idx (lease_until) WHERE running: leases to take over;
// - jobs_queue_idx (queue_key, id) WHERE pending or running: the head of a queue;
// - jobs_done_idx (finished_at) WHERE done: pruning old finished jobs;
// - jobs_dead_idx (client_id, id) WHERE dead: the jobs screen's list of failures.
// A finished job leaves the pending, running and queue indexes, so they stay as small as the
// work at hand, however much history the table keeps. Client, conversation and contact keep
// plain indexes for erasure and cascades.
// A partial index serves a query only when the query names its condition literally (not as a
// bound parameter): the queries of src/jobs/ write the states with sql.lit.
// Raw SQL: kysely's schema builder cannot write an IN list in a partial index's WHERE.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX jobs_due_idx`.execute(db);
  await sql`DROP INDEX jobs_queue_idx`.execute(db);
  await sql`DROP INDEX jobs_conversation_idx`.execute(db);
  await sql`DROP INDEX jobs_client_idx`.execute(db);
  await sql`CREATE INDEX jobs_pending_idx ON jobs (run_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX jobs_running_idx ON jobs (lease_until) WHERE status = 'running'`.execute(db);
  await sql`CREATE INDEX jobs_queue_idx ON jobs (queue_key, id) WHERE queue_key IS NOT NULL AND status IN ('pending', 'running')`.execute(db);
  await sql`CREATE INDEX jobs_done_idx ON jobs (finished_at) WHERE status = 'done'`.execute(db);
  await sql`CREATE INDEX jobs_dead_idx ON jobs (client_id, id) WHERE status = 'dead'`.execute(db);
  await sql`CREATE INDEX jobs_client_idx ON jobs (client_id)`.execute(db);
  await sql`CREATE INDEX jobs_conversation_idx ON jobs (conversation_id)`.execute(db);
}
