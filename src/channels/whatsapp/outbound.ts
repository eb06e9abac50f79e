import type { AnyMessageContent, WAMessage, WAMessageKey, proto } from '@whiskeysockets/baileys';
import { PermanentJobError, RetryLaterError } from '../../jobs/index.ts';
import { getAttachment, normalisePhone, type IdentityRef, type OutboundMessage, type SendResult } from '../../messaging/index.ts';
import type { ChannelAccount } from '../accounts.ts';
import type { ChannelHost } from '../channel.ts';
import type { WhatsappSettings } from './settings.ts';
import type { WaSocket } from './socket.ts';

const DAY_MS = 86_400_000;

/** How long "typing…" shows before a text: proportional to its length, bounded. */
export interface TypingPolicy {
  msPerChar: number;
  minMs: number;
  maxMs: number;
}
export const DEFAULT_TYPING: TypingPolicy = { msPerChar: 40, minMs: 600, maxMs: 4_000 };
export const typingMs = (text: string, p: TypingPolicy) => (text ? Math.min(p.maxMs, Math.max(p.minMs, text.length * p.msPerChar)) : 0);

export interface OutboundContext {
  account: ChannelAccount;
  host: ChannelHost;
  settings: WhatsappSettings;
  typing: TypingPolicy;
  sleep(ms: number): Promise<void>;
  /** First contacts are checked and counted one at a time (concurrent send jobs would both pass the cap). */
  firstContacts: { tail: Promise<unknown> };
}

/** The address WhatsApp accepts for a contact: the phone JID they wrote from, else their LID, else their number. */
export function addressOf(to: IdentityRef[]): { jid: string; known: boolean } | undefined {
  const jid = to.find((i) => i.kind === 'wa_jid')?.value ?? to.find((i) => i.kind === 'wa_lid')?.value;
  if (jid) return { jid, known: true };
  const phone = to.find((i) => i.kind === 'phone')?.value;
  const n = phone && normalisePhone(phone);
  return n ? { jid: `${n.slice(1)}@s.whatsapp.net`, known: false } : undefined;
}

/**
 * A first message to a contact who never wrote: within the daily cap, and only to a number that
 * is on WhatsApp (one check for this one number, never a bulk lookup). Returns the JID to use.
 */
async function firstContact(ctx: OutboundContext, sock: WaSocket, m: OutboundMessage, jid: string): Promise<string> {
  const db = ctx.host.db;
  const seen = await db.selectFrom('whatsapp_first_contacts').select('day').where('channel_account_id', '=', ctx.account.id).where('contact_id', '=', m.contactId).executeTakeFirst();
  if (seen) return jid;
  const now = ctx.host.clock.now();
  const day = now.toISOString().slice(0, 10);
  const today = await db.selectFrom('whatsapp_first_contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('channel_account_id', '=', ctx.account.id).where('day', '=', day).executeTakeFirstOrThrow();
  if (Number(today.n) >= ctx.settings.dailyNewContacts) {
    const midnight = Date.parse(`${day}T00:00:00.000Z`) + DAY_MS;
    throw new RetryLaterError(`Today's limit of ${ctx.settings.dailyNewContacts} first messages to new contacts is reached; it is sent tomorrow`, midnight - now.getTime() + 60_000);
  }
  const [found] = (await sock.onWhatsApp(jid)) ?? [];
  if (!found?.exists) throw new PermanentJobError('This phone number is not on WhatsApp');
  await db.insertInto('whatsapp_first_contacts').values({ channel_account_id: ctx.account.id, contact_id: m.contactId, client_id: m.clientId, day })
    .onConflict((oc) => oc.doNothing()).execute();
  return found.jid;
}

async function contentsOf(ctx: OutboundContext, m: OutboundMessage): Promise<AnyMessageContent[]> {
  const files = m.attachments.filter((a) => a.id);
  if (files.length === 0) return [{ text: m.text }];
  const out: AnyMessageContent[] = [];
  for (const [i, a] of files.entries()) {
    const f = await getAttachment(ctx.host.db, ctx.host.dataDir, m.clientId, a.id!);
    const caption = i === 0 && m.text ? m.text : undefined;
    out.push(f.mime.startsWith('image/')
      ? { image: { url: f.file }, mimetype: f.mime, ...(caption ? { caption } : {}) }
      : { document: { url: f.file }, mimetype: f.mime, fileName: f.name, ...(caption ? { caption } : {}) });
  }
  return out;
}

/** The message a reply quotes, as Baileys takes it: its key in this chat and its text. */
function quotedOf(jid: string, q: NonNullable<OutboundMessage['replyTo']>): WAMessage {
  return { key: { remoteJid: jid, id: q.platformMessageId, fromMe: q.direction === 'out' }, message: { conversation: q.text } };
}

/**
 * Sends one message: text, or images and documents (the text as the first one's caption), after
 * "typing…" for a time proportional to the text. Not connected: throws to retry later.
 */
export async function sendWhatsapp(ctx: OutboundContext, sock: WaSocket | undefined, m: OutboundMessage): Promise<SendResult> {
  if (!sock) throw new Error('WhatsApp is not connected');
  const address = addressOf(m.to);
  if (!address) throw new PermanentJobError('The contact has no WhatsApp address');
  let jid = address.jid;
  if (!address.known) {
    const turn = ctx.firstContacts.tail.then(() => firstContact(ctx, sock, m, address.jid));
    ctx.firstContacts.tail = turn.catch(() => {});
    jid = await turn;
  }
  const wait = typingMs(m.text, ctx.typing);
  if (wait > 0) {
    await sock.sendPresenceUpdate('composing', jid);
    await ctx.sleep(wait);
    await sock.sendPresenceUpdate('paused', jid);
  }
  let first: string | undefined;
  for (const content of await contentsOf(ctx, m)) {
    // A reply quotes the message it answers (on the first part only).
    const sent = await sock.sendMessage(jid, content, !first && m.replyTo ? { quoted: quotedOf(jid, m.replyTo) } : undefined);
    first ??= sent?.key.id ?? undefined;
  }
  if (!first) throw new Error('WhatsApp did not return a message id');
  return { platformMessageId: first };
}

/** Baileys' getMessage: our stored copy of a message we sent, so WhatsApp's retry requests succeed. */
export async function storedMessage(host: ChannelHost, accountId: string, key: WAMessageKey): Promise<proto.IMessage | undefined> {
  if (!key.id) return undefined;
  const r = await host.db.selectFrom('messages').select('text').where('channel_account_id', '=', accountId).where('platform_message_id', '=', key.id).executeTakeFirst();
  return r ? { conversation: r.text } : undefined;
}
