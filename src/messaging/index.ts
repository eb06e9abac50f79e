// The messaging room: contacts, conversations, messages, the inbound pipeline, the outbox
// (send jobs), the responder chain and the in-process event hub.
//
// Domain functions take `deps` = { db, clock, hub } (AppContext has all three) and a client id,
// so another client's rows answer "not found". Writers emit events through inTransaction: the hub's
// transactional subscribers (outgoing webhooks) queue their work inside the same transaction, and
// the in-memory ones (SSE inbox, the job runner's wake-up) hear of it after the commit. The hub's
// subscribers and their order are the composition's (src/pipeline.ts, HUB_SUBSCRIBERS).
// The conversation's automatic-reply state has one writer here (reply-state.ts): the AI, the
// people's replies, the responder chain and a person's button all change it through it.

export * from './types.ts';
export { EventHub, type MessagingEvent, type MessagingEventType, type ConversationChange, type ChannelStatusInfo, type Subscriber, type TransactionalSubscriber } from './events.ts';

// Inbound: channels call this; acknowledge the platform only after it resolves.
export { ingestInbound, isStoredMessage, PROCESS_MESSAGE_JOB, type MessagingDeps } from './inbound.ts';
// What a platform reports later about a stored message: receipts, a customer's edit or deletion.
export { recordReceipt, recordMessageChange, withdrawOutbound, type MessageChange } from './message-changes.ts';

// Outbound: agents, the API and automation.
export { sendMessage, startConversation, queueOutbound, SEND_MESSAGE_JOB, type OutboundInput } from './outbound.ts';
export { sendJobHandler, SendOutcomeUnknownError } from './send-job.ts';
// The echo guard's durable half (the channels room's host asks it before ingesting an echo).
export { findOwnSendInFlight, type OwnSend } from './own-sends.ts';
// A customer's own view of their thread (a channel's customer page narrows it by its deliveries).
export { conversationByIdentity, customerVisibleThread } from './customer-thread.ts';

// Repositories.
export { getContact, findContact, listContacts, type ContactFilter, updateContact, updateContactWithEvents, listIdentities, normalisePhone, findOrCreateContact, toContact, setObjectionIn, setRestrictionIn, searchContacts, type ContactPatch, type ContactIdentity } from './contacts.ts';
export {
  getConversation, findConversation, listConversations, setConversationStatus, assignConversation, markConversationRead,
  findOrOpenConversation, toConversation, type ConversationFilter,
} from './conversations.ts';
export { getMessage, findMessage, listMessages, listMessagesAfter, toMessage, recentThread, lastAgentMessageAt, businessRepliedAfter, firstRepliesByConversation, type ThreadEntry, type FirstReplies } from './messages.ts';

// The automatic-reply state (ai_state, ai_paused_until): its only writer, compare-and-set.
export { changeReplyState, changeReplyStateIn, ANY_STATE, type ReplyStateTarget, type ReplyStateExpectation, type ReplyStateOutcome } from './reply-state.ts';
export { storeAttachment, getAttachment, MAX_ATTACHMENT_BYTES } from './attachments.ts';
export { pruneHistoryBefore, type HistoryPruned } from './history-retention.ts';
export { publicMediaToken, publicMediaFile, PUBLIC_MEDIA_TTL_MS } from './public-media.ts';

// The responder chain: steps registered in src/pipeline.ts (RESPONDER_STEPS).
export { processMessageHandler, type ResponderStep, type ResponderInput, type ResponderResult } from './responders.ts';
export { offlineAutoReplyStep, autoReplySettings, autoReplyDue, markAutoRepliedIn, type AutoReplySettings } from './auto-reply.ts';
export { inTransaction } from './transaction.ts';
export { channelAccountRef } from './channel-ref.ts';
// Whether a conversation may be answered now, by its channel's window (the inbox and the adapters ask).
export { replyWindow, replyWindowNow, mayReplyNow, type ReplyWindow } from './reply-window.ts';
// The built-in inbox's read side (list with search, thread header and pages).
export { listInbox, getThreadHeader, threadMessages, olderPageStart, inboxChannels, INBOX_SEARCH_MAX, type InboxFilter, type InboxRow, type InboxChannel, type ThreadHeader } from './inbox-queries.ts';
export { mergeSearchIndexes, searchMergeHandler, SEARCH_MERGE_KIND, SEARCH_MERGE_EVERY_MS } from './search-merge.ts';
export { indexPendingMessages, catchUpSearchIndex, searchIndexHandler, SEARCH_INDEX_KIND, SEARCH_INDEX_EVERY_MS } from './search-index.ts';
