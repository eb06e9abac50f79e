// Benchmark: inbound ingest through the HTTP edge, against a bare Hono route.
//
//   npm run bench:ingest [-- --duration 10 --connections 10 --customers 5 --workers both|off|on --cpu-prof-dir /tmp/prof]
//
// Processes on 127.0.0.1 only: this one runs autocannon; the real `habar serve` (from source, a
// fresh data dir in a temp folder per mode, log level warn) and a bare Hono route on
// @hono/node-server (same Node 24) each run in a child process, one after the other.
// Two Habar modes: `--workers false` (pure ingest: persisted and acknowledged, the target figure,
// since processing is what bench:turn measures) and workers on (the responder chain competing
// for the same 2 cores with the ingest, as in production under a burst).
// Every request is the sandbox's `POST /c/:token/messages` with a new message_id from one of a
// handful of customers, so Habar stores each one (one transaction, processing job enqueued)
// before it answers 201. Target (workers off): ingest ≥ 10 % of the bare route's req/s in the same run,
// about 70 % of the raw SQLite floor's ceiling that this script also measures (the ingest contract —
// acknowledged only after its one transaction commits — is not traded for speed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import autocannon, { type Result } from 'autocannon';
import { NODE, ROOT, cpuMs, fmt, machineLine, pct, printTable, runBareHono, spawnListening, tempDir, type Child } from './lib/bench.ts';
import { sqliteFloor } from './lib/sqlite-floor.ts';

/** The ingest target: a share of the bare Hono route's req/s measured in the same run (workers off). */
const INGEST_TARGET = 0.10;

const { values: args } = parseArgs({
  options: {
    role: { type: 'string' }, // internal: "bare" runs the bare Hono server in this (child) process
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    customers: { type: 'string', default: '5' },
    'cpu-prof-dir': { type: 'string' }, // profile the Habar server (node --cpu-prof) into this folder
    workers: { type: 'string', default: 'both' }, // off | on | both
    'keep-data': { type: 'boolean' }, // keep the data dir (printed) to inspect it afterwards
  },
});

if (args.role === 'bare') {
  await runBareHono();
} else {
  await main();
}

async function main() {
  const duration = Number(args.duration);
  const warmup = Number(args.warmup);
  const connections = Number(args.connections);
  const customers = Number(args.customers);
  const env = { ...process.env, HABAR_LOG_LEVEL: 'warn' };
  const modes = args.workers === 'both' ? ['off', 'on'] : [args.workers!];
  const dirs: string[] = [];
  try {
    const bare = await spawnListening(NODE, ['--import', 'tsx', path.join(ROOT, 'scripts', 'bench-ingest.ts'), '--role', 'bare']);
    let bareResult: Awaited<ReturnType<typeof load>> | undefined;
    const rows: Array<[string, Awaited<ReturnType<typeof load>>]> = [];
    const notes: string[] = [];
    for (const mode of modes) {
      const dir = tempDir(`habar-bench-ingest-${mode}-`);
      dirs.push(dir);
      const habar = (cmd: string[]) => [path.join(ROOT, 'src', 'main.ts'), ...cmd, '--data-dir', dir];
      // A fresh data dir (embedded default: demo client + sandbox), then the public endpoint's
      // rate limit raised out of the way (a real limit, set as an operator would).
      const first = await spawnListening(NODE, ['--import', 'tsx', ...habar(['serve', '--port', '0', '--workers', 'false'])], { env });
      await first.stop();
      execFileSync(NODE, ['--import', 'tsx', ...habar(['settings', 'set', 'sandbox.rate_limit_per_minute=1000000'])], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
      const token = readOnly(dir, (db) => (db.prepare("SELECT public_token FROM channel_accounts WHERE kind = 'sandbox' LIMIT 1").get() as { public_token: string }).public_token);
      const route = `/c/${token}/messages`;
      if (!bareResult) {
        bareResult = await load(bare, route, { duration, warmup, connections, customers, tag: 'bare' });
        await bare.stop();
      }

      const prof = args['cpu-prof-dir'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(args['cpu-prof-dir'], mode)] : [];
      const server = await spawnListening(NODE, [...prof, '--import', 'tsx', ...habar(['serve', '--port', '0', '--workers', mode === 'on' ? 'true' : 'false'])], { env });
      rows.push([`Habar POST /c/:token/messages, workers ${mode}`, await load(server, route, { duration, warmup, connections, customers, tag: 'habar' })]);
      // Let the workers finish what is queued, then stop (SIGTERM waits for running jobs).
      if (mode === 'on') await new Promise((r) => setTimeout(r, 1000));
      await server.stop();
      const stored = readOnly(dir, (db) => ({
        messages: (db.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'in'").get() as { n: number }).n,
        conversations: (db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n,
        jobs: db.prepare("SELECT status, count(*) AS n FROM jobs WHERE kind = 'message.process' GROUP BY status").all() as Array<{ status: string; n: number }>,
      }));
      notes.push(`workers ${mode}: stored ${stored.messages} inbound messages in ${stored.conversations} conversations; processing jobs: ${stored.jobs.map((j) => `${j.status} ${j.n}`).join(', ')}`);
      if (args['keep-data']) console.log(`data dir kept: ${dir}`);
    }

    const row = (name: string, r: Result & { cpuPerRequestUs: number }) => [
      name, fmt(r.requests.average, 0), fmt(r.latency.p50, 1), fmt(r.latency.p99, 1), r['2xx'], r.non2xx + r.errors + r.timeouts, fmt(r.cpuPerRequestUs, 0),
    ];
    printTable(`Inbound ingest: ${connections} connections, ${duration} s each (after ${warmup} s warm-up), ${customers} customers`, [
      ['server', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'other', 'server CPU µs/req'],
      row('bare Hono (no work)', bareResult!),
      ...rows.map(([name, r]) => row(name, r)),
    ]);
    console.log('');
    // The floor: the same writes with nothing around them (scripts/lib/sqlite-floor.ts), in groups
    // of 5 (what 10 connections give Habar's group commit: about half are in flight at a time).
    // A server doing only those writes plus the bare route's HTTP work would serve at most
    // 1 / (bare CPU + floor CPU) per core.
    const floor = sqliteFloor(path.join(dirs[0], 'habar.db'), dirs[0], { messages: 50_000, group: 5, customers });
    const ceiling = 1e6 / (bareResult!.cpuPerRequestUs + floor.usPerMessage);
    console.log(`raw SQLite floor (the inbound writes alone, prepared statements, groups of 5): ${fmt(floor.usPerMessage, 0)} µs CPU per message; `
      + `bare HTTP + floor = ${fmt(bareResult!.cpuPerRequestUs + floor.usPerMessage, 0)} µs → at most ~${fmt(ceiling, 0)} req/s on one core = ${pct(ceiling / bareResult!.requests.average)} of bare Hono`);
    const off = rows.find(([name]) => name.endsWith('workers off'));
    if (off) console.log(`Habar, workers off, reaches ${pct(off[1].requests.average / ceiling)} of that ceiling (about 70 % expected)`);
    for (const [name, r] of rows) {
      const share = r.requests.average / bareResult!.requests.average;
      const verdict = name.endsWith('workers off') ? (share >= INGEST_TARGET ? ' — target met' : ' — target missed') : '';
      console.log(`${name}: ingest / bare = ${pct(share)} of the req/s (target ≥ ${pct(INGEST_TARGET)} with workers off${verdict}); CPU per request ${fmt(r.cpuPerRequestUs / bareResult!.cpuPerRequestUs, 0)}× the bare route's`);
    }
    console.log(machineLine());
    for (const n of notes) console.log(n);
  } finally {
    if (!args['keep-data']) for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function readOnly<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, 'habar.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** A warm-up run, then the measured one; each request a new message_id from one of `customers`. */
async function load(child: Child, route: string, o: { duration: number; warmup: number; connections: number; customers: number; tag: string }): Promise<Result & { cpuPerRequestUs: number }> {
  let n = 0;
  const run = (seconds: number, phase: string) => autocannon({
    url: child.url, connections: o.connections, duration: seconds, timeout: 10,
    requests: [{
      method: 'POST', path: route, headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        n++;
        return { ...req, body: JSON.stringify({ text: `Hello! Do you deliver to Almaty? (${n})`, customer: `bench-${o.customers > 0 ? n % o.customers : 0}`, message_id: `${o.tag}-${phase}-${n}` }) };
      },
    }],
  });
  if (o.warmup > 0) await run(o.warmup, 'w');
  const cpu0 = cpuMs(child.proc.pid!);
  const result = await run(o.duration, 'm');
  return { ...result, cpuPerRequestUs: ((cpuMs(child.proc.pid!) - cpu0) * 1000) / result['2xx'] };
}
