import type { Context } from 'hono';
import {
  CONVERSATION_STATUSES, INBOX_SEARCH_MAX, MAX_ATTACHMENT_BYTES, MAX_TEXT_LENGTH, getThreadHeader, inboxChannels, listInbox, markConversationRead, olderPageStart, replyWindowNow, threadMessages,
  type ConversationStatus,
} from '../../messaging/index.ts';
import { getChannelAccount } from '../../channels/index.ts';
import { aiStateAt, conversationAiInfo } from '../../ai/index.ts';
import type { Client } from '../../tenants/index.ts';
import { inboxBase, inboxQuery, type InboxFilterValues, type InboxListView } from '../../../views/pages/inbox.tsx';
import type { ThreadView } from '../../../views/pages/inbox-thread.tsx';
import type { HttpEnv } from '../env.ts';
import { templatesForConversation } from '../../automation/index.ts';

// What the inbox routes load for their views: the filtered list and one thread.

type C = Context<HttpEnv>;

/** Every role that works a client's inbox (support staff only while the client grants access). */
export const INBOX_ROLES = ['admin', 'support', 'owner', 'representative', 'agent'];

/** The list's filters from the query string; anything unknown is ignored, not an error. */
export function filterOf(c: C): InboxFilterValues {
  const status = c.req.query('status');
  const channel = c.req.query('channel');
  return {
    status: CONVERSATION_STATUSES.includes(status as ConversationStatus) ? status : undefined,
    channel: channel && /^[0-9a-z]{26}$/.test(channel) ? channel : undefined,
    unread: c.req.query('unread') === '1',
    q: (c.req.query('q') ?? '').trim().slice(0, INBOX_SEARCH_MAX) || undefined,
  };
}

/** The filters as `?…` (or ''), to keep them across a form post and its redirect. */
export const keepOf = (c: C) => inboxQuery(filterOf(c));

/** The thread page again after an action, keeping the list's filters. */
export const backToThread = (c: C, client: Client, id: string) => c.redirect(`${inboxBase(client.slug)}/${id}${keepOf(c)}`, 303);

export async function loadList(c: C, client: Client, openId?: string): Promise<InboxListView> {
  const db = c.get('ctx').db;
  const filter = filterOf(c);
  const cursor = c.req.query('cursor') || undefined;
  const [page, channels] = await Promise.all([
    listInbox(db, {
      clientId: client.id, status: filter.status as ConversationStatus | undefined, channelAccountId: filter.channel,
      unread: filter.unread, search: filter.q, cursor,
    }),
    inboxChannels(db, client.id),
  ]);
  // A pause whose time ran out shows as what it is now (answering), without writing on a GET.
  const now = c.get('ctx').clock.now();
  const rows = page.data.map((r) => ({ ...r, conversation: { ...r.conversation, ...aiStateAt(r.conversation, now) } }));
  return { client: { slug: client.slug, name: client.name }, filter, rows, cursor, nextCursor: page.nextCursor, channels, openId };
}

/**
 * One thread as the inbox shows it. `since` re-renders from a message on (live refresh), `older`
 * adds the page before a message. Opening or refreshing a thread marks it read.
 */
export async function loadThread(
  c: C, client: Client, conversationId: string,
  opts: { since?: string; older?: string; markRead?: boolean; extra?: Partial<ThreadView> } = {},
): Promise<ThreadView> {
  const ctx = c.get('ctx');
  let header = await getThreadHeader(ctx.db, client.id, conversationId);
  if (opts.markRead && header.conversation.unreadCount > 0) {
    header = { ...header, conversation: await markConversationRead(ctx, client.id, conversationId) };
  }
  let since = opts.since;
  if (opts.older) since = (await olderPageStart(ctx.db, conversationId, opts.older)) ?? opts.older;
  const { messages, hasOlder } = await threadMessages(ctx.db, conversationId, { sinceId: since, limit: 50 });
  const authorIds = [...new Set(messages.map((m) => m.authorUserId).filter((x): x is string => !!x))];
  const authors: Record<string, string> = {};
  if (authorIds.length) {
    for (const u of await ctx.db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', authorIds).execute()) authors[u.id] = u.name || u.email;
  }
  // The customer's side of the conversation, where the channel has one (the sandbox's chat page).
  const driver = ctx.channels.registry.driverFor(header.channel.kind);
  const customerLink = driver?.customerLink
    ? driver.customerLink({ publicUrl: ctx.publicUrl(), vault: ctx.vault }, await getChannelAccount(ctx.db, client.id, header.channel.id), header.identities)
    : undefined;
  // Whether a reply can reach the customer now: the channel's driver's window.
  const replyWindow = driver ? await replyWindowNow(ctx, driver, header.conversation) : undefined;
  const shown = aiStateAt(header.conversation, ctx.clock.now());
  const ai = { ...(await conversationAiInfo(ctx.db, header.conversation)), state: shown.aiState, pausedUntil: shown.aiPausedUntil };
  // The response templates, rendered for this contact, for /code in the reply box.
  const templates = await templatesForConversation(ctx.db, ctx.clock, client.id, conversationId);
  return { header, messages, hasOlder, authors, customerLink, keep: keepOf(c), maxBytes: MAX_ATTACHMENT_BYTES, maxChars: MAX_TEXT_LENGTH, ai, replyWindow, templates, ...opts.extra };
}
