import type { ChannelKind, ChannelStatus, Conversation, Message } from './types.ts';

/** Why a conversation.updated event fired. */
export type ConversationChange = 'created' | 'reopened' | 'status' | 'assignee' | 'ai_state' | 'read' | 'contact';

export interface ChannelStatusInfo {
  id: string;
  kind: ChannelKind;
  name: string;
  status: ChannelStatus;
  lastError: string | null;
}

/**
 * In-process events, published only after the transaction that caused them committed.
 * message.received / sent / failed, conversation.updated and channel.status are also the
 * outgoing-webhook events; message.queued (an outbound message stored, not yet sent) and
 * message.updated (delivery status, the uncertain mark) are for the live inbox.
 */
export type MessagingEvent =
  | { type: 'message.received' | 'message.queued' | 'message.sent' | 'message.failed' | 'message.updated'; clientId: string; at: string; message: Message }
  | { type: 'conversation.updated'; clientId: string; at: string; conversation: Conversation; change: ConversationChange }
  | { type: 'channel.status'; clientId: string; at: string; channel: ChannelStatusInfo };

export type MessagingEventType = MessagingEvent['type'];

export type Subscriber = (event: MessagingEvent) => void;

/**
 * The event hub the SSE inbox and outgoing webhooks subscribe to. Subscribers run synchronously
 * and must not throw (an error is reported to `onError` and the others still run); do slow work
 * elsewhere (enqueue, or write to a stream). Not durable: what must survive a crash is a job.
 */
export class EventHub {
  private readonly subs = new Set<Subscriber>();

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
