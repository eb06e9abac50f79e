import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import { findChannelAccount } from '../channels/index.ts';
import type { JobHandler, Job } from '../jobs/index.ts';
import {
  findContact, findConversation, getConversation, inTransaction, queueOutbound, setConversationStatus, storeAttachment, withdrawOutbound, MAX_ATTACHMENT_BYTES, MAX_TEXT_LENGTH,
  type AttachmentMeta, type ChannelDirectory, type EventHub,
} from '../messaging/index.ts';
import { ChatwootError, type ClientOptions } from './client.ts';
import { clientFor, connectionOf } from './accounts.ts';
import { retryDelayMs } from './mirror-job.ts';
import { PermanentJobError, RetryLaterError } from '../jobs/index.ts';
import { link, localId } from './links.ts';
import { signedBy, splitForChannel, toMessengerMarks } from './format.ts';
import { CHATWOOT_INBOUND_KIND } from './webhook.ts';

export interface InboundDeps {
  db: Db;
  clock: Clock;
  hub: EventHub;
  log: Logger;
  vault: Vault;
  config: { dataDir: string };
  http?: ClientOptions;
  /** The channel kinds' rules (their text limits), when the composition has them. */
  channels?: ChannelDirectory;
}

interface InboundPayload {
  channel_account_id: string;
  event: string;
  id: number | null;
  conversation_id: number | null;
  content: string;
  status: string | null;
  sender_name: string | null;
  in_reply_to: number | string | null;
  attachments?: string[];
}

/** The files an agent attached, downloaded from Chatwoot and stored here (linked to the message when it is queued). */
async function agentFiles(deps: InboundDeps, job: Job, contactId: string, urls: string[]): Promise<AttachmentMeta[]> {
  const clientId = job.clientId!;
  if (!urls.length) return [];
  const conn = await connectionOf(deps.db, deps.vault, clientId);
  if (!conn) return [];
  const cw = clientFor(conn, deps.http);
  const files: AttachmentMeta[] = [];
  for (const url of urls) {
    try {
      const f = await cw.download(url, MAX_ATTACHMENT_BYTES);
      files.push(await storeAttachment(deps.db, deps.clock, deps.config.dataDir, { clientId, contactId, fileName: f.name, mime: f.mime, bytes: f.bytes }));
    } catch (err) {
      if (!(err instanceof ChatwootError)) throw err;
      if (!err.retryable) throw new PermanentJobError(err.message);
      throw new RetryLaterError(err.message, retryDelayMs(job.attempts));
    }
  }
  return files;
}

/** The agent's reply as the customer receives it: the channel's marks, signed if asked, split to the channel's limit. */
async function partsFor(deps: InboundDeps, clientId: string, channelAccountId: string, p: InboundPayload): Promise<string[]> {
  const sign = await deps.db.selectFrom('chatwoot_accounts').select('sign_agent_name').where('client_id', '=', clientId).executeTakeFirst();
  let text = toMessengerMarks(p.content ?? '').trim();
  if (sign?.sign_agent_name && p.sender_name && text) text = signedBy(p.sender_name, text);
  const account = await findChannelAccount(deps.db, channelAccountId);
  const max = Math.min(MAX_TEXT_LENGTH, (account && deps.channels?.rulesFor(account.kind)?.limits.maxTextLength) || MAX_TEXT_LENGTH);
  return text ? splitForChannel(text, max) : [];
}

/**
 * An agent's public reply in Chatwoot becomes our outbound message (a person's: it pauses the AI
 * through the reply-state owner, like any agent reply), linked to Chatwoot's id in the same
 * transaction, so a redelivered event or a retried job never sends it twice. Parts beyond the
 * first (a channel's limit) get synthetic negative ids in the map: mirrored, never sent back.
 */
async function agentReplied(deps: InboundDeps, job: Job, p: InboundPayload): Promise<void> {
  const clientId = job.clientId!;
  const conversationId = p.conversation_id === null ? undefined : await localId(deps.db, clientId, 'conversation', p.conversation_id);
  if (!conversationId || p.id === null || (await localId(deps.db, clientId, 'message', p.id))) return;
  const parts = await partsFor(deps, clientId, p.channel_account_id, p);
  const owner = await findConversation(deps.db, conversationId);
  if (!owner || owner.clientId !== clientId) return; // erased meanwhile
  const files = await agentFiles(deps, job, owner.contactId, p.attachments ?? []);
  if (!parts.length && !files.length) return;
  if (!parts.length) parts.push('');
  const replyTo = p.in_reply_to === null ? undefined : await localId(deps.db, clientId, 'message', Number(p.in_reply_to));
  await inTransaction(deps, async (trx, events) => {
    if (await localId(trx, clientId, 'message', p.id!)) return;
    const conversation = await getConversation(trx, clientId, conversationId);
    const contact = await findContact(trx, conversation.contactId);
    if (!contact || contact.restricted) return;
    for (const [i, text] of parts.entries()) {
      const { message, events: e } = await queueOutbound(trx, deps.clock, conversation, {
        text, authorKind: 'agent', ...(i === 0 && replyTo ? { replyToMessageId: replyTo } : {}), ...(i === 0 && files.length ? { attachments: files } : {}),
      });
      await link(trx, deps.clock, { clientId, kind: 'message', localId: message.id, remoteId: i === 0 ? p.id! : -(p.id! * 1000 + i), contactId: conversation.contactId });
      events.push(...e);
    }
  });
}

/**
 * An agent deleted their reply in Chatwoot: if it has not left yet, it is withdrawn (never sent);
 * if the customer has it already, it stays with them and that is logged (a message cannot be unsent).
 */
async function agentDeleted(deps: InboundDeps, job: Job, p: InboundPayload): Promise<void> {
  const clientId = job.clientId!;
  const messageId = p.id === null ? undefined : await localId(deps.db, clientId, 'message', p.id);
  if (!messageId) return;
  // The parts a long reply was split into go with it.
  const parts = [messageId];
  for (let i = 1; i < 20; i++) {
    const part = await localId(deps.db, clientId, 'message', -(p.id! * 1000 + i));
    if (!part) break;
    parts.push(part);
  }
  const outcomes = [];
  for (const id of parts) outcomes.push(await withdrawOutbound(deps, clientId, id));
  if (outcomes.includes('sent')) deps.log.info('chatwoot', 'a reply deleted in Chatwoot had already been sent', { job_id: job.id });
}

/** Resolving (or reopening) in Chatwoot does the same here; the AI's watcher then resumes it where the client allows. */
async function statusChanged(deps: InboundDeps, job: Job, p: InboundPayload): Promise<void> {
  const clientId = job.clientId!;
  const conversationId = p.conversation_id === null ? undefined : await localId(deps.db, clientId, 'conversation', p.conversation_id);
  if (!conversationId || (p.status !== 'resolved' && p.status !== 'open')) return;
  await setConversationStatus(deps, clientId, conversationId, p.status);
}

/** Works through what Chatwoot's webhook told us (queued per Chatwoot conversation, in order). */
export function chatwootInboundHandler(deps: InboundDeps): JobHandler {
  return {
    kind: CHATWOOT_INBOUND_KIND,
    async run(job) {
      const p = job.payload as unknown as InboundPayload;
      if (p.event === 'message_created') await agentReplied(deps, job, p);
      else if (p.event === 'message_updated') await agentDeleted(deps, job, p);
      else if (p.event === 'conversation_status_changed') await statusChanged(deps, job, p);
    },
  };
}
