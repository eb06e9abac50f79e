import { badRequest } from '../../lib/errors.ts';

/** A WhatsApp number's settings (the channel account's settings JSON; absent fields take these defaults). */
export interface WhatsappSettings {
  /** Group chats, status broadcasts and newsletters are ignored unless enabled. */
  groups: boolean;
  statusBroadcasts: boolean;
  newsletters: boolean;
  /** Customers' media is downloaded into the data dir as it arrives (WhatsApp's links expire). */
  downloadMedia: boolean;
  /** The largest media file stored; a larger one is noted in the message instead. */
  mediaMaxBytes: number;
  /** All media stored for the client (every channel); past it new media is noted, not stored. */
  clientMediaMaxBytes: number;
  /** First messages to contacts who never wrote, per day (anti-ban: a new number warms up slowly). */
  dailyNewContacts: number;
  /** History sync: WhatsApp's past messages of this many days are stored (never answered) when paired; 0 = off. */
  historySyncDays: number;
}

const MB = 1024 * 1024;
export const DEFAULT_SETTINGS: WhatsappSettings = {
  groups: false, statusBroadcasts: false, newsletters: false, downloadMedia: true, mediaMaxBytes: 16 * MB, clientMediaMaxBytes: 5 * 1024 * MB, dailyNewContacts: 20, historySyncDays: 0,
};

// What a person may set, and the bounds a value must keep (bytes for the media caps).
const LIMITS: Record<keyof WhatsappSettings, 'boolean' | { max: number }> = {
  groups: 'boolean', statusBroadcasts: 'boolean', newsletters: 'boolean', downloadMedia: 'boolean',
  mediaMaxBytes: { max: 25 * MB }, clientMediaMaxBytes: { max: Number.MAX_SAFE_INTEGER }, dailyNewContacts: { max: 10_000 }, historySyncDays: { max: 365 },
};

/**
 * A person's change to a number's settings, checked: an unknown key or a value of the wrong type
 * or out of bounds is a field error (`settings.<key>`); the rest is merged into what is stored.
 */
export function patchWhatsappSettings(stored: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(change)) {
    const limit = LIMITS[key as keyof WhatsappSettings];
    const field = `settings.${key}`;
    if (!limit) throw badRequest(`Unknown setting ${key}; a WhatsApp number has ${Object.keys(LIMITS).join(', ')}`, field);
    if (limit === 'boolean') {
      if (typeof value !== 'boolean') throw badRequest(`${key} is true or false`, field);
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > limit.max) {
      throw badRequest(`${key} is a whole number from 0 to ${limit.max}`, field);
    }
  }
  return { ...stored, ...change };
}

const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
const int = (v: unknown, d: number, max: number) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? Math.min(v, max) : d);

/** The account's settings, each field checked (a bad value takes its default). */
export function whatsappSettings(raw: Record<string, unknown>): WhatsappSettings {
  return {
    groups: bool(raw.groups, DEFAULT_SETTINGS.groups),
    statusBroadcasts: bool(raw.statusBroadcasts, DEFAULT_SETTINGS.statusBroadcasts),
    newsletters: bool(raw.newsletters, DEFAULT_SETTINGS.newsletters),
    downloadMedia: bool(raw.downloadMedia, DEFAULT_SETTINGS.downloadMedia),
    mediaMaxBytes: int(raw.mediaMaxBytes, DEFAULT_SETTINGS.mediaMaxBytes, 25 * MB),
    clientMediaMaxBytes: int(raw.clientMediaMaxBytes, DEFAULT_SETTINGS.clientMediaMaxBytes, Number.MAX_SAFE_INTEGER),
    dailyNewContacts: int(raw.dailyNewContacts, DEFAULT_SETTINGS.dailyNewContacts, 10_000),
    historySyncDays: int(raw.historySyncDays, DEFAULT_SETTINGS.historySyncDays, 365),
  };
}
