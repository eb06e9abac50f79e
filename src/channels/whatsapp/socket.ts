import makeWASocket, {
  Browsers, downloadMediaMessage, type AnyMessageContent, type AuthenticationState, type BaileysEventMap, type Contact, type MiscMessageGenerationOptions,
  type WAMessage, type WAMessageKey, type WAPresence, type proto,
} from '@whiskeysockets/baileys';
import type { Logger } from '../../lib/logger.ts';

/**
 * The part of a Baileys socket the adapter uses: the boundary tests replace with an event emitter
 * (src/testing/fake-wa-socket.ts) that replays recorded events and records the calls.
 */
export interface WaSocket {
  ev: { on<K extends keyof BaileysEventMap>(event: K, listener: (arg: BaileysEventMap[K]) => void): void };
  user?: Contact;
  sendMessage(jid: string, content: AnyMessageContent, options?: MiscMessageGenerationOptions): Promise<WAMessage | undefined>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  /** One number at a time, only before a first message to a contact who never wrote (no bulk checks). */
  onWhatsApp(...jids: string[]): Promise<{ jid: string; exists: boolean }[] | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  logout(msg?: string): Promise<void>;
  end(error: Error | undefined): void;
  /** Downloads and decrypts a message's media (WhatsApp's links expire: called as it arrives). */
  downloadMedia(msg: WAMessage): Promise<Buffer>;
}

export interface SocketOptions {
  auth: AuthenticationState;
  /** Our stored copy of a message we sent (WhatsApp's retry requests re-encrypt it). */
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
  /** Whether history sync runs (off: data minimisation; its messages are not ingested). */
  syncHistory: boolean;
  log: Logger;
  accountId: string;
}

/** Makes one socket; the adapter's supervisor calls it for every connection attempt. */
export type SocketFactory = (opts: SocketOptions) => WaSocket;

/** Baileys' logger interface over ours: warnings and errors only, without message contents. */
function baileysLogger(log: Logger, accountId: string) {
  const out = (level: 'warn' | 'error') => (obj: unknown, msg?: string) => {
    const text = typeof obj === 'string' ? obj : msg ?? '';
    const err = obj && typeof obj === 'object' && 'err' in obj ? String((obj as { err: unknown }).err) : undefined;
    log[level]('channel', `whatsapp: ${text}`.slice(0, 200), { channel_account_id: accountId, ...(err ? { error: err.slice(0, 200) } : {}) });
  };
  const quiet = () => {};
  const logger = { level: 'warn', child: () => logger, trace: quiet, debug: quiet, info: quiet, warn: out('warn'), error: out('error') };
  return logger;
}

/**
 * The real socket (Baileys' makeWASocket) with our policies: not shown online on connect, no
 * history sync unless enabled, no link previews (no outside fetches), our message store for retries.
 * `waWebSocketUrl` points it elsewhere (tests and the benchmark use a local address).
 */
export function baileysSocketFactory(opts: { waWebSocketUrl?: string; connectTimeoutMs?: number } = {}): SocketFactory {
  return (o) => {
    const logger = baileysLogger(o.log, o.accountId);
    const sock = makeWASocket({
      auth: o.auth,
      logger,
      browser: Browsers.ubuntu('Habar'),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      shouldSyncHistoryMessage: () => o.syncHistory,
      generateHighQualityLinkPreview: false,
      linkPreviewImageThumbnailWidth: 0,
      getMessage: o.getMessage,
      emitOwnEvents: true,
      ...(opts.waWebSocketUrl ? { waWebSocketUrl: opts.waWebSocketUrl } : {}),
      ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    });
    return Object.assign(sock, {
      downloadMedia: (msg: WAMessage) => downloadMediaMessage(msg, 'buffer', {}, { logger, reuploadRequest: sock.updateMediaMessage }),
    }) as unknown as WaSocket;
  };
}
