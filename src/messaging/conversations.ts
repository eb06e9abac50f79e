import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { ConversationsTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { findUserById } from '../auth/index.ts';
import type { ConversationChange, EventHub } from './events.ts';
import { inTransaction } from './transaction.ts';
import { CONVERSATION_STATUSES, type AiState, type Conversation, type ConversationStatus } from './types.ts';

export function toConversation(r: Selectable<ConversationsTable>): Conversation {
  return {
    id: r.id, clientId: r.client_id, contactId: r.contact_id, channelAccountId: r.channel_account_id,
    status: r.status as ConversationStatus, assigneeUserId: r.assignee_user_id, aiState: r.ai_state as AiState,
    aiPausedUntil: r.ai_paused_until, unreadCount: r.unread_count, lastActivityAt: r.last_activity_at,
    lastInboundAt: r.last_inbound_at, lastAutoReplyAt: r.last_auto_reply_at, resolvedAt: r.resolved_at,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** A client's conversation; another client's (or none) is "not found". */
export async function getConversation(db: Db, clientId: string, id: string): Promise<Conversation> {
  const r = await db.selectFrom('conversations').selectAll().where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
  if (!r) throw notFound('No such conversation');
  return toConversation(r);
}

const byId = compiled<{ id: string }, Selectable<ConversationsTable>>((db, arg) => db.selectFrom('conversations').selectAll().where('id', '=', arg('id')));

/**
 * A conversation by id, whichever client's (undefined: none, e.g. erased): for work that already
 * holds the id from a trusted row (a job, a message). Built once: it runs for every message.
 */
export async function findConversation(db: Db, id: string): Promise<Conversation | undefined> {
  const r = await byId.first(db, { id });
  return r && toConversation(r);
}

// Every inbound message finds its conversation: built once (db/compiled.ts).
const byContact = compiled<{ account: string; contact: string }, Selectable<ConversationsTable>>((db, arg) =>
  db.selectFrom('conversations').selectAll().where('channel_account_id', '=', arg('account')).where('contact_id', '=', arg('contact')));

const touches = {
  inbound: compiled<{ now: string; id: string }>((db, arg) => db.updateTable('conversations')
    .set((eb) => ({ last_activity_at: arg('now'), last_inbound_at: arg('now'), unread_count: eb('unread_count', '+', 1), updated_at: arg('now') }))
    .where('id', '=', arg('id'))),
  outbound: compiled<{ now: string; id: string }>((db, arg) => db.updateTable('conversations')
    .set({ last_activity_at: arg('now'), updated_at: arg('now') }).where('id', '=', arg('id'))),
  read: compiled<{ now: string; id: string }>((db, arg) => db.updateTable('conversations')
    .set({ last_activity_at: arg('now'), unread_count: 0, updated_at: arg('now') }).where('id', '=', arg('id'))),
};

/**
 * A message was stored in the conversation (in the caller's transaction): it moves to the top of
 * the inbox; a customer's message counts as unread, an agent's reply marks the thread read.
 */
export async function touchConversation(trx: Db, id: string, now: string, what: 'inbound' | 'outbound' | 'read'): Promise<void> {
  await touches[what].execute(trx, { now, id });
}

/**
 * The contact's conversation on this channel account: found (a resolved one is reopened) or
 * opened. One per contact and channel account (a unique index), so concurrent first messages
 * cannot open two. Runs inside the caller's transaction.
 */
export async function findOrOpenConversation(
  trx: Db, clock: Clock, input: { clientId: string; contactId: string; channelAccountId: string },
): Promise<{ conversation: Conversation; change?: 'created' | 'reopened' }> {
  const now = clock.now().toISOString();
  const r = await byContact.first(trx, { account: input.channelAccountId, contact: input.contactId });
  if (r) {
    if (r.status !== 'resolved') return { conversation: toConversation(r) };
    await trx.updateTable('conversations').set({ status: 'open', resolved_at: null, updated_at: now }).where('id', '=', r.id).execute();
    return { conversation: toConversation({ ...r, status: 'open', resolved_at: null, updated_at: now }), change: 'reopened' };
  }
  const row = {
    id: newId(), client_id: input.clientId, contact_id: input.contactId, channel_account_id: input.channelAccountId,
    status: 'open', assignee_user_id: null, ai_state: 'active', ai_paused_until: null, unread_count: 0,
    last_activity_at: now, last_inbound_at: null, last_auto_reply_at: null, resolved_at: null, created_at: now, updated_at: now,
  };
  await trx.insertInto('conversations').values(row).execute();
  return { conversation: toConversation(row), change: 'created' };
}

export interface ConversationFilter {
  clientId: string;
  status?: ConversationStatus;
  channelAccountId?: string;
  unread?: boolean;
  assigneeUserId?: string;
  contactId?: string;
  /** Only conversations changed at or after this time (RFC 3339 UTC, as stored). */
  updatedSince?: string;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit?: number;
}

/** A page of conversations, newest activity first (index conversations_inbox_idx / _status_idx). */
export async function listConversations(db: Db, f: ConversationFilter): Promise<{ data: Conversation[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  let q = db.selectFrom('conversations').selectAll().where('client_id', '=', f.clientId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.channelAccountId) q = q.where('channel_account_id', '=', f.channelAccountId);
  if (f.unread) q = q.where('unread_count', '>', 0);
  if (f.assigneeUserId) q = q.where('assignee_user_id', '=', f.assigneeUserId);
  if (f.contactId) q = q.where('contact_id', '=', f.contactId);
  if (f.updatedSince) q = q.where('updated_at', '>=', f.updatedSince);
  if (f.cursor) {
    const [at, id] = decodeCursor(f.cursor);
    // A row value, not an OR: SQLite seeks the index to it instead of walking every newer row.
    q = q.where((eb) => eb(eb.refTuple('last_activity_at', 'id'), '<', eb.tuple(at, id)));
  }
  const rows = await q.orderBy('last_activity_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toConversation);
  const last = page[page.length - 1];
  return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last.lastActivityAt, last.id) : null };
}

const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || extra !== undefined || Number.isNaN(Date.parse(at)) || !/^[0-9a-z]{26}$/.test(id)) throw badRequest('Invalid cursor', 'cursor', 'invalid_cursor');
  return [at, id];
}

interface UpdateDeps {
  db: Db;
  clock: Clock;
  hub: EventHub;
}

type Patch = Partial<Pick<Selectable<ConversationsTable>, 'status' | 'resolved_at' | 'assignee_user_id' | 'unread_count'>>;

/** Applies a change; emits conversation.updated (with its webhook deliveries) only when something actually changed. */
function patchConversation(deps: UpdateDeps, clientId: string, id: string, set: Patch, change: ConversationChange): Promise<Conversation> {
  return inTransaction(deps, async (trx, events) => {
    const current = await trx.selectFrom('conversations').selectAll().where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
    if (!current) throw notFound('No such conversation');
    const changed = (Object.keys(set) as Array<keyof Patch>).some((k) => current[k] !== set[k]);
    if (!changed) return toConversation(current);
    const now = deps.clock.now().toISOString();
    await trx.updateTable('conversations').set({ ...set, updated_at: now }).where('id', '=', id).execute();
    const conversation = toConversation({ ...current, ...set, updated_at: now });
    events.push({ type: 'conversation.updated', clientId, at: now, conversation, change });
    return conversation;
  });
}

/** Resolve, reopen or set pending. */
export async function setConversationStatus(deps: UpdateDeps, clientId: string, id: string, status: ConversationStatus): Promise<Conversation> {
  if (!CONVERSATION_STATUSES.includes(status)) throw badRequest('The status must be open, pending or resolved', 'status');
  const now = deps.clock.now().toISOString();
  return patchConversation(deps, clientId, id, { status, resolved_at: status === 'resolved' ? now : null }, 'status');
}

/** Assigns to a member of the same client (or nobody with null). */
export async function assignConversation(deps: UpdateDeps, clientId: string, id: string, userId: string | null): Promise<Conversation> {
  if (userId) {
    const u = await findUserById(deps.db, userId);
    if (u?.clientId !== clientId) throw badRequest('The assignee must be a member of this client', 'assignee_user_id');
  }
  return patchConversation(deps, clientId, id, { assignee_user_id: userId }, 'assignee');
}

/** Marks the conversation read (unread count 0). */
export async function markConversationRead(deps: UpdateDeps, clientId: string, id: string): Promise<Conversation> {
  return patchConversation(deps, clientId, id, { unread_count: 0 }, 'read');
}
