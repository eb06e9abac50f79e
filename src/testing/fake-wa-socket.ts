import { EventEmitter } from 'node:events';
import type { SocketFactory, SocketOptions, Timers, WaSocket } from '../channels/whatsapp/index.ts';
import type { WAMessage } from '@whiskeysockets/baileys';

// eslint-style any: the emitter's listeners take whatever the replayed event carries.
type Listener = (...args: any[]) => void;
type Content = Parameters<WaSocket['sendMessage']>[1];

/** A close as Baileys reports it (a Boom with the DisconnectReason as its status code). */
export const closeError = (code: number, message = 'Connection Closed') => Object.assign(new Error(message), { output: { statusCode: code } });

/**
 * A Baileys socket replaced at the adapter's boundary: the test replays connection.update,
 * creds.update, messages.upsert, messages.update and receipts through `emit`, and the socket
 * records what the adapter calls (sends, presence, pairing codes, number checks, logout, end).
 */
export class FakeWaSocket implements WaSocket {
  private readonly emitter = new EventEmitter();
  readonly ev = { on: (event: string, listener: Listener) => void this.emitter.on(event, listener) } as WaSocket['ev'];
  user?: WaSocket['user'];
  ended = false;
  loggedOut = false;
  readonly sent: { jid: string; content: Content; id: string; quoted?: WAMessage }[] = [];
  readonly presence: [string, string | undefined][] = [];
  readonly checked: string[] = [];
  readonly pairingRequests: string[] = [];
  /** The number check's answer (default: every number is on WhatsApp, under its phone JID). */
  onWhatsAppAnswer: (jid: string) => { jid: string; exists: boolean } = (jid) => ({ jid, exists: true });
  /** Media bytes by message id (what downloadMedia returns). */
  readonly media = new Map<string, Buffer>();
  /** Replays the echo of each send (an own `append` upsert) before sendMessage returns. */
  echoBeforeReturn = false;

  constructor(readonly options: SocketOptions, private readonly ids: () => string) {
    this.emitter.setMaxListeners(50);
  }

  emit(event: string, data: unknown): void {
    this.emitter.emit(event, data);
  }

  async sendMessage(jid: string, content: Content, options?: Parameters<WaSocket['sendMessage']>[2]) {
    const id = this.ids();
    this.sent.push({ jid, content, id, ...(options?.quoted ? { quoted: options.quoted } : {}) });
    const text = (content as { text?: string; caption?: string }).text ?? (content as { caption?: string }).caption ?? '';
    const msg = { key: { id, remoteJid: jid, fromMe: true }, message: { conversation: text }, messageTimestamp: Math.floor(Date.now() / 1000) };
    if (this.echoBeforeReturn) {
      this.emit('messages.upsert', { type: 'append', messages: [msg] });
      await new Promise((r) => setTimeout(r, 20)); // the echo's ingest runs before the send returns
    }
    return msg as never;
  }

  async sendPresenceUpdate(type: string, jid?: string) {
    this.presence.push([type, jid]);
  }

  async onWhatsApp(...jids: string[]) {
    this.checked.push(...jids);
    return jids.map((j) => this.onWhatsAppAnswer(j));
  }

  /** The pairing code WhatsApp hands out. */
  pairingCode = 'ABCD1234';

  async requestPairingCode(phone: string) {
    this.pairingRequests.push(phone);
    return this.pairingCode;
  }

  async logout() {
    this.loggedOut = true;
  }

  end(): void {
    this.ended = true;
  }

  async downloadMedia(msg: { key: { id?: string | null } }): Promise<Buffer> {
    const bytes = this.media.get(msg.key.id ?? '');
    if (!bytes) throw new Error('media link expired');
    return bytes;
  }
}

/** Every socket the adapters made, in order; `factory` is the WhatsApp driver's socket maker. */
export class FakeWaNetwork {
  readonly sockets: FakeWaSocket[] = [];
  private n = 0;
  /** Media every new socket serves. */
  readonly media = new Map<string, Buffer>();
  readonly factory: SocketFactory = (opts) => {
    const s = new FakeWaSocket(opts, () => `3EB0${String(++this.n).padStart(8, '0')}`);
    for (const [k, v] of this.media) s.media.set(k, v);
    this.sockets.push(s);
    return s;
  };

  get current(): FakeWaSocket {
    const s = this.sockets.at(-1);
    if (!s) throw new Error('no socket yet');
    return s;
  }

  /** The sockets still open (never more than one per number). */
  open(): FakeWaSocket[] {
    return this.sockets.filter((s) => !s.ended);
  }

  /** Waits for the adapter to make its nth socket (1 = the first). */
  async socket(n: number): Promise<FakeWaSocket> {
    await waitFor(`socket ${n}`, () => this.sockets.length >= n);
    return this.sockets[n - 1]!;
  }

  /** WhatsApp shows a (new) QR code on the current socket. */
  showQr(qr: string): void {
    this.current.emit('connection.update', { qr });
  }

  /** The phone scanned the code: the socket opens as this number (+E.164) and profile name. */
  scanned(phone: string, profileName: string): void {
    this.current.user = { id: `${phone.replace(/^\+/, '')}:12@s.whatsapp.net`, name: profileName };
    this.current.emit('creds.update', {});
    this.current.emit('connection.update', { connection: 'open' });
  }

  /** The device was removed on the phone: WhatsApp closes the socket with 401. */
  loggedOutOnPhone(): void {
    this.current.emit('connection.update', { connection: 'close', lastDisconnect: { error: closeError(401, 'Intentional Logout'), date: new Date() } });
  }
}

/** Polls until `ok` holds (the adapter handles socket events asynchronously). */
export async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Timers a test runs by hand: records each delay; `fire()` runs the earliest pending one. */
export class ManualTimers implements Timers {
  readonly delays: number[] = [];
  private pending: { fn: () => void; ms: number; id: number }[] = [];
  private next = 0;

  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    const id = ++this.next;
    this.pending.push({ fn, ms, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  get size(): number {
    return this.pending.length;
  }

  fire(): void {
    const p = this.pending.shift();
    if (!p) throw new Error('no timer pending');
    p.fn();
  }
}
