import type { Selectable } from 'kysely';
import { compiled, type Db, type WebhookDeliveriesTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { conflict, notFound } from '../lib/errors.ts';
import { enqueueJob } from '../jobs/index.ts';
import type { WebhookEvent } from './events.ts';
import { parseEvents } from './webhooks.ts';
import { DELIVERY_DEFAULTS, WEBHOOK_DELIVER_KIND } from './delivery-job.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead';

export interface Delivery {
  id: string;
  clientId: string;
  webhookId: string;
  event: string;
  /** The exact body sent. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export const toDelivery = (r: Selectable<WebhookDeliveriesTable>): Delivery => ({
  id: r.id, clientId: r.client_id, webhookId: r.webhook_id, event: r.event, payload: r.payload, status: r.status as DeliveryStatus,
  attempts: r.attempts, lastStatusCode: r.last_status_code, lastError: r.last_error, nextAttemptAt: r.next_attempt_at,
  deliveredAt: r.delivered_at, createdAt: r.created_at,
});

export interface WebhookEventInput {
  clientId: string;
  event: WebhookEvent;
  /** The event's object, already in its API representation (snake_case). */
  data: unknown;
  /** The contact the payload is about, so that export and erasure reach pending deliveries. */
  contactId?: string | null;
}

/** Runs `fn` in the caller's transaction, or in a new one. */
const joinOrOpenTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db) : db.transaction().execute(fn));

/** The job that sends a delivery; one queue per delivery, so a redelivery never overlaps a stale run. */
const enqueueSend = (db: Db, clock: Clock, d: { id: string; clientId: string; contactId: string | null }, key: string) =>
  enqueueJob(db, clock, {
    kind: WEBHOOK_DELIVER_KIND, payload: { delivery_id: d.id }, clientId: d.clientId, contactId: d.contactId,
    idempotencyKey: key, queueKey: `webhook:${d.id}`, maxAttempts: DELIVERY_DEFAULTS.maxAttempts,
  });

/** What queueing needs to know of an active webhook. */
export interface ActiveWebhook {
  id: string;
  events: WebhookEvent[];
}

/** The client's active webhooks (index webhooks_client_idx). */
// Looked up in every transaction that emits events: built once (db/compiled.ts).
const activeOf = compiled<{ clientId: string }, { id: string; events: string }>((db, arg) =>
  db.selectFrom('webhooks').select(['id', 'events']).where('client_id', '=', arg('clientId')).where('active', '=', 1));

export async function activeWebhooks(db: Db, clientId: string): Promise<ActiveWebhook[]> {
  const { rows } = await activeOf.execute(db, { clientId });
  return rows.map((r) => ({ id: r.id, events: parseEvents(r.events) }));
}

/**
 * Inside the transaction of the event's cause: queues one delivery (and its job) per webhook of
 * `hooks` subscribed to the event, so they commit with the cause or not at all. Returns how many.
 */
export async function queueWebhookDeliveries(trx: Db, clock: Clock, hooks: ActiveWebhook[], e: WebhookEventInput): Promise<number> {
  const now = clock.now().toISOString();
  let queued = 0;
  for (const w of hooks) {
    if (!w.events.includes(e.event)) continue;
    const id = newId();
    await trx.insertInto('webhook_deliveries').values({
      id, client_id: e.clientId, webhook_id: w.id, contact_id: e.contactId ?? null, event: e.event,
      payload: JSON.stringify({ id, event: e.event, created_at: now, data: e.data }),
      status: 'pending', attempts: 0, next_attempt_at: now, created_at: now,
    }).execute();
    await enqueueSend(trx, clock, { id, clientId: e.clientId, contactId: e.contactId ?? null }, `${WEBHOOK_DELIVER_KIND}:${id}`);
    queued++;
  }
  return queued;
}

/**
 * Queues one delivery (and its job) per active webhook of the client subscribed to the event, in
 * the given transaction or a new one. Returns how many were queued; wake the job runner after commit.
 * (Hub events need none of this: the transactional forwarder queues them in their cause's transaction.)
 */
export async function enqueueWebhookEvent(db: Db, clock: Clock, e: WebhookEventInput): Promise<number> {
  return joinOrOpenTransaction(db, async (trx) => queueWebhookDeliveries(trx, clock, await activeWebhooks(trx, e.clientId), e));
}

/** A webhook's delivery log, newest first. */
export async function listDeliveries(db: Db, clientId: string, webhookId: string, page: { before?: string; limit?: number } = {}): Promise<Delivery[]> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('client_id', '=', clientId).where('webhook_id', '=', webhookId);
  if (page.before) q = q.where('id', '<', page.before);
  return (await q.orderBy('id', 'desc').limit(page.limit ?? 50).execute()).map(toDelivery);
}

export async function getDelivery(db: Db, clientId: string, webhookId: string, id: string): Promise<Delivery> {
  const r = await db.selectFrom('webhook_deliveries').selectAll().where('client_id', '=', clientId).where('webhook_id', '=', webhookId).where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('No such delivery');
  return toDelivery(r);
}

/**
 * Sends a finished (delivered or dead) delivery again with the same id and body (the receiver
 * dedupes by X-Habar-Delivery) and a fresh budget of attempts. One still being retried is a conflict.
 */
export async function redeliver(db: Db, clock: Clock, clientId: string, webhookId: string, id: string): Promise<Delivery> {
  const d = await getDelivery(db, clientId, webhookId, id);
  if (d.status === 'pending' || d.status === 'failed') {
    throw conflict('This delivery is still being attempted; its next attempt is already scheduled', 'delivery_in_progress');
  }
  const row = await db.selectFrom('webhook_deliveries').select('contact_id').where('id', '=', id).executeTakeFirstOrThrow();
  await joinOrOpenTransaction(db, async (trx) => {
    await trx.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: clock.now().toISOString() })
      .where('client_id', '=', clientId).where('id', '=', id).execute();
    await enqueueSend(trx, clock, { id, clientId, contactId: row.contact_id }, `${WEBHOOK_DELIVER_KIND}:${id}:${newId()}`);
  });
  return getDelivery(db, clientId, webhookId, id);
}
