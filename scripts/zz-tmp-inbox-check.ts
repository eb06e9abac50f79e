// Benchmark: the built-in inbox over 1,000,000 messages in 100,000 conversations.
//
//   npm run bench:inbox [-- --conversations 100000 --per-conversation 10 --requests 200]
//
// One process: the real app (openHabar over a fresh data dir in a temp folder, workers off, log
// level warn) with the data generated straight into its SQLite file, then the real routes called
// through app.request() (the whole Hono stack: session, tenant check, queries, hono/jsx render)
// as a logged-in owner of the client. Each page is requested `--requests` times in a row and
// reported as p50/p95, next to baselines in the same process: a `SELECT 1` and a primary-key
// lookup through kysely, and GET /healthz through the same HTTP stack. Target: p95 < 50 ms.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { fmt, machineLine, printTable, quantile, tempDir, timeRuns } from './lib/bench.ts';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { openHabar, type Habar } from '../src/app.ts';
import { createUser } from '../src/auth/index.ts';
import { DEMO_SLUG, getClient } from '../src/tenants/index.ts';
import { listInbox } from '../src/messaging/index.ts';
import { newId } from '../src/lib/ids.ts';
import { CookieJar, csrfFrom } from '../src/testing/test-app.ts';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    'per-conversation': { type: 'string', default: '10' },
    requests: { type: 'string', default: '200' },
    'keep-data': { type: 'boolean' },
  },
});
const CONVERSATIONS = Number(args.conversations);
const PER_CONVERSATION = Number(args['per-conversation']);
const REQUESTS = Number(args.requests);
const PASSWORD = 'bench inbox password 2026';

const FIRST = ['Айгерим', 'Нурлан', 'Асель', 'Ерлан', 'Дана', 'Арман', 'Мария', 'Иван', 'Aliya', 'Daniyar', 'Olga', 'Timur', 'Zhanna', 'Sergey', 'Madina', 'Ruslan', 'Gulnara', 'Alexei', 'Saule', 'Marat'];
const LAST = Array.from({ length: 50 }, (_, i) => (i % 2 ? `Surname${i}` : `Фамилия${i}`));
const TEXTS = ['Здравствуйте! Сколько стоит доставка?', 'Сәлеметсіз бе, тапсырыс қашан келеді?', 'Hello, is the order ready?', 'Спасибо, жду', 'Can I pay by card?', 'Где ваш магазин?'];

const dir = tempDir('habar-bench-inbox-');
const config = loadBootConfig({ 'data-dir': dir, port: '0', 'log-level': 'warn', workers: 'false', 'backup-interval-hours': '0' }, {});
const app = await openHabar(config, { createKey: true, seed: true });
try {
  await run(app);
} finally {
  await app.close();
  if (args['keep-data']) console.log(`data dir kept: ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

async function run(app: Habar) {
  const { db, clock } = app.ctx;
  const client = await getClient(db, DEMO_SLUG);
  const channel = await db.selectFrom('channel_accounts').select('id').where('client_id', '=', client.id).executeTakeFirstOrThrow();
  const t0 = performance.now();
  const ids = generate(app, client.id, channel.id);
  const genSeconds = (performance.now() - t0) / 1000;
  const dbBytes = fs.statSync(path.join(dir, 'habar.db')).size + (fs.existsSync(path.join(dir, 'habar.db-wal')) ? fs.statSync(path.join(dir, 'habar.db-wal')).size : 0);
  console.log(`generated ${CONVERSATIONS * PER_CONVERSATION} messages in ${CONVERSATIONS} conversations in ${fmt(genSeconds, 1)} s (data file ${fmt(dbBytes / 2 ** 20, 0)} MB)`);

  const email = 'owner@bench.example.kz';
  await createUser(db, clock, { email, role: 'owner', clientId: client.id, password: PASSWORD });
  const jar = await login(app, email);
  const get = async (p: string) => {
    const headers = new Headers({ cookie: jar.header() });
    const res = await app.http.request(`http://localhost${p}`, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${body.slice(0, 200)}`);
    return body;
  };

  // A cursor 50,000 conversations deep, reached by paging through the domain query.
  let deep: string | null = null;
  for (let seen = 0; seen < Math.min(50_000, CONVERSATIONS - 100); seen += 200) {
    deep = (await listInbox(db, { clientId: client.id, cursor: deep ?? undefined, limit: 200 })).nextCursor;
  }
  const base = `/clients/${DEMO_SLUG}/inbox`;
  const common = LAST[7]; // on 2 % of the contacts
  const rare = `${FIRST[3]} ${LAST[11]}`; // one name in 1,000
  const pick = (i: number) => ids[(i * 7919) % ids.length];
  const msgId = app.ctx.sqlite.prepare('SELECT id FROM messages ORDER BY rowid DESC LIMIT 1').get() as { id: string };

  const cases: Array<[string, (i: number) => Promise<unknown>]> = [
    ['baseline: SELECT 1 (kysely)', () => sql`SELECT 1`.execute(db)],
    ['baseline: message by primary key (kysely)', () => db.selectFrom('messages').selectAll().where('id', '=', msgId.id).executeTakeFirst()],
    ['baseline: GET /healthz (same HTTP stack)', () => app.http.request('http://localhost/healthz').then((r) => r.text())],
    ['list: first page', () => get(base)],
    ['list: page 50,000 conversations deep', () => get(`${base}?cursor=${deep}`)],
    ['list: status=open', () => get(`${base}?status=open`)],
    ['list: unread only', () => get(`${base}?unread=1`)],
    [`list: search "${common}" (2 % of contacts)`, () => get(`${base}?q=${encodeURIComponent(common)}`)],
    [`list: search "${rare}" (0.1 %)`, () => get(`${base}?q=${encodeURIComponent(rare)}`)],
    ['thread: full page (thread + list)', (i) => get(`${base}/${pick(i)}`)],
    ['thread: messages fragment', (i) => get(`${base}/${pick(i)}?part=messages`)],
  ];
  const rows: Array<Array<string | number>> = [['request', 'n', 'p50 ms', 'p95 ms', 'max ms', 'p95 / healthz p95']];
  let healthP95 = NaN;
  for (const [name, fn] of cases) {
    const ms = await timeRuns(REQUESTS, fn, 5);
    const p95 = quantile(ms, 0.95);
    if (name.includes('/healthz')) healthP95 = p95;
    rows.push([name, ms.length, fmt(quantile(ms, 0.5), 2), fmt(p95, 2), fmt(Math.max(...ms), 1), name.startsWith('baseline') ? '' : `${fmt(p95 / healthP95, 0)}×`]);
  }
  printTable(`Inbox, ${CONVERSATIONS * PER_CONVERSATION} messages in ${CONVERSATIONS} conversations, ${REQUESTS} sequential requests each (target p95 < 50 ms)`, rows);
  console.log(machineLine());
}

/**
 * Fills the data file. Raw better-sqlite3 prepared statements in large transactions, not kysely:
 * kysely builds and compiles every statement anew (tens of µs a row), which would make 1.3 million
 * rows take minutes; the rows are shaped like the ones the inbound pipeline writes. Times grow
 * with the row order so that every id is time-sortable like newId()'s. Returns the conversation ids.
 */
function generate(app: Habar, clientId: string, channelId: string): string[] {
  const s = app.ctx.sqlite;
  const contact = s.prepare(`INSERT INTO contacts (id, client_id, display_name, phone, tags, created_at, updated_at) VALUES (?, ?, ?, ?, '[]', ?, ?)`);
  const identity = s.prepare(`INSERT INTO contact_identities (id, client_id, contact_id, channel_account_id, kind, value, created_at) VALUES (?, ?, ?, ?, 'sandbox', ?, ?)`);
  const conversation = s.prepare(`INSERT INTO conversations (id, client_id, contact_id, channel_account_id, status, unread_count, last_activity_at, last_inbound_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const message = s.prepare(`INSERT INTO messages (id, client_id, contact_id, conversation_id, channel_account_id, direction, author_kind, platform_message_id, text, attachments, status, created_at, sent_at, delivered_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`);
  const start = Date.now() - (CONVERSATIONS * PER_CONVERSATION + 1000) * 1000; // one message a second, ending now
  const ids: string[] = [];
  const batch = s.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const t0 = start + k * PER_CONVERSATION * 1000;
      const at = new Date(t0).toISOString();
      const last = new Date(t0 + (PER_CONVERSATION - 1) * 1000).toISOString();
      const contactId = newId(t0);
      const conversationId = newId(t0);
      const name = `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length) % LAST.length]}`;
      contact.run(contactId, clientId, name, `+7701${String(k).padStart(7, '0')}`, at, at);
      identity.run(newId(t0), clientId, contactId, channelId, `bench-${k}`, at);
      const status = k % 10 < 7 ? 'resolved' : k % 10 < 9 ? 'open' : 'pending';
      conversation.run(conversationId, clientId, contactId, channelId, status, k % 10 === 8 ? 2 : 0, last, last, at, last);
      ids.push(conversationId);
      for (let j = 0; j < PER_CONVERSATION; j++) {
        const tm = t0 + j * 1000;
        const when = new Date(tm).toISOString();
        const inbound = j % 2 === 0;
        message.run(newId(tm), clientId, contactId, conversationId, channelId, inbound ? 'in' : 'out', inbound ? 'contact' : 'agent',
          `bench-${k}-${j}`, TEXTS[(k + j) % TEXTS.length], inbound ? 'delivered' : 'sent', when, inbound ? null : when, inbound ? when : null, when);
      }
    }
  });
  for (let k = 0; k < CONVERSATIONS; k += 5000) batch(k, Math.min(CONVERSATIONS, k + 5000));
  s.pragma('wal_checkpoint(TRUNCATE)');
  s.exec('ANALYZE');
  return ids;
}

/** Logs in through the real login form. */
async function login(app: Habar, email: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const req = async (p: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const cookie = jar.header();
    if (cookie) headers.set('cookie', cookie);
    const res = await app.http.request(`http://localhost${p}`, { ...init, headers });
    jar.store(res);
    return res;
  };
  const csrf = csrfFrom(await (await req('/login')).text());
  const res = await req('/login', {
    method: 'POST', body: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  return jar;
}
