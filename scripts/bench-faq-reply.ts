// Benchmark: from a complete question on the sandbox customer page to the reply showing there,
// with the embedded default (the demo client's offline FAQ responder, debounce 4 s).
//
//   npm run bench:faq-reply [-- --trials 30 --root /path/to/another/checkout]
//
// The real app (openHabar over a fresh data dir, workers on, the system clock) listens on
// 127.0.0.1. Each trial is a new customer who behaves as the page does in a browser: it opens
// the page, posts "Сколько стоит доставка по Алматы?" with the page's form, and waits for the
// reply as the page would — over the page's live stream (data-live-src) when the page has one,
// else by polling /thread at the page's own hx-trigger interval, starting at a random phase.
// The time is from the post to the /thread fetch that shows the answer. `--root` measures another
// checkout's code (e.g. main's, extracted with `git archive`) with this same client.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, quantile, ROOT, tempDir } from './lib/bench.ts';

const { values: args } = parseArgs({ options: { trials: { type: 'string', default: '30' }, root: { type: 'string', default: ROOT }, stagger: { type: 'string', default: '200' } } });
const root = path.resolve(args.root!);
const QUESTION = 'Сколько стоит доставка по Алматы?';
const ANSWER = /По Алматы доставляем/;

const { loadBootConfig } = await import(path.join(root, 'src/config/boot-config.ts'));
const { openHabar } = await import(path.join(root, 'src/app.ts'));
const config = loadBootConfig({ 'data-dir': tempDir('habar-bench-faq-'), host: '127.0.0.1', port: '0', 'log-level': process.env.BENCH_LOG ?? 'warn' }, {});
const app = await openHabar(config, { createKey: true, seed: true });
const { setSetting } = await import(path.join(root, 'src/settings/index.ts'));
await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'sandbox.rate_limit_per_minute', '1000000', null); // out of the trials' way
const url: string = await app.listen();
const { public_token: token } = await app.ctx.db.selectFrom('channel_accounts').select('public_token').where('kind', '=', 'sandbox').executeTakeFirstOrThrow();
const base = `${url}/c/${token}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function threadShowsAnswer(cookie: string): Promise<boolean> {
  const res = await fetch(`${base}/thread`, { headers: { cookie } });
  return res.status === 200 && ANSWER.test(await res.text());
}

/** Waits as the page waits: on its live stream's events, each followed by a /thread fetch. */
async function viaStream(cookie: string, streamPath: string, ask: () => Promise<number>): Promise<number> {
  const abort = new AbortController();
  const res = await fetch(`${url}${streamPath}`, { headers: { cookie }, signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let t0 = 0;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error('stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.includes('event: ready')) t0 = await ask();
        else if (block.includes('event: message') && t0 && (await threadShowsAnswer(cookie))) return performance.now() - t0;
      }
    }
  } finally {
    abort.abort();
  }
}

/** Waits as a polling page waits: every `everyMs`, from a random phase. */
async function viaPolling(cookie: string, everyMs: number, ask: () => Promise<number>): Promise<number> {
  const t0 = await ask();
  await sleep(Math.random() * everyMs);
  for (;;) {
    if (await threadShowsAnswer(cookie)) return performance.now() - t0;
    await sleep(everyMs);
  }
}

async function trial(): Promise<{ ms: number; mode: string }> {
  const page = await fetch(base);
  if (page.status !== 200) throw new Error(`page: ${page.status} ${await page.text()}`);
  const cookie = page.headers.get('set-cookie')!.split(';')[0];
  const html = await page.text();
  const ask = async () => {
    const t0 = performance.now();
    const r = await fetch(`${base}/messages`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' }, body: new URLSearchParams({ text: QUESTION, message_id: `b${Math.random()}` }) });
    if (r.status !== 200) throw new Error(`post failed: ${r.status}`);
    return t0;
  };
  const live = /data-live-src="([^"]+)"/.exec(html);
  if (live) return { ms: await viaStream(cookie, live[1], ask), mode: 'live stream' };
  const every = /hx-trigger="every (\d+)s"/.exec(html);
  if (!every) throw new Error('the page neither streams nor polls');
  return { ms: await viaPolling(cookie, Number(every[1]) * 1000, ask), mode: `polling every ${every[1]} s` };
}

const n = Number(args.trials);
const runs = await Promise.all(Array.from({ length: n }, async (_, i) => {
  await sleep(i * Number(args.stagger));
  return trial();
}));
const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
console.log(`code: ${root}`);
if (process.env.BENCH_SAMPLES) console.log(ms.map((x) => Math.round(x)).join(" "));
console.log(`complete question → reply shown on the customer page (${runs[0].mode}), ${n} trials: p50 ${fmt(quantile(ms, 0.5))} ms, p90 ${fmt(quantile(ms, 0.9))} ms, min ${fmt(ms[0])} ms, max ${fmt(ms[ms.length - 1])} ms`);
await app.close();
process.exit(0);
