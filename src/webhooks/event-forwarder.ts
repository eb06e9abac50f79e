import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { EventHub, MessagingEvent } from '../messaging/index.ts';
import { channelJson, conversationJson, messageJson } from '../api/index.ts';
import { isWebhookEvent } from './events.ts';
import { enqueueWebhookEvent, type WebhookEventInput } from './deliveries.ts';

/** A hub event as a webhook event: its API representation and the contact it concerns. */
export function toWebhookEvent(e: MessagingEvent): WebhookEventInput | undefined {
  if (!isWebhookEvent(e.type)) return undefined;
  if (e.type === 'conversation.updated') {
    return { clientId: e.clientId, event: e.type, contactId: e.conversation.contactId, data: { ...conversationJson(e.conversation), change: e.change } };
  }
  if (e.type === 'channel.status') return { clientId: e.clientId, event: e.type, data: channelJson(e.channel) };
  if ('message' in e) return { clientId: e.clientId, event: e.type, contactId: e.message.contactId, data: messageJson(e.message) };
  return undefined;
}

/**
 * Queues webhook deliveries for the hub's events. The hub publishes after the cause committed,
 * so a crash in the moment between that commit and this insert loses the deliveries of that
 * event (the message itself is safe). Returns the unsubscribe function.
 */
export function forwardEventsToWebhooks(hub: EventHub, deps: { db: Db; clock: Clock; log: Logger }): () => void {
  return hub.subscribe((e) => {
    const w = toWebhookEvent(e);
    if (!w) return;
    enqueueWebhookEvent(deps.db, deps.clock, w).catch((err) => deps.log.error('jobs', 'queueing webhook deliveries failed', { event: w.event, error: err as Error }));
  });
}
