import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { openDatabase, migrate, type Opened } from '../db/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { tempDir } from '../testing/test-app.ts';
import { createClient } from '../tenants/index.ts';
import { periodUsage, recomputeDays, rollupUsage, usageRows } from './index.ts';

// The rollup against the raw events it folds: exact over a generated month of hundreds of
// thousands of events, idempotent, able to recompute a day, and cut at the client's midnight.

type Ctx = { opened: Opened; dir: string; clock: ManualClock; almaty: string; moscow: string };
const test = suite<Ctx>('usage rollup');

const EVENTS = 200_000;
const API_KIND: Record<string, string> = { inbound_message: 'message_in', outbound_message: 'message_out', ai_call: 'ai_call', api_call: 'api_call' };
const KINDS = ['inbound_message', 'outbound_message', 'ai_call', 'api_call'];

test.before.each(async (ctx) => {
  ctx.dir = tempDir('habar-rollup-');
  ctx.opened = openDatabase(ctx.dir);
  await migrate(ctx.opened.db);
  ctx.clock = new ManualClock('2026-04-02T00:00:00.000Z');
  ctx.almaty = (await createClient(ctx.opened.db, ctx.clock, { slug: 'almaty', name: 'Almaty LLP' })).id;
  ctx.moscow = (await createClient(ctx.opened.db, ctx.clock, { slug: 'moscow', name: 'Moscow LLC', timezone: 'Europe/Moscow' })).id;
});
test.after.each(async (ctx) => {
  await ctx.opened.close();
  fs.rmSync(ctx.dir, { recursive: true, force: true });
});

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Bulk insert with one prepared statement in one transaction; returns the expected counters, computed independently (fixed UTC offsets: Almaty +5, Moscow +3 in 2026). */
function generate(ctx: Ctx, n: number, seed: number, fromMs: number, toMs: number): Map<string, number> {
  const rnd = random(seed);
  const expected = new Map<string, number>();
  const days = new Map<number, string>();
  const add = (k: string, q: number) => { if (q) expected.set(k, (expected.get(k) ?? 0) + q); };
  const insert = ctx.opened.sqlite.prepare('INSERT INTO usage_events (id, client_id, kind, channel_account_id, quantity, meta, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  ctx.opened.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const almaty = rnd() < 0.7;
      const client = almaty ? ctx.almaty : ctx.moscow;
      const kind = KINDS[Math.floor(rnd() * KINDS.length)];
      const channel = kind === 'api_call' || kind === 'ai_call' ? null : `ch-${Math.floor(rnd() * 3)}`;
      const t = fromMs + Math.floor(rnd() * (toMs - fromMs));
      const tin = kind === 'ai_call' ? Math.floor(rnd() * 900) : 0;
      const tout = kind === 'ai_call' ? Math.floor(rnd() * 300) : 0;
      const meta = kind === 'ai_call' ? JSON.stringify({ provider: 'openai', tokens_in: tin, tokens_out: tout }) : '{}';
      insert.run(`${seed}-${i}`, client, kind, channel, 1, meta, new Date(t).toISOString());
      const dayIndex = Math.floor((t + (almaty ? 5 : 3) * 3_600_000) / 86_400_000);
      const day = days.get(dayIndex) ?? days.set(dayIndex, new Date(dayIndex * 86_400_000).toISOString().slice(0, 10)).get(dayIndex)!;
      const api = API_KIND[kind];
      const prefix = `${client}|${day}|${channel ?? ''}|`;
      add(prefix + api, 1);
      if (kind === 'ai_call') {
        add(`${prefix}ai_tokens_in`, tin);
        add(`${prefix}ai_tokens_out`, tout);
      }
    }
  })();
  return expected;
}

async function counters(ctx: Ctx): Promise<Map<string, number>> {
  const rows = await ctx.opened.db.selectFrom('usage_daily').selectAll().execute();
  return new Map(rows.map((r) => [`${r.client_id}|${r.day}|${r.channel_account_id}|${r.kind}`, r.quantity]));
}

const merge = (a: Map<string, number>, b: Map<string, number>) => {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
};

test('a generated month of 200,000 events rolls up to exactly the raw counts, per client-local day, channel and kind', async (ctx) => {
  const from = Date.parse('2026-02-28T17:00:00.000Z');
  const to = Date.parse('2026-04-01T21:00:00.000Z');
  const expected = generate(ctx, EVENTS, 17, from, to);
  const t0 = Date.now();
  const r = await rollupUsage(ctx.opened.db, ctx.clock);
  const ms = Date.now() - t0;
  assert.is(r.events, EVENTS);
  const got = await counters(ctx);
  assert.is(got.size, expected.size, 'one counter per non-zero (client, day, channel, kind)');
  for (const [k, v] of expected) if (got.get(k) !== v) assert.unreachable(`${k}: rolled up ${got.get(k)}, raw ${v}`);
  // The month's totals equal the raw events' totals (Almaty's March: 2026-02-29T19:00Z … 2026-03-31T19:00Z).
  const march = await periodUsage(ctx.opened.db, ctx.almaty, '2026-03-01', '2026-03-31');
  const raw = ctx.opened.sqlite.prepare(`SELECT count(*) n, sum(json_extract(meta, '$.tokens_in')) tin FROM usage_events WHERE client_id = ? AND at >= '2026-02-28T19:00:00.000Z' AND at < '2026-03-31T19:00:00.000Z' AND kind IN ('inbound_message', 'outbound_message')`).get(ctx.almaty) as { n: number };
  assert.is(march.messages, raw.n);
  assert.ok(ms < 60_000, `rollup took ${ms} ms`);
});

test('running the rollup twice changes nothing; new events recompute only their days', async (ctx) => {
  generate(ctx, 20_000, 5, Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-03-20T00:00:00Z'));
  await rollupUsage(ctx.opened.db, ctx.clock);
  const before = await counters(ctx);
  assert.equal(await rollupUsage(ctx.opened.db, ctx.clock), { events: 0, days: 0 });
  assert.equal(await counters(ctx), before, 'a second run with nothing new changes nothing');
  // Late events on an old day (written after the first run) land in that day's counters.
  const more = generate(ctx, 500, 6, Date.parse('2026-03-05T00:00:00Z'), Date.parse('2026-03-05T12:00:00Z'));
  const r = await rollupUsage(ctx.opened.db, ctx.clock);
  assert.is(r.events, 500);
  assert.ok(r.days <= 4, `only the days of the new events: ${r.days}`);
  assert.equal(await counters(ctx), merge(before, more));
});

test('a day recomputed from the raw events gives the same counters', async (ctx) => {
  generate(ctx, 5_000, 9, Date.parse('2026-03-10T00:00:00Z'), Date.parse('2026-03-12T00:00:00Z'));
  await rollupUsage(ctx.opened.db, ctx.clock);
  const before = await counters(ctx);
  await ctx.opened.db.updateTable('usage_daily').set({ quantity: 1 }).where('day', '=', '2026-03-11').execute();
  await recomputeDays(ctx.opened.db, ctx.almaty, '2026-03-11', '2026-03-11', 'Asia/Almaty');
  await recomputeDays(ctx.opened.db, ctx.moscow, '2026-03-11', '2026-03-11', 'Europe/Moscow');
  assert.equal(await counters(ctx), before);
});

test('a month ends at the client’s midnight: 23:59:59 in Almaty is March, a millisecond later April', async (ctx) => {
  const insert = ctx.opened.sqlite.prepare("INSERT INTO usage_events (id, client_id, kind, channel_account_id, quantity, meta, at) VALUES (?, ?, 'inbound_message', 'ch', 1, '{}', ?)");
  insert.run('a', ctx.almaty, '2026-03-31T18:59:59.999Z'); // 23:59:59.999 on 31 March in Almaty (UTC+5)
  insert.run('b', ctx.almaty, '2026-03-31T19:00:00.000Z'); // 00:00 on 1 April in Almaty
  insert.run('c', ctx.moscow, '2026-03-31T19:00:00.000Z'); // 22:00 on 31 March in Moscow
  await rollupUsage(ctx.opened.db, ctx.clock);
  assert.is((await periodUsage(ctx.opened.db, ctx.almaty, '2026-03-01', '2026-03-31')).messages, 1);
  assert.is((await periodUsage(ctx.opened.db, ctx.almaty, '2026-04-01', '2026-04-30')).messages, 1);
  assert.equal((await usageRows(ctx.opened.db, ctx.almaty, '2026-03-31', '2026-04-01')).map((r) => r.date), ['2026-03-31', '2026-04-01']);
  assert.is((await periodUsage(ctx.opened.db, ctx.moscow, '2026-03-01', '2026-03-31')).messages, 1, 'the same instant is still March in Moscow');
});

test.run();
