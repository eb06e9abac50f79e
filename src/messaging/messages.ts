import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import { compiled, rowArgs } from '../db/index.ts';
import type { MessagesTable } from '../db/index.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import type { AttachmentMeta, AuthorKind, Direction, Message, MessageStatus } from './types.ts';

/** A message row as selected, or as just inserted (without the columns only later changes set). */
type MessageRowLike = Omit<Selectable<MessagesTable>, 'edited_at' | 'deleted_at' | 'reply_to_message_id' | 'error_reason'> & {
  edited_at?: string | null; deleted_at?: string | null; reply_to_message_id?: string | null; error_reason?: string | null;
};

/** A failure's reason (JSON {key, params}); none or a damaged one reads as none. */
function parseReason(json: string | null | undefined): Message['errorReason'] {
  if (!json) return null;
  try { return JSON.parse(json); } catch { return null; }
}

/** A row's attachments column (JSON); a damaged one reads as none. */
function parseAttachments(json: string): AttachmentMeta[] {
  try { return JSON.parse(json); } catch { return []; }
}

export function toMessage(r: MessageRowLike): Message {
  const attachments = parseAttachments(r.attachments);
  return {
    id: r.id, clientId: r.client_id, contactId: r.contact_id, conversationId: r.conversation_id, channelAccountId: r.channel_account_id,
    direction: r.direction as Direction, authorKind: r.author_kind as AuthorKind, authorUserId: r.author_user_id,
    platformMessageId: r.platform_message_id, text: r.text, attachments, status: r.status as MessageStatus, error: r.error, errorReason: parseReason(r.error_reason),
    inFlight: !!r.in_flight_at, uncertain: !!r.uncertain, createdAt: r.created_at, sentAt: r.sent_at, deliveredAt: r.delivered_at, readAt: r.read_at,
    editedAt: r.edited_at ?? null, deletedAt: r.deleted_at ?? null, replyToMessageId: r.reply_to_message_id ?? null,
  };
}

/** A whole message row, as inbound and outbound messages are stored. */
export type MessageRow = Required<Omit<Insertable<MessagesTable>, 'edited_at' | 'deleted_at' | 'error_reason'>>;

const MESSAGE_COLUMNS: ReadonlyArray<keyof MessageRow> = [
  'id', 'client_id', 'contact_id', 'conversation_id', 'channel_account_id', 'direction', 'author_kind', 'author_user_id',
  'platform_message_id', 'text', 'attachments', 'status', 'error', 'in_flight_at', 'uncertain', 'created_at', 'sent_at',
  'delivered_at', 'read_at', 'updated_at', 'reply_to_message_id',
];
const insertRow = compiled<MessageRow>((db, arg) => db.insertInto('messages').values(rowArgs<MessageRow>(arg, MESSAGE_COLUMNS)));

/** Stores a message row (inside the caller's transaction); the message path's one INSERT of messages. */
export async function insertMessage(trx: Db, row: MessageRow): Promise<void> {
  await insertRow.execute(trx, row);
}

/** A client's message; another client's (or none) is "not found". */
export async function getMessage(db: Db, clientId: string, id: string): Promise<Message> {
  const r = await db.selectFrom('messages').selectAll().where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
  if (!r) throw notFound('No such message');
  return toMessage(r);
}

/**
 * A page of a conversation's messages, newest first; `cursor` is the previous page's
 * `nextCursor` (a message id: ids sort by time). Uses index messages_thread_idx.
 * The caller has checked that the conversation belongs to the client.
 */
export async function listMessages(db: Db, conversationId: string, opts: { cursor?: string; limit?: number } = {}): Promise<{ data: Message[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  if (opts.cursor !== undefined && !/^[0-9a-z]{26}$/.test(opts.cursor)) throw badRequest('Invalid cursor', 'cursor', 'invalid_cursor');
  let q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
  if (opts.cursor) q = q.where('id', '<', opts.cursor);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toMessage);
  return { data: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

/** Messages after `afterId` in time order (a live thread polling for what is new). */
export async function listMessagesAfter(db: Db, conversationId: string, afterId: string | undefined, limit = 200): Promise<Message[]> {
  let q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
  if (afterId) q = q.where('id', '>', afterId);
  return (await q.orderBy('id', 'asc').limit(limit).execute()).map(toMessage);
}

const byId = compiled<{ id: string }, Selectable<MessagesTable>>((db, arg) => db.selectFrom('messages').selectAll().where('id', '=', arg('id')));

/**
 * A message by id, whichever client's (undefined: none, e.g. erased): for work that holds the id
 * from a trusted row (a job). Built once: it runs for every message.
 */
export async function findMessage(db: Db, id: string): Promise<Message | undefined> {
  const r = await byId.first(db, { id });
  return r && toMessage(r);
}

/** findMessage's stored row, for messaging's own jobs that write it back (the send job). */
export function findMessageRow(db: Db, id: string): Promise<Selectable<MessagesTable> | undefined> {
  return byId.first(db, { id });
}

/** One message of a thread as readers of the conversation's recent past need it. */
export interface ThreadEntry {
  id: string;
  direction: Direction;
  authorKind: AuthorKind;
  text: string;
  attachments: AttachmentMeta[];
  createdAt: string;
}

/**
 * The newest `limit` messages of a conversation, oldest first: a bounded read however long the
 * thread is (index messages_thread_idx). What the AI's context and the sandbox chat are built from.
 */
export async function recentThread(db: Db, conversationId: string, limit: number): Promise<ThreadEntry[]> {
  const rows = await db.selectFrom('messages').select(['id', 'direction', 'author_kind', 'text', 'attachments', 'created_at'])
    .where('conversation_id', '=', conversationId).orderBy('id', 'desc').limit(limit).execute();
  return rows.reverse().map((r) => ({
    id: r.id, direction: r.direction as Direction, authorKind: r.author_kind as AuthorKind, text: r.text, attachments: parseAttachments(r.attachments), createdAt: r.created_at,
  }));
}

/**
 * When a person of the business last wrote in the conversation (inbox, API, typed on the phone),
 * looking only at its newest `scan` messages (a bounded read); null: not among them.
 */
export async function lastAgentMessageAt(db: Db, conversationId: string, scan: number): Promise<string | null> {
  const recent = db.selectFrom('messages').select(['author_kind', 'created_at', 'id']).where('conversation_id', '=', conversationId)
    .orderBy('id', 'desc').limit(scan).as('recent');
  const r = await db.selectFrom(recent).select('created_at').where('author_kind', '=', 'agent').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r?.created_at ?? null;
}

/** Whether the business answered (anything out but system notices) after message `afterId`. */
export async function businessRepliedAfter(db: Db, conversationId: string, afterId: string): Promise<boolean> {
  const r = await db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('id', '>', afterId)
    .where('direction', '=', 'out').where('author_kind', '!=', 'system').limit(1).executeTakeFirst();
  return !!r;
}

/** A conversation's first customer message, first AI reply and first reply of a person in a time window. */
export interface FirstReplies {
  conversationId: string;
  firstIn: string | null;
  firstAi: string | null;
  firstAgent: string | null;
}

/** For each of the client's conversations with messages in [from, to): when the customer, the AI and a person first wrote in it. */
export async function firstRepliesByConversation(db: Db, clientId: string, from: string, to: string): Promise<FirstReplies[]> {
  return db.selectFrom('messages').select(['conversation_id as conversationId',
    sql<string | null>`min(case when direction = 'in' then created_at end)`.as('firstIn'),
    sql<string | null>`min(case when author_kind = 'ai' then created_at end)`.as('firstAi'),
    sql<string | null>`min(case when author_kind = 'agent' then created_at end)`.as('firstAgent')])
    .where('client_id', '=', clientId).where('created_at', '>=', from).where('created_at', '<', to)
    .groupBy('conversation_id').execute();
}
