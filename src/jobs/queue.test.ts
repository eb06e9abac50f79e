import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CompiledQuery } from 'kysely';
import { openTestDb, quietLog, type TestDb } from '../testing/test-db.ts';
import { PENDING } from './states.ts';
import { jobsScreenQueries } from './queue.ts';
import { JobRunner, countJobs, enqueueJob, getJob, listJobs, pruneDoneJobs, reschedulePending } from './index.ts';

const test = suite<{ t: TestDb }>('job queue');

test.before.each(async (ctx) => {
  ctx.t = await openTestDb();
});
test.after.each(async (ctx) => {
  await ctx.t.close();
});

const DAY = 24 * 60 * 60_000;

async function finish(t: TestDb, n: number): Promise<void> {
  const r = new JobRunner({ db: t.db, clock: t.clock, log: quietLog, concurrency: 64 });
  r.register({ kind: 'work', async run() {} });
  for (let i = 0; i < n; i++) await enqueueJob(t.db, t.clock, { kind: 'work', queueKey: `q${i % 3}` });
  await r.drain();
}

test('finished jobs are pruned in batches once older than the keep period; newer ones and unfinished work stay', async ({ t }) => {
  await finish(t, 23);
  t.clock.advance(8 * DAY);
  await finish(t, 4);
  const { id: waiting } = await enqueueJob(t.db, t.clock, { kind: 'work', runAt: new Date(t.clock.now().getTime() + DAY) });
  assert.is(await pruneDoneJobs(t.db, t.clock, 7 * DAY, 5), 23, 'every old one, five per transaction');
  assert.is(await countJobs(t.db, { status: 'done' }), 4);
  assert.is((await getJob(t.db, waiting))!.status, 'pending');
  assert.is(await pruneDoneJobs(t.db, t.clock, 7 * DAY, 5), 0);
});

test('counts stop at their cap, and the lists by state show the right jobs', async ({ t }) => {
  await finish(t, 12);
  await enqueueJob(t.db, t.clock, { kind: 'work', runAt: new Date(t.clock.now().getTime() + DAY) });
  assert.is(await countJobs(t.db, { status: 'done', max: 10 }), 10);
  assert.is(await countJobs(t.db, { status: 'done' }), 12);
  assert.is(await countJobs(t.db, { status: 'pending' }), 1);
  assert.is(await countJobs(t.db, { status: 'dead' }), 0);
  assert.equal((await listJobs(t.db, { status: 'pending' })).map((j) => j.status), ['pending']);
  assert.is((await listJobs(t.db, { status: 'done' })).length, 12);
});

test('a debounce moves the pending job of its queue and kind only', async ({ t }) => {
  const later = new Date(t.clock.now().getTime() + 30_000);
  assert.is(await reschedulePending(t.db, t.clock, { queueKey: 'ai:c1', kind: 'ai.reply', runAt: later }), false, 'nothing to move yet');
  const { id } = await enqueueJob(t.db, t.clock, { kind: 'ai.reply', queueKey: 'ai:c1' });
  const { id: other } = await enqueueJob(t.db, t.clock, { kind: 'ai.reply', queueKey: 'ai:c2' });
  assert.is(await reschedulePending(t.db, t.clock, { queueKey: 'ai:c1', kind: 'ai.reply', runAt: later }), true);
  assert.is((await getJob(t.db, id))!.runAt, later.toISOString());
  assert.is((await getJob(t.db, other))!.runAt, t.clock.now().toISOString());
});

test('lists by state go through the small per-state indexes, not the whole history', async ({ t }) => {
  // States are written literally (jobs/states.ts), so SQLite can use the partial indexes of
  // migration 0009; with a bound value it would walk every job kept (a week of them).
  const q = t.db.selectFrom('jobs').select('id').where('status', '=', PENDING).where('run_at', '<=', 'x').orderBy('run_at').limit(8).compile();
  assert.match(q.sql, /"status" = 'pending'/, 'the state is in the SQL text, not a parameter');
  const plan = await t.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]));
  assert.match(plan.rows.map((r) => r.detail).join(' | '), /jobs_pending_idx/);
});

test('the jobs screen finds each state through its own small index, with or without a client', async ({ t }) => {
  const explain = async (q: { sql: string; parameters: readonly unknown[] }) =>
    (await t.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows.map((r) => r.detail).join(' | ');
  const index = { pending: /jobs_pending_idx/, running: /jobs_running_idx/, dead: /jobs_dead_idx/ } as const;
  // Done jobs (most of the table): a page walks the primary key newest first; a capped count walks
  // the client's jobs, or the done index for all clients.
  const doneIndex = { list: /sqlite_autoindex_jobs_1/, count: /jobs_done_idx/, countClient: /jobs_client_idx/ } as const;
  for (const status of ['pending', 'running', 'dead', 'done'] as const) {
    for (const clientId of [undefined, 'c1']) {
      const { list, count } = jobsScreenQueries(t.db, { status, clientId, limit: 51, max: 10_000 });
      for (const [what, q] of [['list', list.compile()], ['count', count.compile()]] as const) {
        const plan = await explain(q);
        const want = status !== 'done' ? index[status] : doneIndex[what === 'count' && clientId ? 'countClient' : what];
        assert.match(plan, want, `${what} ${status}${clientId ? ' of a client' : ''}: ${plan}`);
        if (status !== 'done') assert.not.match(plan, /jobs_client_idx/, `${what} ${status}: not the client's whole history`);
      }
    }
  }
});

test.run();
