/** A WhatsApp number's settings (the channel account's settings JSON; absent fields take these defaults). */
export interface WhatsappSettings {
  /** Group chats, status broadcasts and newsletters are ignored unless enabled. */
  groups: boolean;
  statusBroadcasts: boolean;
  newsletters: boolean;
  /** History sync: off (0) by default, for data minimisation. */
  historySyncDays: number;
  /** Customers' media is downloaded into the data dir as it arrives (WhatsApp's links expire). */
  downloadMedia: boolean;
  /** The largest media file stored; a larger one is noted in the message instead. */
  mediaMaxBytes: number;
  /** First messages to contacts who never wrote, per day (anti-ban: a new number warms up slowly). */
  dailyNewContacts: number;
}

const MB = 1024 * 1024;
export const DEFAULT_SETTINGS: WhatsappSettings = {
  groups: false, statusBroadcasts: false, newsletters: false, historySyncDays: 0, downloadMedia: true, mediaMaxBytes: 16 * MB, dailyNewContacts: 20,
};

const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
const int = (v: unknown, d: number, max: number) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? Math.min(v, max) : d);

/** The account's settings, each field checked (a bad value takes its default). */
export function whatsappSettings(raw: Record<string, unknown>): WhatsappSettings {
  return {
    groups: bool(raw.groups, DEFAULT_SETTINGS.groups),
    statusBroadcasts: bool(raw.statusBroadcasts, DEFAULT_SETTINGS.statusBroadcasts),
    newsletters: bool(raw.newsletters, DEFAULT_SETTINGS.newsletters),
    historySyncDays: int(raw.historySyncDays, DEFAULT_SETTINGS.historySyncDays, 365),
    downloadMedia: bool(raw.downloadMedia, DEFAULT_SETTINGS.downloadMedia),
    mediaMaxBytes: int(raw.mediaMaxBytes, DEFAULT_SETTINGS.mediaMaxBytes, 25 * MB),
    dailyNewContacts: int(raw.dailyNewContacts, DEFAULT_SETTINGS.dailyNewContacts, 10_000),
  };
}
