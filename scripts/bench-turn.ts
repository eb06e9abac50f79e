// Benchmark: the end-to-end turn — a customer's message in through the HTTP edge, the responder
// chain answers, the reply is sent — with an instant responder, at a fixed offered rate.
//
//   npm run bench:turn [-- --rate 500 --duration 10 --warmup 2 --customers 50 --cpu-prof-dir /tmp/prof]
//
// Two processes on 127.0.0.1: this one offers the load (open loop: requests leave on schedule,
// whether or not earlier ones were answered); the server child is the real app (openHabar over a
// fresh data dir, workers on, log level warn) with one extra responder step registered through
// the responder-chain registration point (RESPONDER_STEPS in src/pipeline.ts) that answers every
// message at once. A turn ends when the reply's send job has delivered it through the sandbox
// channel (the message.sent event); the child reports each delivery with its time.
// The baseline is the same open-loop load against a bare Hono route in its own child process:
// its round trip is what HTTP alone costs here. Target: turn p99 < 20 ms at 500 turns/s.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NODE, ROOT, cpuMs, epochMs, fmt, machineLine, printTable, quantile, runBareHono, spawnListening, tempDir, type Child } from './lib/bench.ts';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string' }, // internal: "server" (Habar) or "bare" (baseline) in a child process
    'data-dir': { type: 'string' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    customers: { type: 'string', default: '50' },
    'cpu-prof-dir': { type: 'string' }, // profile the Habar server (node --cpu-prof) into this folder
  },
});

const REPLY_PREFIX = 're:';

if (args.role === 'bare') await runBareHono();
else if (args.role === 'server') await runServer(args['data-dir']!);
else await main();

/** The child: the real app plus an instant responder step; reports each reply's delivery over IPC. */
async function runServer(dataDir: string) {
  const { RESPONDER_STEPS } = await import('../src/pipeline.ts');
  const { loadBootConfig } = await import('../src/config/boot-config.ts');
  const { openHabar } = await import('../src/app.ts');
  const { setSetting } = await import('../src/settings/index.ts');
  // A real step of the chain (first, before rules and the AI): it answers with the message's text.
  RESPONDER_STEPS.unshift(() => ({
    name: 'bench-instant',
    order: 1,
    respond: async ({ message }) => ({ action: 'answer', text: `${REPLY_PREFIX}${message.text}`, authorKind: 'system' }),
  }));
  const config = loadBootConfig({ 'data-dir': dataDir, host: '127.0.0.1', port: '0', 'log-level': 'warn' }, {});
  const app = await openHabar(config, { createKey: true, seed: true });
  const { db, vault, clock, hub } = app.ctx;
  await setSetting(db, vault, clock, 'sandbox.rate_limit_per_minute', '1000000', null); // out of the load's way
  let batch: Array<[string, number]> = [];
  hub.subscribe((e) => {
    if ('message' in e && e.message.text.startsWith(REPLY_PREFIX)) batch.push([e.message.text.slice(REPLY_PREFIX.length), epochMs()]);
  }, { types: ['message.sent'] });
  const flush = setInterval(() => {
    if (batch.length) process.send!(batch);
    batch = [];
  }, 20);
  const url = await app.listen();
  const ch = await db.selectFrom('channel_accounts').select('public_token').where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
  console.log(`listening: ${url}/c/${ch.public_token}/messages`);
  process.once('SIGTERM', async () => {
    clearInterval(flush);
    await app.close();
    process.exit(0);
  });
}

interface Sample {
  t0: number;
  ack?: number;
  status?: number;
  sent?: number;
}

async function main() {
  const rate = Number(args.rate);
  const duration = Number(args.duration);
  const warmup = Number(args.warmup);
  const customers = Number(args.customers);
  const dir = tempDir('habar-bench-turn-');
  try {
    const bare = await spawnListening(NODE, ['--import', 'tsx', path.join(ROOT, 'scripts', 'bench-turn.ts'), '--role', 'bare']);
    const bareCpu0 = cpuMs(bare.proc.pid!);
    const base = await offer(bare, `${bare.url}/c/bare/messages`, { rate, duration, warmup, customers, tag: 'b' }, new Map());
    const bareCpuUs = ((cpuMs(bare.proc.pid!) - bareCpu0) * 1000) / (rate * (warmup + duration));
    await bare.stop();

    const prof = args['cpu-prof-dir'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(args['cpu-prof-dir'])] : [];
    const server = await spawnListening(NODE, [...prof, '--import', 'tsx', path.join(ROOT, 'scripts', 'bench-turn.ts'), '--role', 'server', '--data-dir', dir], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const samples = new Map<string, Sample>();
    server.proc.on('message', (batch: Array<[string, number]>) => {
      for (const [key, t] of batch) {
        const s = samples.get(key);
        if (s) s.sent = t;
      }
    });
    const cpu0 = cpuMs(server.proc.pid!);
    const mainCpu0 = cpuMs(server.proc.pid!, server.proc.pid!); // the event loop's thread (its id is the pid)
    const run = await offer(server, server.url, { rate, duration, warmup, customers, tag: 'h' }, samples);
    // Wait (bounded) for the last replies to be delivered.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && run.measured.some((s) => s.sent === undefined && s.status === 201)) await sleep(50);
    // Server CPU over the whole load (warm-up included) per turn offered.
    const cpuPerTurnUs = ((cpuMs(server.proc.pid!) - cpu0) * 1000) / (rate * (warmup + duration));
    const mainCpuPerTurnUs = ((cpuMs(server.proc.pid!, server.proc.pid!) - mainCpu0) * 1000) / (rate * (warmup + duration));
    await server.stop();

    const acked = run.measured.filter((s) => s.status === 201);
    const turns = acked.filter((s) => s.sent !== undefined);
    const turnMs = turns.map((s) => s.sent! - s.t0);
    const ackMs = acked.map((s) => s.ack! - s.t0);
    const bareMs = base.measured.filter((s) => s.status === 201).map((s) => s.ack! - s.t0);
    const lastSent = Math.max(...turns.map((s) => s.sent!));
    const turnsPerSec = turns.length / ((lastSent - run.started) / 1000);
    const row = (name: string, xs: number[], n: number) => [name, n, fmt(quantile(xs, 0.5), 2), fmt(quantile(xs, 0.99), 2), fmt(Math.max(...xs), 1)];
    printTable(`End-to-end turn: offered ${rate}/s for ${duration} s (after ${warmup} s warm-up), ${customers} customers, instant responder`, [
      ['measure', 'n', 'p50 ms', 'p99 ms', 'max ms'],
      row('bare Hono round trip (baseline)', bareMs, bareMs.length),
      row('Habar inbound acknowledged (201)', ackMs, ackMs.length),
      row('Habar turn: inbound → reply sent', turnMs, turnMs.length),
    ]);
    console.log(`\noffered ${rate}/s; sent ${fmt(run.sentRate, 0)}/s; turns completed ${turns.length}/${run.measured.length} (non-201: ${run.measured.length - acked.length}); ${fmt(turnsPerSec, 0)} turns/s`);
    console.log(`server CPU per turn ${fmt(cpuPerTurnUs, 0)} µs in all threads, ${fmt(mainCpuPerTurnUs, 0)} µs on the event loop's thread (its core: at most ~${fmt(1e6 / mainCpuPerTurnUs, 0)} turns/s; the rest is the WAL checkpointer thread, GC and libuv); bare route ${fmt(bareCpuUs, 0)} µs per request`);
    console.log(`turn p99 / bare p99 = ${fmt(quantile(turnMs, 0.99) / quantile(bareMs, 0.99), 1)}×; turn p99 ${fmt(quantile(turnMs, 0.99), 1)} ms (target < 20 ms at 500 turns/s)`);
    console.log(machineLine());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Open-loop load: `rate` requests per second for warmup + duration seconds, each POST a new
 * message from one of `customers`. Returns the measured (post-warm-up) samples.
 */
async function offer(_child: Child, url: string, o: { rate: number; duration: number; warmup: number; customers: number; tag: string }, samples: Map<string, Sample>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(o.rate * (o.warmup + o.duration));
  const warm = Math.round(o.rate * o.warmup);
  const measured: Sample[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let started = 0;
  let i = 0;
  while (i < total) {
    // Send whatever the schedule says is due by now, then sleep a little.
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * o.rate) + 1);
    for (; i < due; i++) {
      const key = `${o.tag}${i}`;
      const s: Sample = { t0: epochMs() };
      if (i === warm) started = s.t0;
      if (i >= warm) {
        measured.push(s);
        samples.set(key, s);
      }
      pending.push(post(agent, url, JSON.stringify({ text: key, customer: `c${i % o.customers}`, message_id: key })).then((status) => {
        s.status = status;
        s.ack = epochMs();
      }));
    }
    await sleep(1);
  }
  const sentRate = (total - warm) / ((epochMs() - started) / 1000);
  await Promise.all(pending);
  agent.destroy();
  return { measured, started, sentRate };
}

function post(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(30_000, () => req.destroy());
    req.end(body);
  });
}
