import fs from 'node:fs/promises';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import { PermanentJobError, RetryLaterError, backoffMs, type Job, type JobHandler } from '../jobs/index.ts';
import { findChannelAccount } from '../channels/index.ts';
import { findUserById } from '../auth/index.ts';
import { getAiSettings } from '../ai/index.ts';
import { findContact, findConversation, findMessage, getAttachment, type Contact, type Conversation, type Message } from '../messaging/index.ts';
import { ChatwootClient, ChatwootError, type ClientOptions, type NewMessage } from './client.ts';
import { clientFor, connectionOf, recordOutcome } from './accounts.ts';
import { inboxFor } from './inboxes.ts';
import { link, remoteId, unlink } from './links.ts';
import { CHATWOOT_MIRROR_KIND, type MirrorOp } from './mirror.ts';
import { toChatwootMarkdown } from './format.ts';

export interface MirrorDeps {
  db: Db;
  vault: Vault;
  clock: Clock;
  log: Logger;
  publicUrl: () => string;
  config: { dataDir: string };
  /** Client options (tests shorten the timeouts). */
  http?: ClientOptions;
}

/** The wait before the next attempt while Chatwoot is down: doubling from 2 s, at most 5 minutes (the runner's jittered backoff). */
export const retryDelayMs = (attempts: number) => backoffMs(attempts, { baseMs: 2_000, capMs: 300_000 });

/** Our ids as Chatwoot keeps them (source_id / identifier): how a retry finds what it made before. */
export const sourceIdOf = (kind: 'msg' | 'conv' | 'note', id: string) => `habar:${kind}:${id}`;
const identifierOf = (contactId: string) => `habar:${contactId}`;

interface Run { deps: MirrorDeps; cw: ChatwootClient; clientId: string; job: Job }

async function ensureContact(r: Run, contact: Contact, channelAccountId: string): Promise<number> {
  const known = await remoteId(r.deps.db, r.clientId, 'contact', contact.id);
  if (known) return known;
  const identifier = identifierOf(contact.id);
  let remote = await r.cw.findContactByIdentifier(identifier);
  if (!remote) {
    try {
      const inboxId = await inboxFor(r.deps, r.cw, channelAccountId);
      remote = await r.cw.createContact({ inboxId, name: contact.displayName || contact.phone || 'Customer', identifier, phone: contact.phone });
    } catch (err) {
      // Another conversation of the same person created them first (the identifier is unique).
      if (!(err instanceof ChatwootError) || err.status !== 422) throw err;
      remote = await r.cw.findContactByIdentifier(identifier);
      if (!remote) throw err;
    }
  }
  await link(r.deps.db, r.deps.clock, { clientId: r.clientId, kind: 'contact', localId: contact.id, remoteId: remote.id, contactId: contact.id });
  return remote.id;
}

async function ensureConversation(r: Run, conv: Conversation, contact: Contact): Promise<number> {
  const known = await remoteId(r.deps.db, r.clientId, 'conversation', conv.id);
  if (known) return known;
  const contactRemote = await ensureContact(r, contact, conv.channelAccountId);
  const inboxId = await inboxFor(r.deps, r.cw, conv.channelAccountId);
  const sourceId = sourceIdOf('conv', conv.id);
  // A conversation made before a crash (or by a concurrent run) is found, not made twice.
  let remote = (await r.cw.contactConversations(contactRemote)).find((c) => c.additional_attributes?.habar_conversation_id === conv.id);
  if (!remote) {
    try {
      await r.cw.createContactInbox(contactRemote, inboxId, sourceId);
    } catch (err) {
      if (!(err instanceof ChatwootError) || err.status !== 422) throw err; // exists already
    }
    // Pending while the AI owns it (an assistant that is on and active here); open for the people otherwise.
    const aiOwns = conv.aiState === 'active' && (await getAiSettings(r.deps.db, conv.clientId)).enabled;
    const status = conv.status === 'resolved' ? 'resolved' : aiOwns ? 'pending' : 'open';
    remote = await r.cw.createConversation({ sourceId, inboxId, contactId: contactRemote, status, attributes: { habar_conversation_id: conv.id } });
    // Labels say where it came from (filterable in Chatwoot); a refusal is no reason to stop.
    const account = await findChannelAccount(r.deps.db, conv.channelAccountId);
    await r.cw.setLabels(remote.id, ['habar', ...(account ? [account.kind] : [])]).catch((err: unknown) => {
      if (!(err instanceof ChatwootError) || err.retryable) throw err;
    });
  }
  await link(r.deps.db, r.deps.clock, { clientId: r.clientId, kind: 'conversation', localId: conv.id, remoteId: remote.id, contactId: contact.id });
  return remote.id;
}

/** A message as Chatwoot should show it: the customer's incoming; ours outgoing; typed on the phone, a marked private note. */
async function messageFor(r: Run, m: Message, replyTo: number | undefined): Promise<NewMessage> {
  const fromPhone = m.direction === 'out' && m.authorKind === 'agent' && !m.authorUserId;
  const files: NonNullable<NewMessage['files']> = [];
  const links: string[] = [];
  for (const a of m.attachments) {
    if (!a.id) {
      if (a.url) links.push(a.url);
      continue;
    }
    try {
      const stored = await getAttachment(r.deps.db, r.deps.config.dataDir, r.clientId, a.id);
      files.push({ ...a, bytes: new Uint8Array(await fs.readFile(stored.file)) });
    } catch {
      links.push(`[${a.name}]`); // erased or missing: named, not sent
    }
  }
  const body = [toChatwootMarkdown(m.text), ...links].filter(Boolean).join('\n');
  return {
    content: fromPhone ? `📱 Typed on the phone:\n${body}` : body,
    messageType: m.direction === 'in' ? 'incoming' : 'outgoing',
    private: fromPhone,
    sourceId: sourceIdOf('msg', m.id),
    contentAttributes: { habar_author: m.authorKind, ...(replyTo ? { in_reply_to: replyTo } : {}) },
    files,
  };
}

/** A private note posted once per reason (kept in the id map as a `note`). */
async function noteOnce(r: Run, conversationRemote: number, reason: string, content: string, contactId: string | null): Promise<void> {
  if (await remoteId(r.deps.db, r.clientId, 'note', reason)) return;
  const sourceId = sourceIdOf('note', reason);
  let made = r.job.attempts > 1 ? (await r.cw.listMessages(conversationRemote)).find((x) => x.source_id === sourceId) : undefined;
  made ??= await r.cw.createMessage(conversationRemote, { content, messageType: 'outgoing', private: true, sourceId });
  await link(r.deps.db, r.deps.clock, { clientId: r.clientId, kind: 'note', localId: reason, remoteId: made.id, contactId });
}

/** The person restricted processing: nothing more about them goes out; their conversation there gets one note. */
async function restricted(r: Run, conv: Conversation): Promise<void> {
  const remote = await remoteId(r.deps.db, r.clientId, 'conversation', conv.id);
  if (!remote) return;
  await noteOnce(r, remote, `restricted:${conv.id}`, 'This person restricted the processing of their data: Habar mirrors nothing more of this conversation.', conv.contactId);
}

async function mirrorMessage(r: Run, id: string): Promise<void> {
  const m = await findMessage(r.deps.db, id);
  if (!m || (await remoteId(r.deps.db, r.clientId, 'message', m.id))) return;
  const [conv, contact] = [await findConversation(r.deps.db, m.conversationId), await findContact(r.deps.db, m.contactId)];
  if (!conv || !contact) return;
  if (contact.restricted) return restricted(r, conv);
  let convRemote = await ensureConversation(r, conv, contact);
  const sourceId = sourceIdOf('msg', m.id);
  // A previous attempt may have created it and died before the map write: find it by source_id.
  let made = r.job.attempts > 1 ? (await r.cw.listMessages(convRemote)).find((x) => x.source_id === sourceId) : undefined;
  const replyTo = m.replyToMessageId ? await remoteId(r.deps.db, r.clientId, 'message', m.replyToMessageId) : undefined;
  const message = await messageFor(r, m, replyTo);
  try {
    made ??= await r.cw.createMessage(convRemote, message);
  } catch (err) {
    if (!(err instanceof ChatwootError) || err.status !== 404) throw err;
    // Someone deleted the conversation (or the contact) in Chatwoot: it is made again, once.
    await unlink(r.deps.db, r.clientId, 'conversation', conv.id);
    await unlink(r.deps.db, r.clientId, 'contact', contact.id);
    convRemote = await ensureConversation(r, conv, contact);
    made = await r.cw.createMessage(convRemote, message);
  }
  await link(r.deps.db, r.deps.clock, { clientId: r.clientId, kind: 'message', localId: m.id, remoteId: made.id, contactId: m.contactId });
}

async function mirrorFailure(r: Run, id: string): Promise<void> {
  const m = await findMessage(r.deps.db, id);
  if (!m) return;
  const contact = await findContact(r.deps.db, m.contactId);
  const remote = await remoteId(r.deps.db, r.clientId, 'conversation', m.conversationId);
  if (!remote || !contact || contact.restricted) return;
  const quoted = m.text.length > 200 ? `${m.text.slice(0, 200)}…` : m.text;
  await noteOnce(r, remote, `failed:${m.id}`, `⚠️ Not delivered to the customer: ${m.error ?? 'the channel refused it'}\n> ${quoted}`, m.contactId);
}

async function mirrorStatus(r: Run, conversationId: string, status: MirrorOp & { op: 'status' }): Promise<void> {
  const conv = await findConversation(r.deps.db, conversationId);
  const remote = await remoteId(r.deps.db, r.clientId, 'conversation', conversationId);
  if (!conv || !remote) return; // not mirrored yet: made with the right status when it is
  const contact = await findContact(r.deps.db, conv.contactId);
  if (contact?.restricted) return;
  await r.cw.toggleStatus(remote, status.status);
}

/** The member a conversation is assigned to here, as the Chatwoot agent with the same e-mail (none: unassigned there). */
async function mirrorAssignee(r: Run, conversationId: string, userId: string | null): Promise<void> {
  const remote = await remoteId(r.deps.db, r.clientId, 'conversation', conversationId);
  if (!remote) return;
  const user = userId ? await findUserById(r.deps.db, userId) : undefined;
  const email = user?.email.toLowerCase();
  const agent = email ? (await r.cw.listAgents()).find((a) => a.email?.toLowerCase() === email) : undefined;
  await r.cw.assign(remote, agent?.id ?? null);
}

/**
 * Runs one mirror step against Chatwoot. Idempotent: every create is checked against the id map
 * first and, on a retry, against Chatwoot's source_id, so a repeat or a crash between a create
 * and its map write never makes a second one. While Chatwoot is down the step is retried (at
 * most every 5 minutes) and its conversation's later steps wait behind it, in order. A refusal
 * (a 4xx) gives up at once and shows as the status page's last error.
 */
export function chatwootMirrorHandler(deps: MirrorDeps): JobHandler {
  return {
    kind: CHATWOOT_MIRROR_KIND,
    async run(job) {
      const clientId = job.clientId ?? '';
      const conn = await connectionOf(deps.db, deps.vault, clientId);
      if (!conn) return; // disconnected meanwhile: nothing to mirror to
      const r: Run = { deps, cw: clientFor(conn, deps.http), clientId, job };
      const op = job.payload as unknown as MirrorOp;
      try {
        if (op.op === 'message') await mirrorMessage(r, op.message_id);
        else if (op.op === 'failed') await mirrorFailure(r, op.message_id);
        else if (op.op === 'status') await mirrorStatus(r, op.conversation_id, op);
        else if (op.op === 'assign') await mirrorAssignee(r, op.conversation_id, op.user_id);
      } catch (err) {
        if (!(err instanceof ChatwootError)) throw err;
        await recordOutcome(deps.db, deps.clock, clientId, err.message);
        deps.log.warn('chatwoot', 'mirror step failed', { job_id: job.id, op: op.op, status: err.status, attempt: job.attempts });
        if (!err.retryable) throw new PermanentJobError(err.message);
        throw new RetryLaterError(err.message, retryDelayMs(job.attempts));
      }
      await recordOutcome(deps.db, deps.clock, clientId, null);
    },
  };
}
