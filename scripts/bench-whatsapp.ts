// Benchmark: many WhatsApp numbers on one appliance.
//
//   npm run bench:whatsapp [-- --numbers 100,500 --messages 10 --soak-rounds 30]
//
// Each size runs in a fresh child process (so RSS is that size's alone): the real app (its data
// file in a temp dir, workers off so only the connector and ingest run), then N WhatsApp numbers,
// each a real Baileys makeWASocket with its own supervisor, sealed auth state and key cache,
// pointed (waWebSocketUrl) at a silent local WebSocket server (it accepts the upgrade and never
// answers, so every socket stays in its handshake, as with a slow WhatsApp). Replayed
// `messages.upsert` events on the real sockets' event emitters feed a steady stream of customer
// messages through the adapter and the ingest pipeline into SQLite.
// Baileys loads with the first number (the empty appliance does not load it), so its own ~50 MB
// is in the per-number figure, spread over the numbers.
// Figures: RSS per number (minus the empty appliance, after GC), CPU per message (process CPU over
// the stream / messages), and RSS after a soak: `--soak-rounds` rounds of one message per number,
// standing in for an hour of traffic, sampled after GC (flat = no growth). Target: ≤ 5 MB a number.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openHabar } from '../src/app.ts';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { CHANNEL_DRIVERS, createChannelAccount } from '../src/channels/index.ts';
import { makeWhatsappDriver, type WaSocket } from '../src/channels/whatsapp/index.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { createClient } from '../src/tenants/index.ts';
import { NODE, ROOT, fmt, machineLine, printTable, tempDir } from './lib/bench.ts';

const TARGET_MB = 5;
const MB = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    role: { type: 'string' }, // internal: "run" measures one size in this (child) process
    numbers: { type: 'string', default: '100,500' },
    messages: { type: 'string', default: '10' }, // stream: messages per number
    'soak-rounds': { type: 'string', default: '30' },
  },
});

interface Figures { numbers: number; baseMb: number; rssMb: number; perNumberMb: number; cpuUsPerMsg: number; msgs: number; soak: number[]; soakHeap: number[]; connected: number }

/** A WebSocket server that accepts the upgrade and then says nothing (RFC 6455 handshake only). */
function silentServer(): Promise<{ url: string; connections: () => number; close(): void }> {
  let n = 0;
  const held = new Set<import('node:stream').Duplex>();
  const server = http.createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req, socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.on('data', () => {}); // read and drop the client's frames
    socket.on('error', () => {});
    held.add(socket);
    socket.on('close', () => held.delete(socket));
    n++;
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as import('node:net').AddressInfo;
    resolve({ url: `ws://127.0.0.1:${port}/ws/chat`, connections: () => n, close: () => { for (const s of held) s.destroy(); server.close(); } });
  }));
}

const rssMb = () => process.memoryUsage().rss / MB;
async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
  return rssMb();
}
const until = async (ok: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await ok()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
};

async function measure(numbers: number, perNumber: number, soakRounds: number): Promise<Figures> {
  const server = await silentServer();
  const dir = tempDir('habar-bench-wa-');
  const sockets: WaSocket[] = [];
  const driver = makeWhatsappDriver({ waWebSocketUrl: server.url, connectTimeoutMs: 3_600_000, onSocket: (s) => void sockets.push(s), typing: { msPerChar: 0, minMs: 0, maxMs: 0 } });
  const config = loadBootConfig({ 'data-dir': dir, port: '0', workers: 'false', 'backup-interval-hours': '0' }, {});
  const app = await openHabar(config, { createKey: true, seed: true, log: silentLogger, channelDrivers: CHANNEL_DRIVERS.map((d) => (d.kind === 'whatsapp' ? driver : d)) });
  try {
    const { db, clock, vault } = app.ctx;
    const client = await createClient(db, clock, { slug: 'bench-wa', name: 'Bench' });
    await app.ctx.channels.start();
    const baseMb = await settledRss();

    const accounts = [];
    for (let i = 0; i < numbers; i++) accounts.push(await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'whatsapp', name: `Number ${i}` }, app.ctx.channels.registry));
    for (const a of accounts) await app.ctx.channels.startAccount(a);
    await until(() => server.connections() >= numbers, 60_000);
    const rssMbN = await settledRss();

    let seq = 0;
    const count = async () => Number((await db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const round = async () => {
      const before = await count();
      for (const [i, s] of sockets.entries()) {
        const id = `BENCH${++seq}`;
        const customer = `7701${String(i).padStart(4, '0')}${String(seq % 5).padStart(3, '0')}@s.whatsapp.net`;
        (s.ev as unknown as { emit(e: string, d: unknown): void }).emit('messages.upsert', {
          type: 'notify', messages: [{ key: { id, remoteJid: customer, fromMe: false }, message: { conversation: `Hello, order ${seq}?` }, pushName: 'Customer', messageTimestamp: 1765000000 }],
        });
      }
      await until(async () => (await count()) >= before + sockets.length, 120_000);
      if ((await count()) < before + sockets.length) throw new Error('the replayed messages were not all stored within 2 minutes');
    };
    const cpu0 = process.cpuUsage();
    for (let r = 0; r < perNumber; r++) await round();
    const cpu = process.cpuUsage(cpu0);
    const msgs = perNumber * sockets.length;

    const heapMb = () => process.memoryUsage().heapUsed / MB;
    const soak: number[] = [await settledRss()];
    const soakHeap: number[] = [heapMb()];
    for (let r = 1; r <= soakRounds; r++) {
      await round();
      if (r % Math.max(1, Math.floor(soakRounds / 6)) === 0) {
        soak.push(await settledRss());
        soakHeap.push(heapMb());
      }
    }
    return {
      numbers, baseMb, rssMb: rssMbN, perNumberMb: (rssMbN - baseMb) / numbers, cpuUsPerMsg: (cpu.user + cpu.system) / msgs, msgs, soak, soakHeap, connected: server.connections(),
    };
  } finally {
    await app.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Entry (after the definitions above: top-level await would reach them before their initialisation).
if (args.role === 'run') {
  const f = await measure(Number(args.numbers), Number(args.messages), Number(args['soak-rounds']));
  process.stdout.write(`RESULT ${JSON.stringify(f)}\n`);
  process.exit(0);
} else {
  console.log(machineLine());
  const rows: Array<Array<string | number>> = [['numbers', 'empty app RSS MB', 'RSS MB', 'RSS/number MB', 'CPU/message µs', 'soak RSS MB first → last (min..max)', `≤ ${TARGET_MB} MB`]];
  for (const n of args.numbers!.split(',').map(Number)) {
    const out = execFileSync(NODE, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'scripts', 'bench-whatsapp.ts'), '--role', 'run', '--numbers', String(n), '--messages', args.messages!, '--soak-rounds', args['soak-rounds']!],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * MB, env: { ...process.env, HABAR_LOG_LEVEL: 'error' } });
    const f = JSON.parse(out.split('\n').find((l) => l.startsWith('RESULT '))!.slice(7)) as Figures;
    rows.push([n, fmt(f.baseMb), fmt(f.rssMb), fmt(f.perNumberMb, 2), fmt(f.cpuUsPerMsg, 0), `${fmt(f.soak[0])} → ${fmt(f.soak.at(-1)!)} (${fmt(Math.min(...f.soak))}..${fmt(Math.max(...f.soak))})`, f.perNumberMb <= TARGET_MB ? 'yes' : 'NO']);
    console.log(`${n} numbers: ${f.connected} sockets reached the server; ${f.msgs} messages streamed; soak RSS samples (MB): ${f.soak.map((x) => fmt(x)).join(' ')}; JS heap used (MB): ${f.soakHeap.map((x) => fmt(x)).join(' ')}`);
  }
  printTable('WhatsApp numbers on one appliance (real Baileys sockets, silent local server)', rows);
}
