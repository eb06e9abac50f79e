// Benchmark: the built-in inbox's pages over a big data file — 1,000,000 messages in 100,000
// conversations of one client — as an agent's browser asks for them over real HTTP.
//
//   node --import tsx scripts/bench-inbox.ts [-- --conversations 100000 --per 10 --runs 200]
//
// The real app (openHabar over a fresh data dir, log level warn) listens on 127.0.0.1; the data
// is generated straight into its SQLite file first (prepared statements in one transaction:
// generating a million rows through kysely one by one would take minutes, and only the indexes
// of the migrations are used). Then each page is requested `runs` times, one after another, as a
// signed-in agent. Target: list and thread pages p95 < 50 ms.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, machineLine, printTable, quantile, tempDir, timeRuns } from './lib/bench.ts';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    per: { type: 'string', default: '10' },
    runs: { type: 'string', default: '200' },
  },
});
const CONVERSATIONS = Number(args.conversations);
const PER = Number(args.per);
const RUNS = Number(args.runs);

const { loadBootConfig } = await import('../src/config/boot-config.ts');
const { openHabar } = await import('../src/app.ts');
const { newId } = await import('../src/lib/ids.ts');
const { createUser } = await import('../src/auth/index.ts');
const { DEMO_SLUG, findClient } = await import('../src/tenants/index.ts');
const { catchUpSearchIndex } = await import('../src/messaging/index.ts');

const dir = tempDir('habar-bench-inbox-');
const config = loadBootConfig({ 'data-dir': dir, host: '127.0.0.1', port: '0', 'log-level': 'warn', workers: 'false', 'backup-interval-hours': '0' }, {});
const app = await openHabar(config, { createKey: true, seed: true });
const { db, sqlite, clock } = app.ctx;
const demo = (await findClient(db, DEMO_SLUG))!;
const channel = await db.selectFrom('channel_accounts').select('id').where('client_id', '=', demo.id).executeTakeFirstOrThrow();

// --- data: CONVERSATIONS contacts and conversations, PER messages each, spread over 90 days.
let t = performance.now();
const start = Date.now() - 90 * 86_400_000;
const step = Math.floor((90 * 86_400_000) / (CONVERSATIONS * PER));
const insContact = sqlite.prepare(`insert into contacts (id, client_id, display_name, phone, tags, restricted, objected, minor, created_at, updated_at)
  values (?, ?, ?, ?, '[]', 0, 0, 0, ?, ?)`);
const insIdentity = sqlite.prepare(`insert into contact_identities (id, client_id, contact_id, channel_account_id, kind, value, created_at) values (?, ?, ?, ?, 'sandbox', ?, ?)`);
const insConv = sqlite.prepare(`insert into conversations (id, client_id, contact_id, channel_account_id, status, assignee_user_id, ai_state, ai_paused_until, unread_count,
  last_activity_at, last_inbound_at, last_auto_reply_at, resolved_at, created_at, updated_at) values (?, ?, ?, ?, ?, null, 'active', null, ?, ?, ?, null, null, ?, ?)`);
const insMsg = sqlite.prepare(`insert into messages (id, client_id, contact_id, conversation_id, channel_account_id, direction, author_kind, author_user_id, platform_message_id,
  text, attachments, status, error, in_flight_at, uncertain, created_at, sent_at, delivered_at, read_at, updated_at)
  values (?, ?, ?, ?, ?, ?, ?, null, ?, ?, '[]', ?, null, null, 0, ?, null, null, null, ?)`);
const WORDS = ['доставка', 'цена', 'заказ', 'оплата', 'сәлем', 'hello', 'размер', 'адрес', 'когда', 'спасибо'];
const ids: string[] = [];
sqlite.transaction(() => {
  for (let c = 0; c < CONVERSATIONS; c++) {
    const at0 = start + c * PER * step;
    const created = new Date(at0).toISOString();
    const contactId = newId(at0);
    insContact.run(contactId, demo.id, `Customer ${c}`, `+7701${String(c).padStart(7, '0')}`, created, created);
    insIdentity.run(newId(at0), demo.id, contactId, channel.id, `bench-${c}`, created);
    const convId = newId(at0);
    ids.push(convId);
    const last = new Date(at0 + (PER - 1) * step).toISOString();
    insConv.run(convId, demo.id, contactId, channel.id, ['open', 'pending', 'resolved'][c % 3], c % 4 === 0 ? 1 : 0, last, last, created, last);
    for (let m = 0; m < PER; m++) {
      const at = at0 + m * step;
      const iso = new Date(at).toISOString();
      const out = m % 2 === 1;
      insMsg.run(newId(at), demo.id, contactId, convId, channel.id, out ? 'out' : 'in', out ? 'agent' : 'contact', out ? null : `bench-${c}-${m}`,
        `${WORDS[(c + m) % WORDS.length]} ${WORDS[(c * 7 + m) % WORDS.length]} #${c}-${m}`, out ? 'sent' : 'delivered', iso, iso);
    }
  }
})();
// Messages reach the search index in bulk after they are stored (migration 0008); a running server's
// job `search.index` does it as they arrive, so the timed searches start with nothing pending.
await catchUpSearchIndex(db);
sqlite.exec('analyze');
const genSeconds = (performance.now() - t) / 1000;
sqlite.pragma('wal_checkpoint(TRUNCATE)');
const fileMb = fs.statSync(path.join(dir, 'habar.db')).size / 1024 / 1024;

// --- an agent's session over real HTTP.
const url = await app.listen();
const agent = await createUser(db, clock, { email: 'bench-agent@example.kz', role: 'agent', clientId: demo.id, password: 'bench password long enough' });
const loginPage = await fetch(`${url}/login`);
const cookies = new Map<string, string>();
const keep = (res: Response) => { for (const c of res.headers.getSetCookie()) { const [pair] = c.split(';'); const i = pair.indexOf('='); cookies.set(pair.slice(0, i), pair.slice(i + 1)); } };
keep(loginPage);
const csrf = (await loginPage.text()).match(/name="_csrf" value="([^"]+)"/)![1];
const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const login = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email: agent.email, password: 'bench password long enough' }) });
keep(login);
if (login.status !== 303) throw new Error(`login failed: ${login.status}`);

const base = `${url}/clients/${DEMO_SLUG}/inbox`;
async function get(path: string): Promise<void> {
  const res = await fetch(`${base}${path}`, { headers: { cookie: cookie() } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  await res.arrayBuffer();
}
const firstPage = await (await fetch(base, { headers: { cookie: cookie() } })).text();
const cursor = firstPage.match(/cursor=([A-Za-z0-9_-]+)/)?.[1];
const pick = (i: number) => ids[(i * 7919) % ids.length];

const cases: Array<[string, (i: number) => Promise<void>, boolean]> = [
  ['list page (newest first)', () => get(''), true],
  ['list, status=pending', () => get('?status=pending'), true],
  ['list, unread only', () => get('?unread=1'), true],
  ['list, second page (cursor)', () => get(`?cursor=${cursor}`), true],
  ['list fragment (live refresh)', () => get('?part=list'), true],
  ['thread page (list + thread)', (i) => get(`/${pick(i)}`), true],
  ['thread messages fragment', (i) => get(`/${pick(i)}?part=messages`), true],
  ['search by phone digits (no target)', (i) => get(`?q=${String(7010000000 + ((i * 7919) % CONVERSATIONS)).slice(-7)}`), false],
  ['search by text (no target)', (i) => get(`?q=${encodeURIComponent(`#${(i * 7919) % CONVERSATIONS}-3`)}`), false],
  ['search by contact name (no target)', (i) => get(`?q=${encodeURIComponent(`Customer ${(i * 7919) % CONVERSATIONS}`)}`), false],
  ['search by a common word (many hits)', (i) => get(`?q=${encodeURIComponent(['доставка', 'сәлем', 'hello'][i % 3])}`), false],
  ['search, two letters (LIKE path)', () => get(`?q=${encodeURIComponent('zq')}`), false],
];
const rows: Array<Array<string | number>> = [['page', 'runs', 'p50 ms', 'p95 ms', 'p99 ms', 'target p95 < 50 ms']];
for (const [name, fn, targeted] of cases) {
  const runs = targeted ? RUNS : Math.max(5, Math.floor(RUNS / 20));
  const d = await timeRuns(runs, fn, targeted ? 10 : 1);
  const p95 = quantile(d, 0.95);
  rows.push([name, runs, fmt(quantile(d, 0.5)), fmt(p95), fmt(quantile(d, 0.99)), targeted ? (p95 < 50 ? 'met' : 'MISSED') : '—']);
}
console.log(machineLine());
console.log(`data: ${CONVERSATIONS.toLocaleString('en')} conversations, ${(CONVERSATIONS * PER).toLocaleString('en')} messages, generated in ${fmt(genSeconds)} s; data file ${fmt(fileMb)} MB`);
printTable('Inbox pages over real HTTP, one request at a time (a signed-in agent)', rows);
await app.close();
