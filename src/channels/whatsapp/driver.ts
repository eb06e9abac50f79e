import { badRequest } from '../../lib/errors.ts';
import { normalisePhone } from '../../messaging/index.ts';
import type { ChannelDriver } from '../channel.ts';

const MB = 1024 * 1024;

/**
 * WhatsApp (a paired phone, through Baileys): what differs for this kind. Its adapter comes with
 * the WhatsApp room's issue; until then accounts of this kind can be created (they stay
 * disconnected) and a conversation can be started, its send waiting for the adapter.
 */
export const whatsappDriver: ChannelDriver = {
  kind: 'whatsapp',
  idempotent: false,
  // A personal or business app number: a slow, steady pace keeps it clear of WhatsApp's spam heuristics.
  sendRate: { capacity: 5, perSecond: 1 },
  initialStatus: 'disconnected',
  startConversation: 'address',
  parseAddress(to) {
    const phone = normalisePhone(to.trim());
    if (!phone) throw badRequest('Enter a phone number such as +7 701 234 56 78', 'to', 'invalid_phone');
    return { identity: { kind: 'phone', value: phone }, phone };
  },
  // WhatsApp's own limits: media up to 16 MB (documents more, but one cap keeps it simple).
  limits: { maxTextLength: 4096, attachments: { mimeTypes: ['image/', 'video/', 'audio/', 'application/', 'text/'], maxBytes: 16 * MB } },
  replyWindowMs: null,
};
