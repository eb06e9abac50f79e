import { z } from 'zod';
import { ContactSchema, ConversationSchema, MessageSchema, contactJson, conversationJson, messageJson } from './representation.ts';
import {
  AI_STATES, CONVERSATION_STATUSES, MAX_TEXT_LENGTH, getAttachment, getConversation, getMessage, listConversations, listMessages,
  sendMessage, setConversationStatus, startConversation, type AttachmentMeta, type Conversation,
} from '../../../messaging/index.ts';
import { aiStateAt, changeAiState } from '../../../ai/index.ts';
import { badRequest } from '../../../lib/errors.ts';
import { apiClientId, type ApiContext, apiActor } from './api-env.ts';
import { PageQuery, chars, pathId, readJson, readQuery, renameFields } from './validation.ts';
import type { ApiRoute } from './api-route.ts';
import { named } from './openapi-builder.ts';

const List = (item: z.ZodType) => z.object({ data: z.array(item), next_cursor: z.string().nullable() });

const ConversationQuery = PageQuery.extend({
  status: z.enum(CONVERSATION_STATUSES as [string, ...string[]]).optional(),
  channel_id: z.string().max(100).optional(),
  contact_id: z.string().max(100).optional().describe('Only this contact’s conversations'),
  updated_since: z.iso.datetime({ offset: true }).optional().describe('Only conversations changed at or after this time (RFC 3339), e.g. to sync what changed since the last poll'),
  unread: z.enum(['true', 'false']).optional().describe('true: only conversations with unread messages'),
}).strict();

const text = chars(MAX_TEXT_LENGTH).describe(`At most ${MAX_TEXT_LENGTH} characters (Unicode code points: an emoji is one)`);
const attachmentIds = z.array(z.string().max(100)).max(10).optional().describe('Ids from POST /api/v1/attachments');
const NewMessage = z.object({
  text, attachment_ids: attachmentIds,
  reply_to_message_id: z.string().max(100).optional().describe('A message of this conversation to answer: WhatsApp shows it quoted above the reply'),
}).strict();
const NewConversation = z.object({
  channel_id: z.string().max(100),
  to: z.string().max(200).describe('WhatsApp: a phone number; Instagram: the Instagram-scoped id; sandbox: a customer id'),
  text,
  name: chars(200).optional().describe('The contact’s name, for a new contact'),
  attachment_ids: attachmentIds,
}).strict();
const StartedConversation = named('StartedConversation', z.object({ conversation: ConversationSchema, contact: ContactSchema, message: MessageSchema }));

const ConversationPatch = z.object({
  status: z.enum(CONVERSATION_STATUSES as [string, ...string[]]).optional(),
  ai_state: z.enum(AI_STATES as [string, ...string[]]).optional()
    .describe('paused: take over (the AI stops answering this conversation until resumed; automation rules keep running); active: resume the AI; off: no AI in this conversation. Recorded in the audit log.'),
}).strict();

/** The conversation as the API shows it: a pause whose time ran out is already "active". */
const shown = (c: ApiContext, conv: Conversation) => conversationJson({ ...conv, ...aiStateAt(conv, c.get('ctx').clock.now()) });

/** The client's uploaded files not yet on a message (an id of another client's file is not found). */
async function attachmentsOf(c: ApiContext, ids: string[] | undefined): Promise<AttachmentMeta[]> {
  const out: AttachmentMeta[] = [];
  for (const id of new Set(ids ?? [])) {
    const a = await getAttachment(c.get('ctx').db, c.get('ctx').config.dataDir, apiClientId(c), id).catch(() => undefined);
    if (!a) throw badRequest(`No uploaded file with the id "${id}"`, 'attachment_ids', 'invalid_attachment');
    if (a.messageId) throw badRequest(`The file "${id}" is already on a message`, 'attachment_ids', 'invalid_attachment');
    out.push({ id: a.id, name: a.name, mime: a.mime, size: a.size, createdAt: a.createdAt });
  }
  return out;
}

export const conversationRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/conversations', operationId: 'listConversations', tag: 'Conversations', summary: 'List conversations, latest activity first',
    query: ConversationQuery, responses: { 200: { description: 'A page of conversations', schema: List(ConversationSchema) } },
    async handler(c) {
      const q = readQuery(c, ConversationQuery);
      const r = await listConversations(c.get('ctx').db, {
        clientId: apiClientId(c), status: q.status as never, channelAccountId: q.channel_id, contactId: q.contact_id, unread: q.unread === 'true',
        updatedSince: q.updated_since && new Date(q.updated_since).toISOString(), cursor: q.cursor, limit: q.limit,
      });
      return c.json({ data: r.data.map((conv) => shown(c, conv)), next_cursor: r.nextCursor });
    },
  },
  {
    method: 'post', path: '/api/v1/conversations', operationId: 'startConversation', tag: 'Conversations', summary: 'Start a conversation (or continue the existing one) with a first message',
    body: NewConversation,
    description: 'One conversation per contact and channel: when the address already has one, the message continues it (reopening it when resolved) and the answer is 200; a new conversation answers 201.',
    responses: {
      201: { description: 'A new conversation, its contact and the queued message', schema: StartedConversation },
      200: { description: 'The existing conversation continued, its contact and the queued message', schema: StartedConversation },
    },
    async handler(c) {
      const input = await readJson(c, NewConversation);
      const r = await renameFields(startConversation(c.get('ctx'), {
        clientId: apiClientId(c), channelAccountId: input.channel_id, to: input.to, text: input.text, displayName: input.name,
        attachments: await attachmentsOf(c, input.attachment_ids), authorKind: 'agent',
      }), { display_name: 'name' });
      // Re-read: the first message of a person paused the AI in the same transaction.
      const conversation = await getConversation(c.get('ctx').db, apiClientId(c), r.conversation.id);
      return c.json({ conversation: shown(c, conversation), contact: contactJson(r.contact), message: messageJson(r.message) }, r.created ? 201 : 200);
    },
  },
  {
    method: 'get', path: '/api/v1/conversations/{conversation_id}', operationId: 'getConversation', tag: 'Conversations', summary: 'One conversation, with its AI state (ai_state, ai_paused_until)',
    description: 'ai_state is active (the AI answers), paused (a person replied or took over: until ai_paused_until, or until resumed when it is null), handed_off (the AI handed the conversation to a person) or off.',
    responses: { 200: { description: 'The conversation', schema: ConversationSchema } },
    async handler(c) {
      return c.json(shown(c, await getConversation(c.get('ctx').db, apiClientId(c), pathId(c, 'conversation_id'))));
    },
  },
  {
    method: 'patch', path: '/api/v1/conversations/{conversation_id}', operationId: 'updateConversation', tag: 'Conversations', summary: 'Resolve or reopen; pause, resume or switch off the AI',
    description: 'Resolving resumes a paused or handed-off AI. A change of ai_state is recorded in the audit log with the API key as the actor.',
    body: ConversationPatch, responses: { 200: { description: 'The conversation', schema: ConversationSchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      const id = pathId(c, 'conversation_id');
      await getConversation(ctx.db, apiClientId(c), id);
      const patch = await readJson(c, ConversationPatch);
      if (patch.status) await setConversationStatus(ctx, apiClientId(c), id, patch.status as never);
      if (patch.ai_state) {
        const actor = apiActor(c);
        await changeAiState(ctx, actor, apiClientId(c), id, patch.ai_state as never);
      }
      return c.json(shown(c, await getConversation(ctx.db, apiClientId(c), id)));
    },
  },
  {
    method: 'get', path: '/api/v1/conversations/{conversation_id}/messages', operationId: 'listMessages', tag: 'Messages', summary: 'A conversation’s messages, newest first',
    query: PageQuery, responses: { 200: { description: 'A page of messages', schema: List(MessageSchema) } },
    async handler(c) {
      const db = c.get('ctx').db;
      const conversation = await getConversation(db, apiClientId(c), pathId(c, 'conversation_id'));
      const q = readQuery(c, PageQuery);
      const r = await listMessages(db, conversation.id, { cursor: q.cursor, limit: q.limit });
      return c.json({ data: r.data.map(messageJson), next_cursor: r.nextCursor });
    },
  },
  {
    method: 'post', path: '/api/v1/conversations/{conversation_id}/messages', operationId: 'sendMessage', tag: 'Messages', summary: 'Send a message into a conversation',
    description: 'The message is stored as queued and sent by the outbox; its status changes to sent (message.sent webhook) or failed (message.failed).',
    body: NewMessage, responses: { 201: { description: 'The queued message', schema: MessageSchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      const conversation = await getConversation(ctx.db, apiClientId(c), pathId(c, 'conversation_id'));
      const input = await readJson(c, NewMessage);
      const message = await sendMessage(ctx, apiClientId(c), conversation.id, {
        text: input.text, attachments: await attachmentsOf(c, input.attachment_ids), authorKind: 'agent',
        ...(input.reply_to_message_id !== undefined ? { replyToMessageId: input.reply_to_message_id } : {}),
      });
      return c.json(messageJson(message), 201);
    },
  },
  {
    method: 'get', path: '/api/v1/messages/{message_id}', operationId: 'getMessage', tag: 'Messages', summary: 'One message (e.g. to follow its delivery status)',
    responses: { 200: { description: 'The message', schema: MessageSchema } },
    async handler(c) {
      return c.json(messageJson(await getMessage(c.get('ctx').db, apiClientId(c), pathId(c, 'message_id'))));
    },
  },
];
