// Benchmark: billing. (1) Rolling up 1,000,000 usage events of one month across 100 clients:
// time and peak memory. (2) The usage page over a year of daily rollups for 100 clients, as the
// operator's browser asks for it over real HTTP: p95 render time.
//
//   node --import tsx scripts/bench-billing.ts [-- --events 1000000 --clients 100 --runs 200]
//
// The events and the year of counters are generated straight into the SQLite file (prepared
// statements in one transaction); the rollup and the pages are the real code.
import { parseArgs } from 'node:util';
import { fmt, machineLine, printTable, quantile, tempDir, timeRuns } from './lib/bench.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '100' },
    runs: { type: 'string', default: '200' },
  },
});
const EVENTS = Number(args.events);
const CLIENTS = Number(args.clients);
const RUNS = Number(args.runs);

const { loadBootConfig } = await import('../src/config/boot-config.ts');
const { openHabar } = await import('../src/app.ts');
const { createUser } = await import('../src/auth/index.ts');
const { createClient } = await import('../src/tenants/index.ts');
const { rollupUsage, addDays, localDay } = await import('../src/billing/index.ts');

const dir = tempDir('habar-bench-billing-');
const config = loadBootConfig({ 'data-dir': dir, host: '127.0.0.1', port: '0', 'log-level': 'warn', workers: 'false', 'backup-interval-hours': '0' }, {});
const app = await openHabar(config, { createKey: true, seed: false });
const { db, sqlite, clock } = app.ctx;
const clients: Array<{ id: string; slug: string }> = [];
for (let i = 0; i < CLIENTS; i++) clients.push(await createClient(db, clock, { slug: `bench-${i}`, name: `Bench ${i}` }));

// --- (1) EVENTS usage events over the last 30 days, spread over the clients, channels and kinds.
let t = performance.now();
const KINDS = ['inbound_message', 'outbound_message', 'ai_call', 'api_call'];
const ins = sqlite.prepare('INSERT INTO usage_events (id, client_id, kind, channel_account_id, quantity, meta, at) VALUES (?, ?, ?, ?, 1, ?, ?)');
const from = Date.now() - 30 * 86_400_000;
sqlite.transaction(() => {
  for (let i = 0; i < EVENTS; i++) {
    const kind = KINDS[i % 4];
    const c = clients[i % CLIENTS];
    const meta = kind === 'ai_call' ? `{"tokens_in":${300 + (i % 500)},"tokens_out":${50 + (i % 200)}}` : '{}';
    ins.run(`e${i}`, c.id, kind, kind.endsWith('message') ? `${c.id}-ch${i % 2}` : null, meta, new Date(from + Math.floor((i / EVENTS) * 30 * 86_400_000)).toISOString());
  }
})();
const genSeconds = (performance.now() - t) / 1000;
const rssBefore = process.resourceUsage().maxRSS / 1024;
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
t = performance.now();
const r = await rollupUsage(db, clock);
const rollupSeconds = (performance.now() - t) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const again = performance.now();
await rollupUsage(db, clock);
const againMs = performance.now() - again;

// --- (2) a year of daily counters for every client (2 channels, 6 kinds a day), then the usage page.
t = performance.now();
const insDaily = sqlite.prepare('INSERT OR REPLACE INTO usage_daily (client_id, day, channel_account_id, kind, quantity) VALUES (?, ?, ?, ?, ?)');
const today = localDay(new Date(), 'Asia/Almaty');
let dailyRows = 0;
sqlite.transaction(() => {
  for (const c of clients) {
    for (let d = 0; d < 365; d++) {
      const day = addDays(today, -d);
      for (const ch of ['ch-a', 'ch-b']) { insDaily.run(c.id, day, `${c.id}-${ch}`, 'message_in', 40 + d % 17); insDaily.run(c.id, day, `${c.id}-${ch}`, 'message_out', 35 + d % 13); dailyRows += 2; }
      for (const [k, q] of [['ai_call', 20], ['ai_tokens_in', 9000], ['ai_tokens_out', 2000], ['api_call', 300]] as const) { insDaily.run(c.id, day, '', k, q + d % 7); dailyRows++; }
    }
  }
})();
sqlite.exec('analyze');
const dailySeconds = (performance.now() - t) / 1000;

const url = await app.listen();
const admin = await createUser(db, clock, { email: 'bench-admin@example.kz', role: 'admin', clientId: null, password: 'bench password long enough' });
const cookies = new Map<string, string>();
const keep = (res: Response) => { for (const c of res.headers.getSetCookie()) { const [pair] = c.split(';'); const i = pair.indexOf('='); cookies.set(pair.slice(0, i), pair.slice(i + 1)); } };
const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const loginPage = await fetch(`${url}/login`);
keep(loginPage);
const csrf = (await loginPage.text()).match(/name="_csrf" value="([^"]+)"/)![1];
const login = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email: admin.email, password: 'bench password long enough' }) });
keep(login);
if (login.status !== 303) throw new Error(`login failed: ${login.status}`);
const months = Array.from({ length: 12 }, (_, i) => { const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() - i); return d.toISOString().slice(0, 7); });
const page = async (i: number) => {
  const c = clients[(i * 37) % CLIENTS];
  const res = await fetch(`${url}/clients/${c.slug}/usage?month=${months[i % 12]}`, { headers: { cookie: cookie() } });
  if (res.status !== 200) throw new Error(`usage page: ${res.status}`);
  await res.arrayBuffer();
};
const times = await timeRuns(RUNS, page, 10);

console.log(machineLine());
printTable('Rollup of usage events (real rollupUsage over the SQLite file)', [
  ['what', 'figure'],
  ['events', EVENTS], ['clients', CLIENTS], ['generated in (s)', fmt(genSeconds)],
  ['rollup (s)', fmt(rollupSeconds, 2)], ['events/s', fmt(EVENTS / rollupSeconds, 0)], ['days recomputed', r.days],
  ['peak RSS during rollup (MB)', fmt(peak / 1024 / 1024)], ['max RSS before rollup (MB)', fmt(rssBefore)],
  ['second run, nothing new (ms)', fmt(againMs)],
]);
printTable(`Usage page over HTTP (a year of daily rollups for ${CLIENTS} clients: ${dailyRows} rows, generated in ${fmt(dailySeconds)} s), one request at a time`, [
  ['page', 'p50 ms', 'p95 ms', 'p99 ms', 'target'],
  ['/clients/<slug>/usage?month=…', fmt(quantile(times, 0.5)), fmt(quantile(times, 0.95)), fmt(quantile(times, 0.99)), 'reported'],
]);
await app.close();
