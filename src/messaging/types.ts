// The messaging room's domain types, and the normalised shapes channels speak (so the pipeline
// never sees a platform's own types).

import type { Db } from '../db/index.ts';

/** The channel kinds this build describes (one driver each in the channels room's registry); the API documents these. */
export const CHANNEL_KINDS = ['sandbox', 'whatsapp', 'instagram'] as const;
/** A channel kind: the name of a driver in the channels room's registry (messaging never compares it). */
export type ChannelKind = string;

export const CHANNEL_STATUSES = ['connecting', 'qr', 'connected', 'disconnected', 'logged_out', 'qr_expired', 'reconnect_needed', 'error'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const IDENTITY_KINDS = ['phone', 'wa_jid', 'wa_lid', 'ig_id', 'username', 'sandbox'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export type ConversationStatus = 'open' | 'pending' | 'resolved';
export const CONVERSATION_STATUSES: ConversationStatus[] = ['open', 'pending', 'resolved'];
export type AiState = 'active' | 'paused' | 'handed_off' | 'off';
export const AI_STATES: AiState[] = ['active', 'paused', 'handed_off', 'off'];

export type Direction = 'in' | 'out';
export type AuthorKind = 'contact' | 'agent' | 'ai' | 'rule' | 'system';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** The longest message text accepted from anyone (customers, agents, the API). */
export const MAX_TEXT_LENGTH = 4096;

/** The channel account facts the pipeline needs. */
export interface ChannelAccountRef {
  id: string;
  clientId: string;
  kind: ChannelKind;
  /** The account was deleted: its conversations stay readable, but nothing new comes in or starts on it. */
  deleted?: boolean;
  /** The client was terminated: nothing comes in, goes out or is answered on its channels any more. */
  halted?: boolean;
}

export interface IdentityRef {
  kind: IdentityKind;
  value: string;
}

/** Metadata of a file on a message; `id` names a row of `attachments` when the file is stored here. */
export interface AttachmentMeta {
  id?: string;
  name: string;
  mime: string;
  size: number;
  /** A remote location the platform gave (not fetched by the pipeline). */
  url?: string;
  /** A file the platform sent that Habar did not store, and why (the thread says so in the reader's language). */
  notStored?: 'download_failed' | 'too_large' | 'storage_full' | 'downloads_off';
  /** What a nameless file stands for (image, story_reply, share, unsupported, …): the thread shows it translated, `name` is its English fallback. */
  label?: string;
  /** When the file was stored here (absent on messages stored before it was recorded). */
  createdAt?: string;
}

export interface Contact {
  id: string;
  clientId: string;
  displayName: string;
  phone: string | null;
  tags: string[];
  restricted: boolean;
  objected: boolean;
  minor: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Conversation {
  id: string;
  clientId: string;
  contactId: string;
  channelAccountId: string;
  status: ConversationStatus;
  assigneeUserId: string | null;
  aiState: AiState;
  aiPausedUntil: string | null;
  unreadCount: number;
  lastActivityAt: string;
  lastInboundAt: string | null;
  lastAutoReplyAt: string | null;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Message {
  id: string;
  clientId: string;
  contactId: string;
  conversationId: string;
  channelAccountId: string;
  direction: Direction;
  authorKind: AuthorKind;
  authorUserId: string | null;
  platformMessageId: string | null;
  text: string;
  attachments: AttachmentMeta[];
  status: MessageStatus;
  error: string | null;
  /** The failure's reason as a catalog key and values (the thread says it in the reader's language); `error` is its English text. */
  errorReason: { key: string; params?: Record<string, string | number> } | null;
  /** A send call is under way (or was when a crash happened) on a platform without idempotency. */
  inFlight: boolean;
  /** A crash left the outcome of a send unknown; it was retried at most once. Shown in the thread. */
  uncertain: boolean;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  /** The customer edited it on the platform (the text is the edited one). */
  editedAt: string | null;
  /** The customer deleted (revoked) it on the platform. */
  deletedAt: string | null;
  /** The message of the same conversation this one answers (shown quoted on the platform). */
  replyToMessageId: string | null;
}

/** A normalised inbound event, as every channel adapter delivers it to `ingestInbound`. */
export interface InboundEvent {
  channelAccountId: string;
  /** Unique per channel account: a redelivery with the same id is a no-op that still succeeds. */
  platformMessageId: string;
  from: {
    /** At least one; the contact is found by any of them and gains the missing ones. */
    identities: IdentityRef[];
    displayName?: string;
    phone?: string;
  };
  /** Stored whole, however long (limits apply to what we send). */
  text: string;
  /**
   * Files that came with it. Media the adapter stored with storeAttachment (metadata with an id,
   * not on a message yet) is linked to this message and its contact in the ingest transaction.
   */
  attachments?: AttachmentMeta[];
  /**
   * 'out' for a message the business's own account sent (the platform's echo, e.g. typed on the
   * phone): stored as an agent message already sent. The channel host drops an echo of a send of
   * ours before it reaches the pipeline (see the channels room's echo guard). Default 'in'.
   */
  direction?: Direction;
  /**
   * An old message from the platform's history sync: stored, but never processed (no AI, rule or
   * auto-reply answers it), not counted unread, not billed as an inbound message, and published as
   * no message event (no webhook; an old message typed on the phone does not pause the AI).
   */
  history?: boolean;
}

export interface IngestResult {
  messageId: string;
  conversationId: string;
  contactId: string;
  clientId: string;
  /** True when this platform message id was already stored (nothing new was written). */
  duplicate: boolean;
}

/** A normalised outbound message, as the send job hands it to a channel adapter. */
export interface OutboundMessage {
  messageId: string;
  clientId: string;
  channelAccountId: string;
  conversationId: string;
  contactId: string;
  /** The contact's identities on this channel account (the adapter picks the one it addresses). */
  to: IdentityRef[];
  text: string;
  attachments: AttachmentMeta[];
  /** The message this one answers, as the platform knows it (absent: not a reply, or the quoted one was never on the platform). */
  replyTo?: { platformMessageId: string; text: string; direction: Direction };
  /**
   * Given only to an in-process receiver (see ChannelSender.inProcess): the send job's open
   * transaction, so the delivery commits with the message's outcome and the job's completion.
   */
  db?: Db;
}

export interface SendResult {
  platformMessageId: string;
}

/** What the send job needs from the channels room (implemented by the channel manager). */
export interface ChannelSender {
  /** Whether the receiving side dedupes by our message id, so a retry after a crash cannot send twice. */
  idempotent(account: ChannelAccountRef): boolean;
  /**
   * Whether the receiving side is this very database (the sandbox): then the send job calls
   * `send` inside its outcome transaction (with `message.db`), one commit per send instead of two.
   */
  inProcess?(account: ChannelAccountRef): boolean;
  send(account: ChannelAccountRef, message: OutboundMessage): Promise<SendResult>;
}

/** How a new contact is addressed on a channel: the "to" of a new conversation, parsed. */
export interface NewContactAddress {
  identity: IdentityRef;
  phone?: string;
  /** A name to show when the person starting the conversation gives none. */
  displayName?: string;
}

/** What a channel accepts in one message. */
export interface ChannelLimits {
  maxTextLength: number;
  attachments: {
    /** MIME type prefixes accepted (e.g. "image/"); empty: no attachments. */
    mimeTypes: string[];
    maxBytes: number;
  };
}

/**
 * What the messaging room needs to know about a channel kind. The channels room's drivers answer
 * (see ChannelDirectory); messaging never names a kind itself.
 */
export interface ChannelRules {
  /**
   * Whether a person may start a conversation on this kind, and with what: 'address' (the "to"
   * is needed), 'optional' (an empty "to" makes a new contact's address). Absent: it cannot
   * (e.g. Instagram, where only a contact's message opens the reply window).
   */
  startConversation?: 'address' | 'optional';
  /** Parses and checks the "to" of a new conversation; throws a 400 with field "to". */
  parseAddress(to: string): NewContactAddress;
  limits: ChannelLimits;
  /** How long after the contact's last message the business may still write (null: no window). */
  replyWindowMs: number | null;
  /**
   * Past the reply window, how long a person's (not an automatic) message may still be sent with
   * the platform's tag (Instagram: HUMAN_AGENT, 7 days), where the client enables it. Absent: never.
   */
  humanAgentWindow?: { ms: number; tag: string; /** The client setting (true/false) that enables it. */ setting: string };
}

/** The channel kinds' rules by kind (implemented by the channels room's registry and manager). */
export interface ChannelDirectory {
  rulesFor(kind: ChannelKind): ChannelRules | undefined;
}
