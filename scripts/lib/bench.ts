// Small helpers shared by the benchmarks (scripts/bench-*.ts): child processes that announce
// their URL, percentiles, a free loopback port, and a plain-text table. Measurement tools only:
// nothing here asserts; every loop is bounded and every child is stopped by its parent.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The project's Node 24 (system node may be older). */
export const NODE = path.join(ROOT, 'node_modules', '.bin', 'node');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A free TCP port on 127.0.0.1 (bound and released; fine on a quiet machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

let signalsHandled = false;
/** Ctrl-C or SIGTERM end the parent through process.exit, so that its 'exit' guards stop the children. */
function exitOnSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}

export interface Child {
  proc: ChildProcess;
  /** The URL the child printed on a `listening: <url>` line. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Spawns a process and resolves once it prints `listening: <url>` on stdout (within `timeoutMs`).
 * Its stderr is passed through (servers log warnings there). `stop()` sends SIGTERM and waits.
 */
export function spawnListening(cmd: string, args: string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<Child> {
  const proc = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  // Never leave a server behind: if this process ends first (an error, Ctrl-C), so does the child.
  exitOnSignals();
  const orphanGuard = () => proc.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => { process.off('exit', orphanGuard); r(code); }));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    if (proc.exitCode) console.error(`warning: ${path.basename(cmd)} exited with code ${proc.exitCode} when stopped`);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`${path.basename(cmd)} did not print "listening:" in time`)); }, opts.timeoutMs ?? 60_000);
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.match(/^listening: (\S+)$/m);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1], stop });
      }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${path.basename(cmd)} exited with ${code} before listening`)); });
  });
}

/** The q-quantile (0..1) of a list of numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values: number[]) => quantile(values, 0.5);

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
export const pct = (ratio: number) => `${fmt(ratio * 100, 0)} %`;

/** Prints rows as an aligned plain-text table (first row is the header). */
export function printTable(title: string, rows: Array<Array<string | number>>): void {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** Times `fn` `n` times (after `warmup` untimed runs); returns the durations in ms. */
export async function timeRuns(n: number, fn: (i: number) => Promise<unknown>, warmup = 10): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

/** Milliseconds since the epoch with sub-ms resolution, comparable across processes on one machine. */
export const epochMs = () => performance.timeOrigin + performance.now();

/**
 * The baseline server: Hono on @hono/node-server (the same stack Habar uses), one POST route that
 * does nothing but answer 201 with a small JSON body. Prints `listening: <url>`; SIGTERM stops it.
 */
export async function runBareHono(route = '/c/:token/messages'): Promise<void> {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  app.post(route, (c) => c.json({ id: 'bare' }, 201));
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log(`listening: http://127.0.0.1:${info.port}`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

/** One line saying how busy the machine was (other work on these 2 cores skews every figure). */
export function machineLine(): string {
  const [l1, l5] = os.loadavg();
  return `machine: ${os.cpus().length} cores, load average ${l1.toFixed(2)} (1 min) ${l5.toFixed(2)} (5 min), Node ${process.version}`;
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux; clock ticks of
 * 10 ms). Differences over a run say what each request cost, however busy the machine was.
 */
export function cpuMs(pid: number, thread?: number): number {
  const fields = fs.readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
}
