import { SYSTEM_ACTOR } from '../audit/index.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'kysely';
import { openTestDb, quietLog, type TestDb } from '../testing/test-db.ts';
import { memoryLogger } from '../testing/test-app.ts';
import { createClient } from '../tenants/index.ts';
import { JobRunner, enqueueJob, getJob, retryJob, backoffMs, PermanentJobError, type JobHandler, type RunnerOptions } from './index.ts';

const test = suite<{ t: TestDb }>('job runner');

test.before.each(async (ctx) => {
  ctx.t = await openTestDb();
});
test.after.each(async (ctx) => {
  await ctx.t.close();
});

const runner = (t: TestDb, handlers: JobHandler[], opts: Partial<RunnerOptions> = {}) => {
  const r = new JobRunner({ db: t.db, clock: t.clock, log: quietLog, baseBackoffMs: 1000, maxBackoffMs: 60_000, random: () => 1, leaseMs: 60_000, ...opts });
  for (const h of handlers) r.register(h);
  return r;
};

test('a failing job is retried with doubling delays, goes dead after its last attempt, and a retry revives it', async ({ t }) => {
  let fail = true;
  const dead: string[] = [];
  const r = runner(t, [{
    kind: 'flaky',
    async run() { if (fail) throw new Error('remote said 500'); },
    async onDead(_job, error) { dead.push(error); },
  }]);
  const { id } = await enqueueJob(t.db, t.clock, { kind: 'flaky', maxAttempts: 3 });
  assert.is(await r.drain(), 1);
  let job = (await getJob(t.db, id))!;
  assert.is(job.status, 'pending');
  assert.is(job.lastError, 'remote said 500');
  assert.is(new Date(job.runAt).getTime() - t.clock.now().getTime(), 1000);
  assert.is(await r.drain(), 0, 'not due before its backoff');
  t.clock.advance(999);
  assert.is(await r.drain(), 0);
  t.clock.advance(1);
  assert.is(await r.drain(), 1);
  job = (await getJob(t.db, id))!;
  assert.is(new Date(job.runAt).getTime() - t.clock.now().getTime(), 2000, 'the delay doubles');
  t.clock.advance(2000);
  await r.drain();
  job = (await getJob(t.db, id))!;
  assert.is(job.status, 'dead');
  assert.is(job.attempts, 3);
  assert.equal(dead, ['remote said 500']);

  fail = false;
  assert.ok(await retryJob(t.db, t.clock, id, undefined, SYSTEM_ACTOR));
  await r.drain();
  assert.is((await getJob(t.db, id))!.status, 'done');
});

test('a dead job retried without naming its client is audited under the job\'s client', async ({ t }) => {
  const client = await createClient(t.db, t.clock, { slug: 'acme', name: 'Acme' });
  const r = runner(t, [{ kind: 'bad', async run() { throw new PermanentJobError('gone'); } }]);
  const { id } = await enqueueJob(t.db, t.clock, { kind: 'bad', clientId: client.id });
  await r.drain();
  assert.ok(await retryJob(t.db, t.clock, id, undefined, SYSTEM_ACTOR));
  const row = await t.db.selectFrom('audit_log').select('client_id').where('action', '=', 'job.retried').where('target_id', '=', id).executeTakeFirstOrThrow();
  assert.is(row.client_id, client.id);
  assert.not.ok(await retryJob(t.db, t.clock, id, undefined, SYSTEM_ACTOR), 'no longer dead');
});

test('backoff is capped and jittered between half and all of the delay', () => {
  assert.is(backoffMs(1, { baseMs: 1000, capMs: 60_000 }, () => 1), 1000);
  assert.is(backoffMs(20, { baseMs: 1000, capMs: 60_000 }, () => 1), 60_000);
  assert.is(backoffMs(20, { baseMs: 1000, capMs: 60_000 }, () => 0), 30_000);
});

test('a permanent error gives up at once', async ({ t }) => {
  const r = runner(t, [{ kind: 'bad', async run() { throw new PermanentJobError('the recipient does not exist'); } }]);
  const { id } = await enqueueJob(t.db, t.clock, { kind: 'bad' });
  await r.drain();
  const job = (await getJob(t.db, id))!;
  assert.is(job.status, 'dead');
  assert.is(job.attempts, 1);
});

test('a job whose process died mid-run runs again once its lease expires', async ({ t }) => {
  const crashed = runner(t, [{ kind: 'work', run: () => new Promise(() => {}) }]); // never finishes: the process "died"
  const { id } = await enqueueJob(t.db, t.clock, { kind: 'work' });
  assert.is(await crashed.pump(), 1);
  assert.is((await getJob(t.db, id))!.status, 'running');

  let ran = 0;
  const restarted = runner(t, [{ kind: 'work', async run() { ran++; } }]);
  assert.is(await restarted.drain(), 0, 'the lease still holds');
  t.clock.advance(60_001);
  assert.is(await restarted.drain(), 1);
  const job = (await getJob(t.db, id))!;
  assert.is(job.status, 'done');
  assert.is(job.attempts, 2);
  assert.is(ran, 1);
});

test('start() takes over jobs left running by a crashed process at once', async ({ t }) => {
  const crashed = runner(t, [{ kind: 'work', run: () => new Promise(() => {}) }]);
  const { id } = await enqueueJob(t.db, t.clock, { kind: 'work' });
  await crashed.pump();
  const restarted = runner(t, [{ kind: 'work', async run() {} }]);
  await restarted.start();
  for (let i = 0; i < 50 && (await getJob(t.db, id))!.status !== 'done'; i++) await new Promise((r) => setTimeout(r, 10));
  await restarted.stop();
  assert.is((await getJob(t.db, id))!.status, 'done');
});

test('when the outcome of a job cannot be written (database locked) the runner logs it and the process lives on', async ({ t }) => {
  const rejections: unknown[] = [];
  const onRejection = (err: unknown) => rejections.push(err);
  process.on('unhandledRejection', onRejection);
  const log = memoryLogger();
  try {
    const r = runner(t, [{
      kind: 'work',
      async run() {
        // From now on every write to jobs fails, as it would under a lock held past busy_timeout.
        await sql`CREATE TRIGGER jobs_locked BEFORE UPDATE ON jobs BEGIN SELECT RAISE(ABORT, 'database is locked'); END`.execute(t.db);
      },
    }], { log });
    const { id } = await enqueueJob(t.db, t.clock, { kind: 'work' });
    await r.start();
    for (let i = 0; i < 100 && !log.lines.some((l) => l.includes('could not record a job outcome')); i++) await new Promise((res) => setTimeout(res, 10));
    await r.stop();
    await new Promise((res) => setImmediate(res));
    assert.equal(rejections, [], 'no unhandled rejection');
    const line = log.lines.find((l) => l.includes('could not record a job outcome'));
    assert.ok(line, 'the failure is logged');
    assert.match(line!, /"category":"jobs"/);
    await sql`DROP TRIGGER jobs_locked`.execute(t.db);
    assert.is((await getJob(t.db, id))!.status, 'running', 'still leased: it runs again after the lease');
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});

test('jobs of one queue run strictly in order, one at a time, even while an earlier one waits to retry', async ({ t }) => {
  const order: string[] = [];
  let active = 0;
  let maxActive = 0;
  let failFirst = true;
  const r = runner(t, [{
    kind: 'send',
    async run(job) {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((res) => setTimeout(res, 2));
      active--;
      const name = String(job.payload.name);
      if (name === 'a1' && failFirst) {
        failFirst = false;
        order.push('a1 failed');
        throw new Error('timeout');
      }
      order.push(name);
    },
  }], { concurrency: 4 });
  for (const name of ['a1', 'a2', 'a3']) await enqueueJob(t.db, t.clock, { kind: 'send', payload: { name }, queueKey: 'conv:a' });
  await enqueueJob(t.db, t.clock, { kind: 'send', payload: { name: 'b1' }, queueKey: 'conv:b' });
  await r.drain();
  assert.equal([...order].sort(), ['a1 failed', 'b1'], 'a2 and a3 wait for a1');
  t.clock.advance(1000);
  await r.drain();
  assert.equal(order.slice(2), ['a1', 'a2', 'a3']);
  assert.is(maxActive, 2, 'one job per queue at a time (a1 beside b1)');
});

test('jobs sharing a rate key start no faster than its token bucket allows', async ({ t }) => {
  let ran = 0;
  const r = runner(t, [{ kind: 'send', async run() { ran++; } }], { rateLimit: (key) => (key === 'channel:wa' ? { capacity: 2, perSecond: 1 } : undefined) });
  for (let i = 0; i < 5; i++) await enqueueJob(t.db, t.clock, { kind: 'send', rateKey: 'channel:wa' });
  await enqueueJob(t.db, t.clock, { kind: 'send', rateKey: 'channel:other' });
  await r.drain();
  assert.is(ran, 3, 'a burst of 2 on the limited channel, the other channel unaffected');
  t.clock.advance(1000);
  await r.drain();
  assert.is(ran, 4);
  t.clock.advance(5000);
  await r.drain();
  assert.is(ran, 6);
});

test('an idempotency key enqueues a job once', async ({ t }) => {
  const a = await enqueueJob(t.db, t.clock, { kind: 'x', idempotencyKey: 'send:m1' });
  const b = await enqueueJob(t.db, t.clock, { kind: 'x', idempotencyKey: 'send:m1' });
  assert.ok(a.created);
  assert.not.ok(b.created);
  assert.is(a.id, b.id);
});

test('a periodic job runs again every period, also after it failed', async ({ t }) => {
  let runs = 0;
  const r = runner(t, [{ kind: 'tick', async run() { runs++; if (runs === 2) throw new Error('disk busy'); } }]);
  r.registerPeriodic('tick', 60_000);
  await r.schedulePeriodic();
  await r.schedulePeriodic(); // idempotent: still one row
  assert.is(await r.drain(), 1);
  assert.is(await r.drain(), 0);
  t.clock.advance(60_000);
  await r.drain(); // fails: tries again next period rather than dying
  t.clock.advance(60_000);
  await r.drain();
  assert.is(runs, 3);
  const rows = await t.db.selectFrom('jobs').select(['status', 'every_ms']).where('kind', '=', 'tick').execute();
  assert.equal(rows, [{ status: 'pending', every_ms: 60_000 }]);
});

test('a started runner woken after a commit takes the new job at once, not at its next poll', async ({ t }) => {
  let ran = 0;
  const r = runner(t, [{ kind: 'work', async run() { ran++; } }], { pollMs: 60_000 });
  await r.start();
  await new Promise((res) => setTimeout(res, 20)); // idle now, sleeping until its next poll
  await t.db.transaction().execute((trx) => enqueueJob(trx, t.clock, { kind: 'work' }));
  r.wake();
  for (let i = 0; i < 100 && ran === 0; i++) await new Promise((res) => setTimeout(res, 5));
  await r.stop();
  assert.is(ran, 1);
});

test.run();
