import { isJidGroup, isJidNewsletter, isJidStatusBroadcast, isLidUser, isPnUser, jidDecode, jidNormalizedUser, proto, toNumber, type BaileysEventMap, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import { truncateChars } from '../../lib/text.ts';
import { isStoredMessage, storeAttachment, type AttachmentMeta, type IdentityRef, type InboundEvent } from '../../messaging/index.ts';
import type { ChannelAccount } from '../accounts.ts';
import type { ChannelHost } from '../channel.ts';
import { normalise } from './normalise.ts';
import type { WhatsappSettings } from './settings.ts';
import type { WaSocket } from './socket.ts';

const DAY_MS = 86_400_000;

/**
 * A contact's addresses from a message key: the phone-number JID and the LID (WhatsApp gives one
 * as remoteJid and, in v7, the other as remoteJidAlt), so a contact that appears under either is
 * one contact (ingest matches any identity and adds the missing ones).
 */
export function identitiesOf(key: WAMessageKey): { identities: IdentityRef[]; phone?: string } {
  const identities: IdentityRef[] = [];
  let phone: string | undefined;
  for (const jid of [key.remoteJid, key.remoteJidAlt]) {
    if (!jid) continue;
    const j = jidNormalizedUser(jid);
    if (isPnUser(j)) {
      identities.push({ kind: 'wa_jid', value: j });
      phone = `+${jidDecode(j)!.user}`;
    } else if (isLidUser(j)) identities.push({ kind: 'wa_lid', value: j });
    else if (isJidGroup(j) || isJidNewsletter(j)) identities.push({ kind: 'wa_jid', value: j });
  }
  if (phone) identities.push({ kind: 'phone', value: phone });
  return { identities, phone };
}

/** Whether a chat is one this number's settings ignore (groups, status broadcasts, newsletters by default). */
export function ignoredChat(jid: string | null | undefined, s: WhatsappSettings): boolean {
  if (!jid) return true;
  if (isJidStatusBroadcast(jid)) return !s.statusBroadcasts;
  if (isJidGroup(jid)) return !s.groups;
  if (isJidNewsletter(jid)) return !s.newsletters;
  return !(isPnUser(jid) || isLidUser(jid));
}

export interface InboundContext {
  account: ChannelAccount;
  host: ChannelHost;
  settings: WhatsappSettings;
  socket(): WaSocket | undefined;
}

/**
 * Downloads a message's media into the data dir at once, within the size caps; a file not stored
 * stays on the message as its name and the reason (the thread shows it translated).
 */
async function fetchMedia(ctx: InboundContext, msg: WAMessage, m: { mime: string; fileName: string; size: number }): Promise<AttachmentMeta> {
  const cap = ctx.settings.mediaMaxBytes;
  const notStored = (why: NonNullable<AttachmentMeta['notStored']>): AttachmentMeta => ({ name: m.fileName, mime: m.mime, size: m.size, notStored: why });
  if (!ctx.settings.downloadMedia) return notStored('downloads_off');
  if (m.size > cap) return notStored('too_large');
  const used = await ctx.host.db.selectFrom('attachments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'))
    .where('client_id', '=', ctx.account.clientId).executeTakeFirstOrThrow();
  if (Number(used.bytes) + Math.max(m.size, 1) > ctx.settings.clientMediaMaxBytes) return notStored('storage_full');
  const sock = ctx.socket();
  try {
    if (!sock) throw new Error('not connected');
    const bytes = await sock.downloadMedia(msg);
    if (bytes.byteLength > cap) return notStored('too_large');
    return await storeAttachment(ctx.host.db, ctx.host.clock, ctx.host.dataDir, { clientId: ctx.account.clientId, fileName: m.fileName, mime: m.mime, bytes });
  } catch (err) {
    ctx.host.log.warn('channel', 'whatsapp media download failed', { channel_account_id: ctx.account.id, error: (err as Error).message.slice(0, 120) });
    return notStored('download_failed');
  }
}

/**
 * One message of a `messages.upsert`: customers' messages go in, what the number itself sent
 * (typed on the phone, or the echo of our send) goes in as 'out' (the host's echo guard drops our
 * own); edits and deletions change the stored message. Idempotent on WhatsApp's message id.
 */
export async function handleMessage(ctx: InboundContext, msg: WAMessage, history = false): Promise<void> {
  const id = msg.key.id;
  if (!id || !msg.message || ignoredChat(msg.key.remoteJid ? jidNormalizedUser(msg.key.remoteJid) : null, ctx.settings)) return;
  const n = normalise(msg);
  if (n.kind === 'ignored') return;
  if (n.kind === 'edited' || n.kind === 'deleted') {
    await ctx.host.messageChanged(ctx.account.id, n.targetId, n.kind === 'edited' ? { kind: 'edited', text: n.text } : { kind: 'deleted' });
    return;
  }
  if (await isStoredMessage(ctx.host.db, ctx.account.id, id)) return; // a redelivery: stored once, media not fetched again
  const fromMe = !!msg.key.fromMe;
  const { identities, phone } = identitiesOf(msg.key);
  if (identities.length === 0) return;
  const text = n.text;
  const attachments: AttachmentMeta[] = n.media ? [await fetchMedia(ctx, msg, n.media)] : [];
  const event: InboundEvent = {
    channelAccountId: ctx.account.id, platformMessageId: id, text, attachments,
    from: { identities, phone, ...(!fromMe && msg.pushName ? { displayName: truncateChars(msg.pushName, 100) } : {}) },
    direction: fromMe ? 'out' : 'in', ...(history ? { history: true } : {}),
  };
  await ctx.host.ingest(event);
}

/** `messages.upsert`: new messages (notify) and those that arrived while offline or were sent elsewhere (append). */
export async function handleUpsert(ctx: InboundContext, u: BaileysEventMap['messages.upsert']): Promise<void> {
  if (u.type !== 'notify' && u.type !== 'append') return;
  for (const msg of u.messages) {
    try {
      await handleMessage(ctx, msg);
    } catch (err) {
      ctx.host.log.error('channel', 'whatsapp message not stored', { channel_account_id: ctx.account.id, error: err as Error });
    }
  }
}

/**
 * `messaging-history.set` (only when the number's historySyncDays is above 0): past messages
 * within that many days are stored as history (never answered, not unread); older ones are skipped.
 */
export async function handleHistory(ctx: InboundContext, h: Pick<BaileysEventMap['messaging-history.set'], 'messages'>): Promise<void> {
  const days = ctx.settings.historySyncDays;
  if (days <= 0) return;
  const since = ctx.host.clock.now().getTime() - days * DAY_MS;
  for (const msg of h.messages) {
    if (toNumber(msg.messageTimestamp) * 1000 < since) continue;
    try {
      await handleMessage(ctx, msg, true);
    } catch (err) {
      ctx.host.log.error('channel', 'whatsapp history message not stored', { channel_account_id: ctx.account.id, error: err as Error });
    }
  }
}

const STATUS = proto.WebMessageInfo.Status;

/** `messages.update`: delivery and read acks of our sends; a customer's edit or revoke. */
export async function handleUpdates(ctx: InboundContext, updates: BaileysEventMap['messages.update']): Promise<void> {
  for (const { key, update } of updates) {
    if (!key.id) continue;
    if (key.fromMe && typeof update.status === 'number') {
      if (update.status === STATUS.DELIVERY_ACK) await ctx.host.receipt(ctx.account.id, key.id, 'delivered');
      else if (update.status === STATUS.READ || update.status === STATUS.PLAYED) await ctx.host.receipt(ctx.account.id, key.id, 'read');
    }
    if (update.messageStubType === proto.WebMessageInfo.StubType.REVOKE) await ctx.host.messageChanged(ctx.account.id, key.id, { kind: 'deleted' });
    if (update.message) {
      const n = normalise({ key, message: update.message });
      if (n.kind === 'edited' || n.kind === 'deleted') await ctx.host.messageChanged(ctx.account.id, n.targetId, n.kind === 'edited' ? { kind: 'edited', text: n.text } : { kind: 'deleted' });
    }
  }
}

/** `message-receipt.update`: per-recipient receipts (delivered, read). */
export async function handleReceipts(ctx: InboundContext, receipts: BaileysEventMap['message-receipt.update']): Promise<void> {
  for (const { key, receipt } of receipts) {
    if (!key.id || !key.fromMe) continue;
    const iso = (t: unknown) => (t ? new Date(Number(t) * 1000).toISOString() : undefined);
    if (receipt.readTimestamp) await ctx.host.receipt(ctx.account.id, key.id, 'read', iso(receipt.readTimestamp));
    else if (receipt.receiptTimestamp) await ctx.host.receipt(ctx.account.id, key.id, 'delivered', iso(receipt.receiptTimestamp));
  }
}
