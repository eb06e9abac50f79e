// Benchmark: signed Instagram webhook deliveries through the HTTP edge, against a bare Hono route.
//
//   npm run bench:instagram [-- --duration 10 --connections 10 --customers 5 --batch 10]
//
// Processes on 127.0.0.1 only: this one runs autocannon and a Graph stand-in (to connect the
// account with a token, as an integrator does: POST /api/v1/channels); the real `habar serve`
// (from source, workers off: pure ingest, a fresh data dir, log level warn) and a bare Hono route
// (same Node 24, answers without reading the body) each run in a child process.
// Each request is Meta's `POST /webhooks/instagram` with X-Hub-Signature-256 over the raw body and
// new mids, so Habar checks the signature, routes by entry id and stores every message (one group
// commit) before it answers 200. Two shapes: one message per delivery, and `--batch` messages per
// delivery (Meta batches at volume). Target: single-message webhooks/s ≥ 10 % of the bare route's
// req/s in the same run; batched deliveries well above it in messages/s.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { NODE, ROOT, cpuMs, fmt, machineLine, pct, printTable, runBareHono, spawnListening, tempDir, type Child } from './lib/bench.ts';
import { sqliteFloor } from './lib/sqlite-floor.ts';
import { GraphStandIn } from '../src/testing/graph-stand-in.ts';

const TARGET = 0.10;
const APP_SECRET = 'bench-app-secret';
const IG = { igId: '17841400000000001', username: 'bench.shop', token: 'EAAG-bench-token' };
const ROUTE = '/webhooks/instagram';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    customers: { type: 'string', default: '5' },
    batch: { type: 'string', default: '10' },
    'keep-data': { type: 'boolean' },
  },
});

if (args.role === 'bare') {
  await runBareHono(ROUTE);
} else {
  await main();
}

async function main() {
  const o = { duration: Number(args.duration), warmup: Number(args.warmup), connections: Number(args.connections), customers: Number(args.customers) };
  const batch = Number(args.batch);
  const env = { ...process.env, HABAR_LOG_LEVEL: 'warn' };
  const dir = tempDir('habar-bench-instagram-');
  const graph = new GraphStandIn().addAccount(IG);
  const graphUrl = await graph.start();
  try {
    const bare = await spawnListening(NODE, ['--import', 'tsx', path.join(ROOT, 'scripts', 'bench-instagram.ts'), '--role', 'bare']);
    const bareResult = await load(bare, { ...o, perDelivery: 1, tag: 'bare' });
    await bare.stop();

    const habar = (cmd: string[]) => [path.join(ROOT, 'src', 'main.ts'), ...cmd, '--data-dir', dir];
    const cli = (cmd: string[]) => execFileSync(NODE, ['--import', 'tsx', ...habar(cmd)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
    const first = await spawnListening(NODE, ['--import', 'tsx', ...habar(['serve', '--port', '0', '--workers', 'false'])], { env });
    await first.stop();
    cli(['settings', 'set', `meta.app_secret=${APP_SECRET}`, `meta.graph_url=${graphUrl}`]);
    const key = cli(['api-key', 'create', '--client', 'demo', '--label', 'bench']);
    const server = await spawnListening(NODE, ['--import', 'tsx', ...habar(['serve', '--port', '0', '--workers', 'false'])], { env });
    const connected = await fetch(`${server.url}/api/v1/channels`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'instagram', ig_account_id: IG.igId, access_token: IG.token }),
    });
    if (connected.status !== 201) throw new Error(`connecting the bench account failed: ${connected.status} ${await connected.text()}`);
    const single = await load(server, { ...o, perDelivery: 1, tag: 'one' });
    const batched = await load(server, { ...o, perDelivery: batch, tag: 'batch' });
    await server.stop();

    const row = (name: string, r: Measured, per: number) => [
      name, fmt(r.requests.average, 0), fmt(r.requests.average * per, 0), fmt(r.latency.p50, 1), fmt(r.latency.p99, 1), r['2xx'], r.non2xx + r.errors + r.timeouts, fmt(r.cpuPerRequestUs, 0),
    ];
    printTable(`Signed Instagram webhooks: ${o.connections} connections, ${o.duration} s each (after ${o.warmup} s warm-up), ${o.customers} customers`, [
      ['server', 'webhooks/s', 'messages/s', 'p50 ms', 'p99 ms', '2xx', 'other', 'server CPU µs/req'],
      row('bare Hono (no work)', bareResult, 1),
      row('Habar, 1 message per delivery', single, 1),
      row(`Habar, ${batch} messages per delivery`, batched, batch),
    ]);
    console.log('');
    const floor = sqliteFloor(path.join(dir, 'habar.db'), dir, { messages: 50_000, group: 5, customers: o.customers });
    const ceiling = 1e6 / (bareResult.cpuPerRequestUs + floor.usPerMessage);
    console.log(`raw SQLite floor (the inbound writes alone, prepared statements, groups of 5): ${fmt(floor.usPerMessage, 0)} µs CPU per message; `
      + `bare HTTP + floor → at most ~${fmt(ceiling, 0)} req/s on one core = ${pct(ceiling / bareResult.requests.average)} of bare Hono`);
    const share = single.requests.average / bareResult.requests.average;
    console.log(`single-message webhooks / bare = ${pct(share)} (target ≥ ${pct(TARGET)}${share >= TARGET ? ' — target met' : ' — target missed'})`);
    console.log(`batched: ${fmt(batched.requests.average * batch, 0)} messages/s = ${pct((batched.requests.average * batch) / bareResult.requests.average)} of the bare route's req/s, `
      + `${fmt((batched.requests.average * batch) / single.requests.average, 1)}× the single-message rate`);
    console.log(machineLine());
  } finally {
    await graph.stop();
    if (!args['keep-data']) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`data dir kept: ${dir}`);
  }
}

type Measured = Result & { cpuPerRequestUs: number };

/** A warm-up run, then the measured one; each delivery signed, with new mids from one of `customers`. */
async function load(child: Child, o: { duration: number; warmup: number; connections: number; customers: number; perDelivery: number; tag: string }): Promise<Measured> {
  let n = 0;
  const body = (phase: string) => {
    const messaging = Array.from({ length: o.perDelivery }, () => {
      n++;
      return { sender: { id: `9${n % Math.max(1, o.customers)}` }, recipient: { id: IG.igId }, timestamp: Date.now(), message: { mid: `${o.tag}-${phase}-${n}`, text: `Hello! Do you deliver to Almaty? (${n})` } };
    });
    return JSON.stringify({ object: 'instagram', entry: [{ id: IG.igId, time: Date.now(), messaging }] });
  };
  const run = (seconds: number, phase: string) => autocannon({
    url: child.url, connections: o.connections, duration: seconds, timeout: 10,
    requests: [{
      method: 'POST', path: ROUTE,
      setupRequest: (req) => {
        const raw = body(phase);
        const signature = `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
        return { ...req, body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
      },
    }],
  });
  if (o.warmup > 0) await run(o.warmup, 'w');
  const cpu0 = cpuMs(child.proc.pid!);
  const result = await run(o.duration, 'm');
  return { ...result, cpuPerRequestUs: ((cpuMs(child.proc.pid!) - cpu0) * 1000) / result['2xx'] };
}
