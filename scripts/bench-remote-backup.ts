// Benchmark: an off-site backup of a large data file — the snapshot (SQLite's online backup) and
// the compressed, encrypted, multipart upload — and what it costs the server meanwhile.
//
//   npm run bench:remote-backup [-- --mb 1024 --rate 200]
//
// Two processes on 127.0.0.1: the S3 stand-in in a child (keeping no bytes, so its memory is not
// counted here), and this one: the real app (openHabar over a fresh data dir grown to --mb with
// generated rows) serving in-process requests at a fixed offered rate (open loop) while the
// backup runs. Figures: wall time of snapshot and upload, peak RSS during the backup (it should
// stay far below the file size: the upload is streamed), and the request latency p99 and the
// event-loop delay p99/max with the backup running, against the same load without it.
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { NODE, ROOT, fmt, machineLine, printTable, quantile, spawnListening, tempDir } from './lib/bench.ts';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string' }, // internal: "s3" runs the stand-in in a child process
    mb: { type: 'string', default: '1024' },
    rate: { type: 'string', default: '200' },
  },
});

if (args.role === 's3') {
  const { startS3StandIn } = await import('../src/testing/s3-stand-in.ts');
  const s3 = await startS3StandIn({ discardBodies: true });
  console.log(`listening: ${s3.endpoint}`);
} else {
  await main();
}

/** Grows the data file to about `mb` MB with message-like rows (text that compresses about as chat does). */
function grow(sqlite: import('better-sqlite3').Database, mb: number) {
  sqlite.exec('CREATE TABLE IF NOT EXISTS bench_ballast (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = sqlite.prepare('INSERT INTO bench_ballast (body) VALUES (?)');
  const words = Array.from({ length: 4000 }, () => randomBytes(3 + (Math.random() * 6) | 0).toString('base64url'));
  const row = () => Array.from({ length: 150 }, () => words[(Math.random() * words.length) | 0]).join(' ');
  const rowsPerMb = 1024 * 1024 / 1000;
  const many = sqlite.transaction((n: number) => { for (let i = 0; i < n; i++) insert.run(row()); });
  for (let done = 0; done < mb; done += 16) many(Math.round(16 * rowsPerMb));
}

/** Offers `rate` requests/s to the app (open loop) until `until` resolves; returns each latency (ms). */
async function load(request: (p: string) => Promise<Response>, rate: number, until: Promise<unknown>): Promise<number[]> {
  const lat: number[] = [];
  const pending: Promise<void>[] = [];
  let stop = false;
  void until.then(() => (stop = true));
  const start = performance.now();
  for (let i = 0; !stop; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(request('/healthz').then(async (res) => { await res.arrayBuffer(); lat.push(Math.max(0, performance.now() - due)); }));
  }
  await Promise.all(pending);
  return lat;
}

async function main() {
  const mb = Number(args.mb);
  const rate = Number(args.rate);
  const s3 = await spawnListening(NODE, ['--import', 'tsx', path.join(ROOT, 'scripts', 'bench-remote-backup.ts'), '--role', 's3']);
  const dir = tempDir('habar-bench-backup-');
  try {
    const { loadBootConfig } = await import('../src/config/boot-config.ts');
    const { openHabar } = await import('../src/app.ts');
    const { backupTo } = await import('../src/db/index.ts');
    const { openObjectStore, uploadBackupFile, backupKeyOf } = await import('../src/backups/index.ts');
    const config = loadBootConfig({ 'data-dir': dir, port: '0', 'log-level': 'warn', workers: 'false', 'backup-interval-hours': '0' }, {});
    const app = await openHabar(config, { createKey: true, seed: true });
    const t0 = performance.now();
    grow(app.ctx.sqlite, mb);
    app.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const fileMb = fs.statSync(path.join(dir, 'habar.db')).size / 1048576;
    console.log(`generated a ${fmt(fileMb, 0)} MB data file in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    const request = (p: string) => Promise.resolve(app.http.request(`http://localhost${p}`));

    // The same load without a backup, for as long as the backup will take (measured below): first a fixed 20 s.
    const idleDelay = monitorEventLoopDelay({ resolution: 1 });
    idleDelay.enable();
    const idle = await load(request, rate, new Promise((r) => setTimeout(r, 20_000)));
    idleDelay.disable();

    const target = { endpoint: s3.url, region: '', bucket: 'habar-backups', prefix: 'bench', accessKey: 'HABARTESTKEY', secretKey: 'habar-test-secret' };
    const store = openObjectStore(target);
    // A running server has loaded the S3 client's modules before (the settings check): so does this one.
    await store.list('bench/');
    const snapshotFile = path.join(dir, 'backups', 'bench-snapshot.db');
    const rssBefore = process.memoryUsage.rss();
    let peakRss = rssBefore;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 20);
    const busyDelay = monitorEventLoopDelay({ resolution: 1 });
    const times: Record<string, number> = {};
    const backup = (async () => {
      const a = performance.now();
      await backupTo(app.ctx.sqlite, snapshotFile);
      times.snapshot = performance.now() - a;
      const b = performance.now();
      const done = await uploadBackupFile(target, backupKeyOf(app.ctx.vault), snapshotFile, new Date());
      times.upload = performance.now() - b;
      times.objectMb = done.manifest.object_size / 1048576;
    })();
    busyDelay.enable();
    const busy = await load(request, rate, backup);
    busyDelay.disable();
    await backup;
    clearInterval(sampler);
    store.close();

    const ms = (h: ReturnType<typeof monitorEventLoopDelay>, q: number) => (q === 1 ? h.max : h.percentile(q * 100)) / 1e6;
    printTable(`Off-site backup of a ${fmt(fileMb, 0)} MB data file (object ${fmt(times.objectMb, 0)} MB), in-process load ${rate} req/s`, [
      ['', 'value'],
      ['snapshot (online backup), s', fmt(times.snapshot / 1000, 1)],
      ['compress + encrypt + upload, s', fmt(times.upload / 1000, 1)],
      ['RSS before the backup, MB', fmt(rssBefore / 1048576, 0)],
      ['peak RSS during the backup, MB', fmt(peakRss / 1048576, 0)],
    ]);
    printTable('Main thread while serving', [
      ['', 'requests', 'latency p50 ms', 'latency p99 ms', 'event-loop delay p99 ms', 'event-loop delay max ms'],
      ['no backup', idle.length, fmt(quantile(idle, 0.5), 2), fmt(quantile(idle, 0.99), 2), fmt(ms(idleDelay, 0.99), 1), fmt(ms(idleDelay, 1), 1)],
      ['backup running', busy.length, fmt(quantile(busy, 0.5), 2), fmt(quantile(busy, 0.99), 2), fmt(ms(busyDelay, 0.99), 1), fmt(ms(busyDelay, 1), 1)],
    ]);
    console.log(machineLine());
    await app.close();
  } finally {
    await s3.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
