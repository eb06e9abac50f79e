import { badRequest } from '../../lib/errors.ts';
import { normalisePhone } from '../../messaging/index.ts';
import type { ChannelDriver } from '../channel.ts';
import { lazyWhatsappAdapter } from './lazy-adapter.ts';
import { patchWhatsappSettings, whatsappSettings } from './settings.ts';
import type { WhatsappOptions } from './options.ts';

const MB = 1024 * 1024;

/**
 * WhatsApp (a paired phone, through Baileys): what differs for this kind, and its adapter.
 * `opts` replaces the socket (tests: an event emitter) or its address (the benchmark: a local server).
 */
export function makeWhatsappDriver(opts: WhatsappOptions = {}): ChannelDriver {
  return {
    kind: 'whatsapp',
    idempotent: false,
    // A personal or business app number: a slow, steady pace keeps it clear of WhatsApp's spam heuristics.
    sendRate: { capacity: 5, perSecond: 1 },
    initialStatus: 'connecting',
    // Baileys speaks WhatsApp Web's protocol to Meta's servers (outside Kazakhstan).
    dataRecipient: { kind: 'whatsapp', platform: 'WhatsApp (Meta)', url: 'https://web.whatsapp.com', abroad: true },
    startConversation: 'address',
    parseAddress(to) {
      const phone = normalisePhone(to.trim());
      if (!phone) throw badRequest('Enter a phone number such as +7 701 234 56 78', 'to', 'invalid_phone');
      return { identity: { kind: 'phone', value: phone }, phone };
    },
    // WhatsApp's own limits: media up to 16 MB (documents more, but one cap keeps it simple).
    limits: { maxTextLength: 4096, attachments: { mimeTypes: ['image/', 'video/', 'audio/', 'application/', 'text/'], maxBytes: 16 * MB } },
    replyWindowMs: null,
    settings: { read: (stored) => ({ ...whatsappSettings(stored) }), patch: patchWhatsappSettings },
    create: (account, host) => lazyWhatsappAdapter(account, host, opts),
  };
}

/** This build's WhatsApp driver: real Baileys sockets to WhatsApp. */
export const whatsappDriver: ChannelDriver = makeWhatsappDriver();
