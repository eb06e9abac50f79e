// Benchmark: what the automation rules add to every inbound message — the rules responder step
// (order 100) deciding on a stored message of a client with 200 rules, against the same step for a
// client without rules. The step runs on the real app over a fresh data file (its revision read,
// the cached compiled rules, the evaluator, the word-form matcher); most rules do not match, so
// each is evaluated in full, which is the costly case. Target: added p99 < 1 ms per message.
//
//   npm run bench:rules [-- --messages 5000 --rules 200 --enabled 0.1]
//
// The turn throughput with rules on is bench:turn's (its instant responder answers before the rules).
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { fmt, machineLine, printTable, quantile, tempDir } from './lib/bench.ts';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '5000' }, rules: { type: 'string', default: '200' }, enabled: { type: 'string', default: '1' } } });
const N = Number(args.messages);
const RULES = Number(args.rules);
const ENABLED = Number(args.enabled);

const { loadBootConfig } = await import('../src/config/boot-config.ts');
const { openHabar } = await import('../src/app.ts');
const { createClient } = await import('../src/tenants/index.ts');
const { createChannelAccount } = await import('../src/channels/index.ts');
const { ingestInbound, findMessage, findConversation, findContact, channelAccountRef } = await import('../src/messaging/index.ts');
const { replaceRules, replaceTemplates, rulesResponderStep, updateBusinessHours } = await import('../src/automation/index.ts');

const WORDS = ['доставка', 'цена', 'оплата', 'возврат', 'размер', 'скидка', 'адрес', 'график', 'kaspi', 'гарантия', 'жеткізу', 'баға', 'price', 'delivery'];
const TEXTS = [
  'Здравствуйте! Подскажите, есть ли у вас в наличии кроссовки 42 размера?',
  'Сәлеметсіз бе! Төлемді Kaspi арқылы жасауға бола ма?',
  'Hi, could you tell me whether I can return the shoes if the size does not fit?',
  'Хорошо, тогда оформите заказ на моё имя, адрес: Алматы, мкр Самал-2, дом 58.',
];

function makeRules(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const kind = i % 5;
    const conditions = kind === 0 ? [{ type: 'text_contains', value: `${WORDS[i % WORDS.length]} ${i}` }]
      : kind === 1 ? [{ type: 'text_matches', value: `заказ\\s*№?\\s*${1000 + i}` }]
        : kind === 2 ? [{ type: 'contact_tag', value: `tag-${i}` }, { type: 'text_contains', value: WORDS[i % WORDS.length] }]
          : kind === 3 ? [{ type: 'business_hours', value: 'closed' }, { type: 'text_equals', value: `код ${i}` }]
            : [{ type: 'channel', value: `channel-${i}` }, { type: 'language', value: 'en' }];
    return { name: `rule ${i}`, enabled: i < n * ENABLED, trigger: { event: 'message.received' }, conditions, actions: [{ type: 'add_tag', tag: `t${i}` }, { type: 'send_template', code: 'hi' }] };
  });
}

const dir = tempDir('habar-bench-rules-');
try {
  const app = await openHabar(loadBootConfig({ 'data-dir': dir, port: '0', 'log-level': 'warn', workers: 'false' }, {}), { createKey: true, seed: false });
  const { db, clock, vault, log } = app.ctx;
  const by = { id: null, label: 'bench' };
  const step = rulesResponderStep({ db, clock, vault, log });
  const timings: Record<string, number[]> = {};
  for (const [label, n] of [['no rules', 0], [`${RULES} rules`, RULES]] as const) {
    const client = await createClient(db, clock, { slug: `bench-${n}`, name: `Bench ${n}` });
    const channel = await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'sandbox', name: 'Sandbox' });
    if (n > 0) {
      await replaceTemplates(db, clock, client.id, { version: 1, templates: [{ code: 'hi', text: { ru: 'Здравствуйте, {{contact.name}}', kk: '', en: '' } }] }, by);
      await updateBusinessHours(db, clock, client.id, { week: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] } }, by);
      await replaceRules(db, clock, client.id, { version: 1, rules: makeRules(n) }, by);
    }
    const inputs = [];
    for (let i = 0; i < 200; i++) {
      const r = await ingestInbound(app.ctx, { channelAccountId: channel.id, platformMessageId: `m-${n}-${i}`, text: TEXTS[i % TEXTS.length], from: { identities: [{ kind: 'sandbox', value: `c-${i % 50}` }] } });
      const message = (await findMessage(db, r.messageId))!;
      const conversation = (await findConversation(db, r.conversationId))!;
      inputs.push({ job: { id: 'bench' } as never, message, conversation, contact: (await findContact(db, r.contactId))!, channel: (await channelAccountRef(db, channel.id))! });
    }
    const ms: number[] = [];
    for (let i = 0; i < N + 200; i++) {
      const t0 = performance.now();
      await step.respond(inputs[i % inputs.length]);
      if (i >= 200) ms.push(performance.now() - t0);
    }
    timings[label] = ms;
  }
  await app.close();
  const [base, withRules] = Object.values(timings);
  const row = (label: string, ms: number[]) => [label, fmt(quantile(ms, 0.5) * 1000, 0), fmt(quantile(ms, 0.99) * 1000, 0), fmt((ms.length / ms.reduce((a, b) => a + b, 0)) * 1000, 0)];
  printTable(`The rules step per inbound message (${N} messages; ${machineLine()})`, [
    ['client', 'p50 µs', 'p99 µs', 'messages/s'], row('no rules', base), row(`${RULES} rules (${Math.round(ENABLED * 100)} % on)`, withRules),
    ['added', fmt((quantile(withRules, 0.5) - quantile(base, 0.5)) * 1000, 0), fmt((quantile(withRules, 0.99) - quantile(base, 0.99)) * 1000, 0), ''],
  ]);
  const added = quantile(withRules, 0.99) - quantile(base, 0.99);
  console.log(added < 1 ? `target met: added p99 ${fmt(added, 3)} ms < 1 ms` : `TARGET MISSED: added p99 ${fmt(added, 3)} ms ≥ 1 ms`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
