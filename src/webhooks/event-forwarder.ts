import type { Clock } from '../lib/clock.ts';
import type { Db } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { ChannelStatusInfo, Conversation, Message, MessagingEvent, TransactionalSubscriber } from '../messaging/index.ts';
import { isWebhookEvent } from './events.ts';
import { activeWebhooks, queueWebhookDeliveries, type ActiveWebhook, type WebhookEventInput } from './deliveries.ts';

/** The public JSON form of the objects an event carries (the REST API's representation, passed in by the composition). */
export interface WebhookRepresentation {
  channel(ch: ChannelStatusInfo): object;
  conversation(c: Conversation): object;
  message(m: Message): object;
}

/** A hub event as a webhook event: its API representation and the contact it concerns. */
function toWebhookEvent(e: MessagingEvent, r: WebhookRepresentation): WebhookEventInput | undefined {
  if (!isWebhookEvent(e.type)) return undefined;
  if (e.type === 'conversation.updated') {
    return { clientId: e.clientId, event: e.type, contactId: e.conversation.contactId, data: { ...r.conversation(e.conversation), change: e.change } };
  }
  if (e.type === 'channel.status') return { clientId: e.clientId, event: e.type, data: r.channel(e.channel) };
  if ('message' in e) return { clientId: e.clientId, event: e.type, contactId: e.message.contactId, data: r.message(e.message) };
  return undefined;
}

const restrictedFlag = compiled<{ id: string }, { restricted: number }>((db, arg) => db.selectFrom('contacts').select('restricted').where('id', '=', arg('id')));

/** Whether processing of the contact's data is restricted (policy 7.4): then nothing about them is forwarded. */
async function isRestricted(trx: Db, cache: Map<string, boolean>, contactId: string): Promise<boolean> {
  let r = cache.get(contactId);
  if (r === undefined) cache.set(contactId, r = !!(await restrictedFlag.first(trx, { id: contactId }))?.restricted);
  return r;
}

/**
 * Queues webhook deliveries for the hub's events inside the transaction that caused them, so a
 * message and the deliveries announcing it commit together (a crash loses both or neither).
 * One indexed look-up of the client's active webhooks per transaction; nothing more when it has
 * none. Nothing is forwarded about a contact whose processing is restricted. A transactional hub subscriber; the composition subscribes it (src/pipeline.ts).
 */
export function webhookEventForwarder(deps: { clock: Clock; represent: WebhookRepresentation }): TransactionalSubscriber {
  return async (trx, events) => {
    const hooksOf = new Map<string, ActiveWebhook[]>();
    const restricted = new Map<string, boolean>();
    for (const e of events) {
      if (!isWebhookEvent(e.type)) continue;
      let hooks = hooksOf.get(e.clientId);
      if (!hooks) hooksOf.set(e.clientId, hooks = await activeWebhooks(trx, e.clientId));
      if (!hooks.some((h) => h.events.includes(e.type as never))) continue;
      const w = toWebhookEvent(e, deps.represent);
      if (!w || (w.contactId && await isRestricted(trx, restricted, w.contactId))) continue;
      await queueWebhookDeliveries(trx, deps.clock, hooks, w);
    }
  };
}
