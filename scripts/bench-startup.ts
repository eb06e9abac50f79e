// Benchmark: the single executable's size and its cold start to a 200 from /readyz.
//
//   npm run bench:startup [-- --runs 5]
//
// Builds the executable into a temp folder (scripts/build-sea.ts), then starts it `runs` times
// with an empty environment (as `env -i` would) on 127.0.0.1: on an empty data dir (each run a
// new one: creates the file, the key, the admin and the demo client) and on an existing one.
// The clock runs from spawn to the first 200 from GET /readyz (polled every 5 ms). Baselines, in
// the same script and environment: a bare Hono hello-world started with `node -e` (the same
// Node 24), and Habar from source through tsx for comparison. Reports medians.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NODE, ROOT, fmt, freePort, machineLine, median, printTable, tempDir } from './lib/bench.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(args.runs);

const BARE_HONO = [
  "const { Hono } = require('hono');",
  "const { serve } = require('@hono/node-server');",
  'const app = new Hono();',
  "app.get('/readyz', (c) => c.json({ status: 'ready' }));",
  "serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[1]) });",
  "process.once('SIGTERM', () => process.exit(0));",
].join('\n');

const work = tempDir('habar-bench-startup-');
try {
  const bin = path.join(work, 'habar');
  const t = performance.now();
  try {
    execFileSync(NODE, ['--import', 'tsx', path.join(ROOT, 'scripts', 'build-sea.ts'), '--out', bin], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // The build's own output only when it failed (strip and postject warn a lot otherwise).
    process.stderr.write((err as { stderr?: Buffer }).stderr ?? '');
    throw err;
  }
  const buildSeconds = (performance.now() - t) / 1000;
  const size = fs.statSync(bin).size;

  const existing = path.join(work, 'data-existing');
  await coldStart(bin, ['serve', '--data-dir', existing], {}); // creates it (not counted)
  const rows: Array<[string, number[]]> = [];
  rows.push(['bare Hono hello world (node -e)', await repeat(() => coldStart(NODE, ['-e', BARE_HONO], {}, true))]);
  let n = 0;
  rows.push(['habar binary, empty data dir', await repeat(() => coldStart(bin, ['serve', '--data-dir', path.join(work, `data-empty-${n++}`)], {}))]);
  rows.push(['habar binary, existing data dir', await repeat(() => coldStart(bin, ['serve', '--data-dir', existing], {}))]);
  rows.push(['habar from source (tsx), existing data dir', await repeat(() => coldStart(NODE, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts'), 'serve', '--data-dir', existing], {}))]);

  const baseline = median(rows[0][1]);
  printTable(`Cold start to 200 from /readyz, env -i, median of ${RUNS}`, [
    ['process', 'median ms', 'min ms', 'max ms', '× bare Hono'],
    ...rows.map(([name, ms]) => [name, fmt(median(ms), 0), fmt(Math.min(...ms), 0), fmt(Math.max(...ms), 0), fmt(median(ms) / baseline, 1)]),
  ]);
  console.log(`\nbinary: ${fmt(size / 2 ** 20, 1)} MiB (${size} bytes), built in ${fmt(buildSeconds, 1)} s`);
  console.log(machineLine());
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

async function repeat(fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) out.push(await fn());
  return out;
}

/**
 * Spawns the server with an empty environment and returns the ms until /readyz answered 200;
 * then stops it (SIGTERM) and waits for it to exit. `portArg` passes the port as the last
 * argument (the bare server); otherwise as --port.
 */
async function coldStart(cmd: string, argv: string[], env: NodeJS.ProcessEnv, portArg = false): Promise<number> {
  const port = await freePort();
  const full = portArg ? [...argv, String(port)] : [...argv, '--host', '127.0.0.1', '--port', String(port)];
  const started = performance.now();
  // The binary runs from a folder with nothing in it; node needs the project's node_modules.
  const proc = spawn(cmd, full, { cwd: cmd === NODE ? ROOT : work, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${path.basename(cmd)} exited with ${proc.exitCode}: ${stderr.slice(0, 500)}`);
      if (performance.now() - started > 30_000) throw new Error(`${path.basename(cmd)}: no 200 from /readyz within 30 s`);
      if ((await status(port)) === 200) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    proc.kill('SIGTERM');
    await exited;
  }
}

function status(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}
