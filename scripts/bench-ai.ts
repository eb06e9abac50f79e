// Benchmark: the AI assistant's cost in tokens and time.
//
//   node --import tsx scripts/bench-ai.ts [--replies 300 --conversations 50 --history 1000]
//
// 1. Prompt tokens per reply against thread length (10 → 1,000 messages): each thread is
//    seeded into a real data file, a customer asks, and the real pipeline (responder step →
//    debounced job → `openai` SDK) calls a local OpenAI-compatible stand-in on 127.0.0.1.
//    Tokens are counted with o200k_base from the exact request that left. Target: flat.
// 2. Pipeline overhead added by the AI step, excluding the provider's own latency: per reply,
//    the responder step's time plus the reply job's time minus the provider call's time (SDK
//    request and the stand-in's instant answer). Threads of `--history` messages. Target: p99 < 10 ms.
import { parseArgs } from 'node:util';
import { makeTestApp } from '../src/testing/test-app.ts';
import { startOpenAiStandIn } from '../src/testing/openai-stand-in.ts';
import { historyMessage, seedHistory } from '../src/testing/chat-history.ts';
import { ManualClock } from '../src/lib/clock.ts';
import { postAsCustomer, toChannelAccount } from '../src/channels/index.ts';
import { DEMO_SLUG, findClient } from '../src/tenants/index.ts';
import { toContact, toConversation, toMessage, type ResponderInput } from '../src/messaging/index.ts';
import { toJob } from '../src/jobs/index.ts';
import { aiResponderStep, answerConversation, countChatTokens, updateAiSettings, warmTokenizer } from '../src/ai/index.ts';
import { fmt, printTable, quantile } from './lib/bench.ts';

const { values: args } = parseArgs({
  options: {
    replies: { type: 'string', default: '300' },
    conversations: { type: 'string', default: '50' },
    history: { type: 'string', default: '1000' },
  },
});

const clock = new ManualClock(new Date());
const app = await makeTestApp({ clock });
const stub = await startOpenAiStandIn();
warmTokenizer();
const db = app.ctx.db;
const demo = (await findClient(db, DEMO_SLUG))!;
const account = toChannelAccount(await db.selectFrom('channel_accounts').selectAll().where('client_id', '=', demo.id).executeTakeFirstOrThrow());
await updateAiSettings(db, app.ctx.vault, clock, demo.id, {
  enabled: true, provider: 'compatible', baseUrl: stub.url, locatedInKazakhstan: true, model: 'bench', disclosure: null, debounceSeconds: 3, redact: true,
}, { id: null, label: 'bench' });
stub.always({ text: 'Спасибо за вопрос! Да, это возможно.' });

async function conversationWith(customer: string, n: number) {
  await postAsCustomer(app.ctx, account, { text: 'Начнём', customer });
  const conv = await db.selectFrom('conversations as c').innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
    .selectAll('c').where('i.value', '=', customer).executeTakeFirstOrThrow();
  await seedHistory(db, conv, n, clock.now().getTime());
  await db.updateTable('jobs').set({ status: 'done' }).where('status', '=', 'pending').execute();
  return conv;
}

// 1. Prompt tokens against thread length.
const lengths = [10, 20, 50, 100, 200, 500, 1000];
const tokenRows: Array<Array<string | number>> = [['thread length', 'prompt tokens (request)', 'tokens_in (provider usage)', 'messages sent']];
for (const n of lengths) {
  await conversationWith(`len-${n}`, n);
  const before = stub.chatRequests.length;
  await postAsCustomer(app.ctx, account, { text: historyMessage(1).text, customer: `len-${n}` });
  await app.ctx.jobs.drain();
  clock.advance(3000);
  await app.ctx.jobs.drain();
  const req = stub.chatRequests[before];
  const call = await db.selectFrom('ai_calls').select('tokens_in').orderBy('id', 'desc').executeTakeFirstOrThrow();
  tokenRows.push([n, countChatTokens(req.json!.messages), call.tokens_in, req.json!.messages.length]);
}
printTable('Prompt tokens per reply against thread length (o200k_base)', tokenRows);

// 2. Overhead of the AI step per reply, provider latency excluded.
const replies = Number(args.replies);
const convs = [];
for (let i = 0; i < Number(args.conversations); i++) convs.push(await conversationWith(`bench-${i}`, Number(args.history)));
const step = aiResponderStep(app.ctx);
const stepMs: number[] = [];
const jobMs: number[] = [];
const totalMs: number[] = [];
const warmup = 20;
for (let i = 0; i < replies + warmup; i++) {
  const conv = convs[i % convs.length];
  const { id } = await postAsCustomer(app.ctx, account, { text: `Вопрос номер ${i}: мой номер +7 701 000 ${String(i % 100).padStart(2, '0')} 11, можно доставку завтра?`, customer: `bench-${i % convs.length}` });
  const jobRow = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', `process:${id}`).executeTakeFirstOrThrow();
  const [m, c, p] = await Promise.all([
    db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    db.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirstOrThrow(),
    db.selectFrom('contacts').selectAll().where('id', '=', conv.contact_id).executeTakeFirstOrThrow(),
  ]);
  const input: ResponderInput = { job: toJob(jobRow), message: toMessage(m), conversation: toConversation(c), contact: toContact(p), channel: { id: account.id, clientId: demo.id, kind: 'sandbox' } };
  const t0 = performance.now();
  const result = await step.respond(input);
  const t1 = performance.now();
  if (result.action !== 'handled') throw new Error(`unexpected step result ${result.action}`);
  await db.updateTable('jobs').set({ status: 'done' }).where('id', '=', jobRow.id).execute();
  clock.advance(3000);
  const t2 = performance.now();
  const r = await answerConversation(app.ctx, conv.id);
  const t3 = performance.now();
  if (!r || r.outcome !== 'answer') throw new Error('no answer');
  await db.updateTable('jobs').set({ status: 'done' }).where('kind', '=', 'ai.reply').where('status', '=', 'pending').execute();
  if (i < warmup) continue;
  stepMs.push(t1 - t0);
  jobMs.push(t3 - t2 - r.providerMs);
  totalMs.push(t1 - t0 + t3 - t2 - r.providerMs);
}
const q = (xs: number[], p: number) => fmt(quantile(xs, p), 2);
printTable(`AI overhead per reply, provider latency excluded (${replies} replies, threads of ${args.history} messages, ${convs.length} conversations)`, [
  ['part', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
  ['responder step (state, keywords, debounce job)', q(stepMs, 0.5), q(stepMs, 0.9), q(stepMs, 0.99), q(stepMs, 1)],
  ['reply job minus provider call', q(jobMs, 0.5), q(jobMs, 0.9), q(jobMs, 0.99), q(jobMs, 1)],
  ['total added by the AI', q(totalMs, 0.5), q(totalMs, 0.9), q(totalMs, 0.99), q(totalMs, 1)],
]);
const p99 = quantile(totalMs, 0.99);
console.log(`\ntarget p99 < 10 ms: ${p99 < 10 ? 'met' : 'NOT met'} (${fmt(p99, 2)} ms)`);

await stub.stop();
await app.cleanup();
