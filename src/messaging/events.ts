import type { Db } from '../db/index.ts';
import type { ChannelKind, ChannelStatus, Conversation, Message } from './types.ts';

/** Why a conversation.updated event fired. */
/** `rule`: an automation rule's call_webhook action sends the conversation as it is (no change of its own). */
export type ConversationChange = 'created' | 'reopened' | 'status' | 'assignee' | 'ai_state' | 'read' | 'contact' | 'rule';

export interface ChannelStatusInfo {
  id: string;
  kind: ChannelKind;
  name: string;
  status: ChannelStatus;
  lastError: string | null;
}

/**
 * In-process events, collected by the transaction that causes them (inTransaction): transactional
 * subscribers see them inside it, before the commit; the others only after it committed.
 * message.received / sent / failed, conversation.updated and channel.status are also the
 * outgoing-webhook events; message.queued (an outbound message stored, not yet sent) and
 * message.updated (delivery status, the uncertain mark) are for the live inbox.
 */
export type MessagingEvent =
  | { type: 'message.received' | 'message.queued' | 'message.sent' | 'message.failed' | 'message.updated'; clientId: string; at: string; message: Message }
  /** `reason`: why the automatic replies were handed to a person (change ai_state to handed_off). */
  | { type: 'conversation.updated'; clientId: string; at: string; conversation: Conversation; change: ConversationChange; reason?: string }
  | { type: 'channel.status'; clientId: string; at: string; channel: ChannelStatusInfo };

export type MessagingEventType = MessagingEvent['type'];

export type Subscriber = (event: MessagingEvent) => void;

/**
 * Runs inside the writer's transaction with all the events it collected, before the commit: what
 * it writes with `trx` (e.g. job rows) commits together with the cause, and an error it throws
 * rolls the cause back. It must not open a transaction of its own (kysely cannot nest them).
 */
export type TransactionalSubscriber = (trx: Db, events: MessagingEvent[]) => Promise<void>;

/**
 * The event hub. Two kinds of subscribers: transactional ones (outgoing webhooks: work that must
 * survive a crash, written as rows in the cause's transaction) and in-memory ones (the SSE inbox,
 * waking the job runner), which run synchronously after the commit and must not throw (an error
 * is reported to `onError` and the others still run); do slow work elsewhere. In-memory delivery
 * is not durable: what must survive a crash belongs in a transactional subscriber. Each kind runs
 * in the order subscribed; the composition subscribes them from its ordered list (src/pipeline.ts,
 * HUB_SUBSCRIBERS), and a transactional subscriber sees the events those before it added.
 */
export class EventHub {
  private readonly subs = new Set<Subscriber>();
  private readonly trxSubs = new Set<TransactionalSubscriber>();

  constructor(private readonly onError: (err: unknown, event: MessagingEvent) => void = () => {}) {}

  /** Subscribes; optionally only to one client's events and/or some types. Returns the unsubscribe function. */
  subscribe(fn: Subscriber, filter: { clientId?: string; types?: MessagingEventType[] } = {}): () => void {
    const wrapped: Subscriber = filter.clientId || filter.types
      ? (e) => {
        if (filter.clientId && e.clientId !== filter.clientId) return;
        if (filter.types && !filter.types.includes(e.type)) return;
        fn(e);
      }
      : fn;
    this.subs.add(wrapped);
    return () => { this.subs.delete(wrapped); };
  }

  /** Subscribes inside writers' transactions (see TransactionalSubscriber). Returns the unsubscribe function. */
  subscribeInTransaction(fn: TransactionalSubscriber): () => void {
    this.trxSubs.add(fn);
    return () => { this.trxSubs.delete(fn); };
  }

  /** Runs the transactional subscribers; inTransaction calls it last inside the transaction. */
  async beforeCommit(trx: Db, events: MessagingEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const s of this.trxSubs) await s(trx, events);
  }

  /**
   * Tells the in-memory subscribers only, after the cause committed (inTransaction does this).
   * An event published here directly reaches no transactional subscriber (no webhook delivery).
   */
  publish(event: MessagingEvent): void {
    for (const s of this.subs) {
      try {
        s(event);
      } catch (err) {
        this.onError(err, event);
      }
    }
  }

  publishAll(events: MessagingEvent[]): void {
    for (const e of events) this.publish(e);
  }

  get subscriberCount(): number {
    return this.subs.size;
  }
}
