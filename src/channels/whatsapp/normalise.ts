import { getContentType, normalizeMessageContent, proto, type WAMessage } from '@whiskeysockets/baileys';

/** The media kinds downloaded into the data dir as they arrive. */
export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/** What one WhatsApp message means for Habar, without Baileys' types. */
export type Normalised =
  | { kind: 'message'; text: string; media?: { type: MediaKind; mime: string; fileName: string; size: number } }
  | { kind: 'edited'; targetId: string; text: string }
  | { kind: 'deleted'; targetId: string }
  /** Protocol traffic with nothing to show (key distribution, history sync notices, an empty reaction). */
  | { kind: 'ignored' };

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'video/mp4': 'mp4', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'application/pdf': 'pdf' };
const extOf = (mime: string) => EXT[mime.split(';')[0].trim()] ?? 'bin';

/** The text a message carries (its body or caption), whatever its type. */
export function textOf(m: proto.IMessage | null | undefined): string {
  const c = normalizeMessageContent(m);
  if (!c) return '';
  return c.conversation ?? c.extendedTextMessage?.text ?? c.imageMessage?.caption ?? c.videoMessage?.caption ?? c.documentMessage?.caption ?? '';
}

/** A reply shows the start of the message it answers, as a quote line. */
function withQuote(text: string, context: proto.IContextInfo | null | undefined): string {
  const quoted = context?.quotedMessage ? textOf(context.quotedMessage).replace(/\s+/g, ' ').trim() : '';
  return quoted ? `> ${quoted.length > 120 ? `${quoted.slice(0, 120)}…` : quoted}\n${text}` : text;
}

function vcardSummary(name: string | null | undefined, vcard: string | null | undefined): string {
  const phones = [...(vcard ?? '').matchAll(/TEL[^:]*:([+\d\s()-]+)/g)].map((m) => m[1].trim());
  return `👤 ${name ?? ''}${phones.length ? `: ${phones.join(', ')}` : ''}`.trim();
}

function media(type: MediaKind, m: { mimetype?: string | null; fileLength?: number | Long | null; fileName?: string | null }, id: string) {
  const mime = (m.mimetype ?? 'application/octet-stream').split(';')[0].trim();
  return { type, mime, fileName: m.fileName || `${type}-${id}.${extOf(mime)}`, size: Number(m.fileLength ?? 0) };
}
type Long = { toNumber(): number };

/**
 * Normalises one message: text, extended text, images, video, audio (voice notes), documents,
 * stickers, location, contacts, reactions and replies; edits and revokes; anything else is kept
 * as "unsupported" with its type, so nothing stops the pipeline.
 */
export function normalise(msg: WAMessage): Normalised {
  const c = normalizeMessageContent(msg.message);
  const type = getContentType(c);
  const id = msg.key.id ?? '';
  if (!c || !type) return { kind: 'ignored' };
  switch (type) {
    case 'conversation':
      return { kind: 'message', text: c.conversation ?? '' };
    case 'extendedTextMessage':
      return { kind: 'message', text: withQuote(c.extendedTextMessage?.text ?? '', c.extendedTextMessage?.contextInfo) };
    case 'imageMessage':
      return { kind: 'message', text: withQuote(c.imageMessage?.caption ?? '', c.imageMessage?.contextInfo), media: media('image', c.imageMessage!, id) };
    case 'videoMessage':
      return { kind: 'message', text: withQuote(c.videoMessage?.caption ?? '', c.videoMessage?.contextInfo), media: media('video', c.videoMessage!, id) };
    case 'audioMessage':
      return { kind: 'message', text: withQuote('', c.audioMessage?.contextInfo), media: media('audio', c.audioMessage!, id) };
    case 'documentMessage':
      return { kind: 'message', text: withQuote(c.documentMessage?.caption ?? '', c.documentMessage?.contextInfo), media: media('document', c.documentMessage!, id) };
    case 'stickerMessage':
      return { kind: 'message', text: '', media: media('sticker', c.stickerMessage!, id) };
    case 'locationMessage':
    case 'liveLocationMessage': {
      const l = (c.locationMessage ?? c.liveLocationMessage)!;
      const where = [(l as proto.Message.ILocationMessage).name, (l as proto.Message.ILocationMessage).address].filter(Boolean).join(', ');
      const at = `${l.degreesLatitude ?? 0},${l.degreesLongitude ?? 0}`;
      return { kind: 'message', text: `📍 ${where ? `${where} ` : ''}https://maps.google.com/?q=${at}` };
    }
    case 'contactMessage':
      return { kind: 'message', text: vcardSummary(c.contactMessage?.displayName, c.contactMessage?.vcard) };
    case 'contactsArrayMessage':
      return { kind: 'message', text: (c.contactsArrayMessage?.contacts ?? []).map((x) => vcardSummary(x.displayName, x.vcard)).join('\n') };
    case 'reactionMessage': {
      const emoji = c.reactionMessage?.text ?? '';
      return emoji ? { kind: 'message', text: emoji } : { kind: 'ignored' };
    }
    case 'protocolMessage': {
      const p = c.protocolMessage!;
      const target = p.key?.id;
      if (target && p.type === proto.Message.ProtocolMessage.Type.REVOKE) return { kind: 'deleted', targetId: target };
      if (target && p.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT) return { kind: 'edited', targetId: target, text: textOf(p.editedMessage) };
      return { kind: 'ignored' };
    }
    case 'editedMessage': {
      const p = c.editedMessage?.message?.protocolMessage;
      return p?.key?.id ? { kind: 'edited', targetId: p.key.id, text: textOf(p.editedMessage) } : { kind: 'ignored' };
    }
    case 'messageContextInfo':
      return { kind: 'ignored' };
    default:
      return { kind: 'message', text: `[unsupported: ${type}]` };
  }
}
