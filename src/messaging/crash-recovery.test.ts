// The pipeline's guarantees against a real server process killed with SIGKILL.
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { makeTestApp, tempDir } from '../testing/test-app.ts';
import { startHabar, type RunningHabar } from '../testing/cli.ts';
import { quietSandbox } from '../testing/messaging-fixtures.ts';
import { setSetting } from '../settings/index.ts';
import { openSqlite } from '../db/index.ts';
import { createWebhook, ALLOW_PRIVATE_TARGETS } from '../webhooks/index.ts';
import { WebhookReceiver } from '../testing/webhook-receiver.ts';
import { sendMessage } from './index.ts';

const test = suite('crash recovery');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serve = (dir: string) => startHabar(['--data-dir', dir, '--backup-interval-hours', '0', '--log-level', 'warn']);

test('every message acknowledged before a SIGKILL is there after restart, and every queued reply and webhook is delivered exactly once', async () => {
  const dir = tempDir();
  let server: RunningHabar | undefined;
  const receiver = await new WebhookReceiver().start();
  try {
    // A client whose customers get an automatic reply (nobody is online): each message causes a send.
    const prep = await makeTestApp({ dir });
    const ch = await quietSandbox(prep);
    const { db, vault, clock } = prep.ctx;
    await setSetting(db, vault, clock, 'sandbox.rate_limit_per_minute', '1000000');
    await setSetting(db, vault, clock, 'auto_reply.enabled', 'true', ch.clientId);
    await setSetting(db, vault, clock, 'auto_reply.text', 'We will answer soon.', ch.clientId);
    // An integrator's endpoint on 127.0.0.1 (a private target, allowed for this install) hears of every inbound message.
    await setSetting(db, vault, clock, ALLOW_PRIVATE_TARGETS, 'true');
    receiver.secret = (await createWebhook(db, vault, clock, ch.clientId, { url: receiver.url, events: ['message.received'] }, SYSTEM_ACTOR)).secret;
    await prep.close();

    server = await serve(dir);
    const url = `${server.url}/c/${ch.publicToken}/messages`;
    const acked = new Map<string, string>();
    const stream = async (w: number) => {
      for (let i = 0; ; i++) {
        const mid = `w${w}-${i}`;
        try {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `message ${mid}`, customer: `c-${mid}`, message_id: mid }) });
          if (res.status === 201) acked.set(mid, ((await res.json()) as { id: string }).id);
          else await res.body?.cancel();
        } catch {
          return; // the server is gone
        }
      }
    };
    const streams = Array.from({ length: 6 }, (_, w) => stream(w));
    while (acked.size < 150) await sleep(2);
    await server.stop('SIGKILL');
    server = undefined;
    await Promise.all(streams);

    // While it is down, an agent queues replies too (queued before the next start).
    const between = await makeTestApp({ dir });
    const convs = await between.ctx.db.selectFrom('conversations').select('id').where('client_id', '=', ch.clientId).limit(10).execute();
    for (const c of convs) await sendMessage(between.ctx, ch.clientId, c.id, { text: `Agent follow-up ${c.id}`, authorKind: 'agent' });
    const pendingAtCrash = await between.ctx.db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).where('every_ms', 'is', null).execute();
    const deliveredAtCrash = (await between.ctx.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'delivered').execute()).map((d) => d.id);
    await between.close();
    assert.ok(pendingAtCrash.length >= convs.length);

    server = await serve(dir);
    const raw = openSqlite(`${dir}/habar.db`, { readonly: true });
    const unfinished = () => (raw.prepare("SELECT count(*) AS n FROM jobs WHERE status IN ('pending','running') AND every_ms IS NULL").get() as { n: number }).n;
    for (let i = 0; i < 400 && unfinished() > 0; i++) await sleep(25);
    assert.is(unfinished(), 0, 'all work finished after the restart');

    for (const [mid, id] of acked) {
      const row = raw.prepare('SELECT text FROM messages WHERE id = ?').get(id) as { text: string } | undefined;
      assert.ok(row, `acknowledged message ${mid} survived`);
      assert.is(row.text, `message ${mid}`);
    }
    const perConversation = raw.prepare(`
      SELECT c.id, sum(m.direction = 'in') AS inbound, sum(m.author_kind = 'system') AS auto, sum(m.author_kind = 'agent') AS agent,
             sum(m.direction = 'out' AND m.status = 'sent') AS sent, (SELECT count(*) FROM sandbox_deliveries d WHERE d.conversation_id = c.id) AS delivered
      FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE c.client_id = ? GROUP BY c.id`).all(ch.clientId) as Array<Record<string, number>>;
    assert.ok(perConversation.length >= acked.size);
    for (const c of perConversation) {
      assert.is(c.inbound, 1);
      assert.is(c.auto, 1, 'one automatic reply per conversation: never lost, never doubled');
      assert.is(c.sent, c.auto + c.agent, 'every queued reply was sent');
      assert.is(c.delivered, c.auto + c.agent, 'and reached the customer exactly once');
    }
    assert.is(perConversation.reduce((n, c) => n + c.agent, 0), convs.length);
    const dead = raw.prepare("SELECT count(*) AS n FROM jobs WHERE status = 'dead'").get() as { n: number };
    assert.is(dead.n, 0);

    // Webhooks: each stored inbound message was announced by exactly one delivery, received (by its id) at least once;
    // one completed before the kill never again; only one cut short by the kill may arrive twice, under the same id.
    assert.ok(deliveredAtCrash.length > 0, 'some deliveries completed before the kill');
    assert.ok(receiver.requests.every((r) => r.validSignature && r.json.id === r.id && r.json.event === 'message.received'));
    const deliveryOf = new Map<string, string[]>();
    for (const d of receiver.unique.values()) {
      const messageId = (d.json.data as { id: string }).id;
      deliveryOf.set(messageId, [...(deliveryOf.get(messageId) ?? []), d.id]);
    }
    for (const [mid, id] of acked) assert.is(deliveryOf.get(id)?.length, 1, `acknowledged message ${mid} announced exactly once`);
    const inbound = (raw.prepare("SELECT count(*) AS n FROM messages WHERE client_id = ? AND direction = 'in'").get(ch.clientId) as { n: number }).n;
    assert.is(receiver.unique.size, inbound, 'one delivery id per stored inbound message');
    assert.is(deliveryOf.size, inbound);
    const times = new Map<string, number>();
    for (const r of receiver.requests) times.set(r.id, (times.get(r.id) ?? 0) + 1);
    for (const id of deliveredAtCrash) assert.is(times.get(id), 1, `delivery ${id}, completed before the kill, was not sent again`);
    const notDelivered = raw.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE status != 'delivered'").get() as { n: number };
    assert.is(notDelivered.n, 0);
    raw.close();

    // A sender retrying an acknowledged message after the crash is told it is already there.
    const [mid, id] = [...acked][0];
    const replay = await fetch(`${server.url}/c/${ch.publicToken}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `message ${mid}`, customer: `c-${mid}`, message_id: mid }) });
    assert.is(replay.status, 200);
    assert.equal(await replay.json(), { id });
  } finally {
    await server?.stop('SIGTERM');
    await receiver.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
