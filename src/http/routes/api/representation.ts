import { z } from 'zod';
import { AI_STATES, CHANNEL_KINDS, CHANNEL_STATUSES, CONVERSATION_STATUSES, type AttachmentMeta, type Contact, type Conversation, type Message } from '../../../messaging/index.ts';
import type { ChannelStatusInfo } from '../../../messaging/index.ts';
import { named } from './schema-registry.ts';

// The public JSON shape of messaging objects, shared by the REST API and the outgoing webhooks:
// snake_case, string ids, RFC 3339 UTC times. The schemas document it; the functions produce it.

/** A time: RFC 3339 in UTC (e.g. 2026-01-15T09:30:00.000Z). */
export const time = () => z.string().meta({ format: 'date-time' }).describe('RFC 3339, UTC');

const channelFields = {
  id: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  name: z.string(),
  status: z.enum(CHANNEL_STATUSES),
  last_error: z.string().nullable(),
};

export const ChannelSchema = named('Channel', z.object({
  ...channelFields,
  customer_url: z.string().meta({ format: 'uri' }).optional().describe('Sandbox only: the customer-side chat page; POST <customer_url>/messages sends as a customer'),
  qr: z.string().nullable().describe('While status is qr: the QR code’s content as WhatsApp gives it (draw it as a QR code to scan; it changes every ~20 s); null otherwise'),
  phone: z.string().nullable().describe('The paired number (E.164) once connected'),
  profile_name: z.string().nullable().describe('The paired account’s profile name once connected'),
  status_at: time().nullable().describe('When the status last changed'),
  settings: z.record(z.string(), z.union([z.boolean(), z.number()])).optional().describe('The kind’s settings with the values in force (a WhatsApp number: groups, statusBroadcasts, newsletters, downloadMedia, mediaMaxBytes, clientMediaMaxBytes, dailyNewContacts, historySyncDays); absent for kinds without settings. Change them with PATCH'),
  created_at: time(),
  updated_at: time(),
}));

/** The data of a channel.status webhook event: the channel's new status. */
export const ChannelStatusEventSchema = named('ChannelStatusChange', z.object(channelFields), 'A channel account’s new status (the data of a channel.status event)');

export const ContactSchema = named('Contact', z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  tags: z.array(z.string()),
  objected: z.boolean().describe('The person objected to automatic messages (wrote STOP, or it was recorded for them): no AI reply, auto-reply or disclosure is sent to them; people can still write. Lifted when they write START or an agent lifts it in the inbox'),
  restricted: z.boolean().describe('Processing of the person\'s data is restricted (POST /contacts/{id}/restrict): their messages are kept and shown, but nothing about them leaves the appliance: no AI (any provider), no rules or automatic replies, no outgoing webhooks'),
  minor: z.boolean().describe('The person was marked as a minor; their data is erased at once, so a contact you can read is never one'),
  created_at: time(),
  updated_at: time(),
}));

export const ConversationSchema = named('Conversation', z.object({
  id: z.string(),
  channel_id: z.string(),
  contact_id: z.string(),
  status: z.enum(CONVERSATION_STATUSES as [string, ...string[]]),
  assignee_id: z.string().nullable(),
  ai_state: z.enum(AI_STATES as [string, ...string[]]).describe('The AI assistant in this conversation. active: it answers; paused: a person replied or took over (until ai_paused_until, or until resumed when that is null; resolving resumes it); handed_off: the AI handed the conversation to a person (keyword, its handoff tool, or failures); off: no AI here'),
  ai_paused_until: time().nullable().describe('When ai_state is paused: when the AI resumes by itself (null: until a person resumes it or resolves the conversation); null otherwise'),
  unread_count: z.number().int().min(0),
  last_activity_at: time(),
  last_inbound_at: time().nullable(),
  resolved_at: time().nullable(),
  created_at: time(),
  updated_at: time(),
}));

export const AttachmentSchema = named('Attachment', z.object({
  id: z.string().describe('Download it with GET /api/v1/attachments/{attachment_id}'),
  name: z.string(),
  mime: z.string(),
  size: z.number().int().min(1).describe('Bytes'),
  created_at: time().describe('When the file was stored'),
  updated_at: time().describe('A stored file never changes: the same as created_at'),
}));

export const MessageSchema = named('Message', z.object({
  id: z.string(),
  conversation_id: z.string(),
  contact_id: z.string(),
  channel_id: z.string(),
  direction: z.enum(['in', 'out']),
  author: z.enum(['contact', 'agent', 'ai', 'rule', 'system']),
  author_user_id: z.string().nullable(),
  text: z.string(),
  attachments: z.array(AttachmentSchema),
  status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed']),
  error: z.string().nullable(),
  uncertain: z.boolean().describe('A crash left the outcome of a send unknown; it was retried at most once'),
  platform_message_id: z.string().nullable(),
  created_at: time(),
  sent_at: time().nullable(),
  delivered_at: time().nullable(),
  read_at: time().nullable(),
  edited_at: time().nullable().describe('The customer edited it on the platform (text is the edited text)'),
  deleted_at: time().nullable().describe('The customer deleted it on the platform'),
  reply_to_message_id: z.string().nullable().describe('The message of the same conversation this one answers (WhatsApp shows it quoted)'),
}));

/** conversation.updated carries the conversation and why the event fired. */
export const CONVERSATION_CHANGES = ['created', 'reopened', 'status', 'assignee', 'ai_state', 'read', 'contact', 'rule'] as const;
export const ConversationUpdateSchema = named('ConversationUpdate', ConversationSchema.extend({
  change: z.enum(CONVERSATION_CHANGES).describe('What changed: created, reopened, status, assignee, ai_state, read (unread count 0), contact (its name, phone or tags) or rule (an automation rule\'s call_webhook action sent it to one webhook)'),
}), 'A conversation after a change (the data of a conversation.updated event)');

export type ChannelJson = z.infer<typeof ChannelSchema>;
export type AttachmentJson = z.infer<typeof AttachmentSchema>;
export type ContactJson = z.infer<typeof ContactSchema>;
export type ConversationJson = z.infer<typeof ConversationSchema>;
export type MessageJson = z.infer<typeof MessageSchema>;

/** What a channel account shows beyond its status. */
export interface ChannelDetails {
  phone: string | null;
  profileName: string | null;
  statusAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const channelJson = (ch: ChannelStatusInfo & ChannelDetails, customerUrl?: string, qr?: string | null, settings?: Record<string, boolean | number>): ChannelJson => ({
  // A kind is a driver's name (an open string); the document lists the kinds this build has drivers for.
  id: ch.id, kind: ch.kind as ChannelJson['kind'], name: ch.name, status: ch.status, last_error: ch.lastError, ...(customerUrl ? { customer_url: customerUrl } : {}),
  qr: ch.status === 'qr' ? (qr ?? null) : null, phone: ch.phone, profile_name: ch.profileName, status_at: ch.statusAt,
  ...(settings ? { settings } : {}), created_at: ch.createdAt, updated_at: ch.updatedAt,
});

export const channelStatusJson = (ch: ChannelStatusInfo): z.infer<typeof ChannelStatusEventSchema> => ({
  id: ch.id, kind: ch.kind as ChannelJson['kind'], name: ch.name, status: ch.status, last_error: ch.lastError,
});

/** A stored file (`fallbackTime`: the message's time, for files recorded before their own time was). */
export const attachmentJson = (a: AttachmentMeta & { id: string }, fallbackTime: string): AttachmentJson => ({
  id: a.id, name: a.name, mime: a.mime, size: a.size, created_at: a.createdAt ?? fallbackTime, updated_at: a.createdAt ?? fallbackTime,
});

export const contactJson = (c: Contact): ContactJson => ({
  id: c.id, name: c.displayName, phone: c.phone, tags: c.tags, objected: c.objected, restricted: c.restricted, minor: c.minor, created_at: c.createdAt, updated_at: c.updatedAt,
});

export const conversationJson = (c: Conversation): ConversationJson => ({
  id: c.id, channel_id: c.channelAccountId, contact_id: c.contactId, status: c.status, assignee_id: c.assigneeUserId,
  ai_state: c.aiState, ai_paused_until: c.aiPausedUntil, unread_count: c.unreadCount, last_activity_at: c.lastActivityAt,
  last_inbound_at: c.lastInboundAt, resolved_at: c.resolvedAt, created_at: c.createdAt, updated_at: c.updatedAt,
});

export const messageJson = (m: Message): MessageJson => ({
  id: m.id, conversation_id: m.conversationId, contact_id: m.contactId, channel_id: m.channelAccountId, direction: m.direction,
  author: m.authorKind, author_user_id: m.authorUserId, text: m.text,
  // Only files stored here (with an id) can be downloaded through the API; a platform's remote link is not shown.
  attachments: m.attachments.filter((a): a is AttachmentMeta & { id: string } => !!a.id).map((a) => attachmentJson(a, m.createdAt)),
  status: m.status, error: m.error, uncertain: m.uncertain, platform_message_id: m.platformMessageId,
  created_at: m.createdAt, sent_at: m.sentAt, delivered_at: m.deliveredAt, read_at: m.readAt,
  edited_at: m.editedAt, deleted_at: m.deletedAt, reply_to_message_id: m.replyToMessageId,
});
