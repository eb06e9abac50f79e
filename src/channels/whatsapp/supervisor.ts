import type { BaileysEventMap } from '@whiskeysockets/baileys';
import type { ChannelStatus } from '../../messaging/index.ts';
import { CorruptAuthStateError } from './auth-rows.ts';
import type { WaSocket } from './socket.ts';

/** Baileys' DisconnectReason codes the supervisor tells apart. */
const LOGGED_OUT = 401;
const FORBIDDEN = 403;
const TIMED_OUT = 408;
const CONNECTION_REPLACED = 440;
const BAD_SESSION = 500;
const RESTART_REQUIRED = 515;

export interface SupervisorPolicy {
  /** First retry delay; doubles per failed attempt up to capMs, then jittered down by up to half. */
  baseMs: number;
  capMs: number;
  /** QR codes shown before pairing stops (status qr_expired until someone starts again). */
  qrLimit: number;
  /** A 401 this soon after a 515 restart is the restart's aftermath, not a logout. */
  restartGraceMs: number;
}

export const DEFAULT_POLICY: SupervisorPolicy = { baseMs: 5_000, capMs: 300_000, qrLimit: 6, restartGraceMs: 60_000 };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SupervisorDeps {
  /** Makes a socket for one connection attempt (with the auth state loaded afresh). */
  connect(): Promise<WaSocket>;
  /** A new socket: the adapter listens to its messages. */
  attach(sock: WaSocket): void;
  setStatus(status: ChannelStatus, lastError: string | null): Promise<void>;
  onQr(qr: string): void;
  onOpen(sock: WaSocket): Promise<void>;
  /** WhatsApp logged the device out: forget its keys (the status change tells the owner). */
  onLoggedOut(reason: string): Promise<void>;
  now(): number;
  random(): number;
  timers: Timers;
  policy: SupervisorPolicy;
  /** Each connection attempt (for the connect-attempts counter). */
  onAttempt?(): void;
  onError(err: unknown): void;
}

/** A close's status code and a short reason to show (never a message body or a number). */
export function closeReason(error: unknown): { code: number | undefined; text: string } {
  const boom = error as { output?: { statusCode?: number }; message?: string } | undefined;
  const code = boom?.output?.statusCode;
  const message = (boom?.message ?? 'connection closed').replace(/\d{6,}/g, '…').slice(0, 160);
  return { code, text: code ? `${message} (${code})` : message };
}

/**
 * Keeps one number connected: never two sockets at once; transient closes retry with capped
 * exponential backoff and jitter; restartRequired (515, e.g. right after pairing) reconnects at
 * once, once; loggedOut (401) is final unless it follows a 515 restart; QR codes stop after a limit.
 * Every transition goes through setStatus (recorded, published as channel.status).
 */
export class ConnectionSupervisor {
  private sock: WaSocket | undefined;
  /** Bumped per socket: events of a socket we dropped are ignored. */
  private generation = 0;
  private timer: unknown;
  private failures = 0;
  private qrs = 0;
  private restartedAt = -Infinity;
  private stopped = true;
  private connected = false;
  /** Why the last connection closed: shown while the next attempt runs. */
  private lastReason: string | null = null;

  constructor(private readonly deps: SupervisorDeps) {}

  get socket(): WaSocket | undefined {
    return this.sock;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Connects now (dropping a current socket first); `fresh` forgets failures and the QR count. */
  async start(fresh = true): Promise<void> {
    this.stopped = false;
    if (fresh) {
      this.failures = 0;
      this.qrs = 0;
      this.lastReason = null;
    }
    await this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.drop();
  }

  /** Stops supervising and hands over the socket without ending it (to log it out); its events are ignored from now on. */
  release(): WaSocket | undefined {
    const sock = this.sock;
    this.sock = undefined;
    this.stopped = true;
    this.drop();
    return sock;
  }

  private drop(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.connected = false;
    const sock = this.sock;
    this.sock = undefined;
    this.generation++;
    try {
      sock?.end(undefined);
    } catch (err) {
      this.deps.onError(err);
    }
  }

  private async open(): Promise<void> {
    this.drop();
    if (this.stopped) return;
    const gen = this.generation;
    this.deps.onAttempt?.();
    // Every attempt shows as "connecting" (the host counts attempts by it), with the last close's reason.
    await this.deps.setStatus('connecting', this.lastReason);
    if (gen !== this.generation || this.stopped) return;
    let sock: WaSocket;
    try {
      sock = await this.deps.connect();
    } catch (err) {
      if (gen !== this.generation || this.stopped) return;
      if (err instanceof CorruptAuthStateError) {
        this.stopped = true;
        await this.deps.setStatus('error', err.message);
        return;
      }
      this.lastReason = closeReason(err).text;
      await this.deps.setStatus('disconnected', this.lastReason);
      this.retryLater();
      return;
    }
    if (gen !== this.generation || this.stopped) {
      sock.end(undefined);
      return;
    }
    this.sock = sock;
    this.deps.attach(sock);
    sock.ev.on('connection.update', (u) => {
      if (gen === this.generation) this.update(sock, u).catch((err) => this.deps.onError(err));
    });
  }

  /** A damaged auth row was met while connected: this number stops with a clear status. */
  async corrupt(err: CorruptAuthStateError): Promise<void> {
    this.stopped = true;
    this.drop();
    await this.deps.setStatus('error', err.message);
  }

  private async update(sock: WaSocket, u: BaileysEventMap['connection.update']): Promise<void> {
    if (u.qr) {
      this.qrs++;
      if (this.qrs > this.deps.policy.qrLimit) {
        this.stopped = true;
        this.drop();
        await this.deps.setStatus('qr_expired', 'The QR code expired: start pairing again');
        return;
      }
      this.deps.onQr(u.qr);
      await this.deps.setStatus('qr', null);
    }
    if (u.connection === 'open') {
      this.failures = 0;
      this.qrs = 0;
      this.lastReason = null;
      this.connected = true;
      await this.deps.setStatus('connected', null);
      await this.deps.onOpen(sock);
    } else if (u.connection === 'close') {
      this.connected = false;
      await this.closed(u.lastDisconnect?.error);
    }
  }

  private async closed(error: unknown): Promise<void> {
    const { code, text } = closeReason(error);
    const pairing = this.qrs > 0;
    this.drop();
    if (this.stopped) return;
    if (code === RESTART_REQUIRED && this.deps.now() - this.restartedAt > this.deps.policy.restartGraceMs) {
      this.restartedAt = this.deps.now();
      await this.open();
      return;
    }
    if (code === LOGGED_OUT && this.deps.now() - this.restartedAt > this.deps.policy.restartGraceMs) {
      this.stopped = true;
      await this.deps.onLoggedOut(text);
      await this.deps.setStatus('logged_out', 'WhatsApp logged this device out: scan the QR code again');
      return;
    }
    if (code === CONNECTION_REPLACED || code === FORBIDDEN || code === BAD_SESSION) {
      // Another Habar (or WhatsApp Web) took the session, the number is banned, or its session is unusable: retrying would fight or fail.
      this.stopped = true;
      await this.deps.setStatus('reconnect_needed', text);
      return;
    }
    if (pairing && code === TIMED_OUT) {
      this.stopped = true;
      await this.deps.setStatus('qr_expired', 'The QR code expired: start pairing again');
      return;
    }
    this.lastReason = text;
    await this.deps.setStatus('disconnected', text);
    this.retryLater();
  }

  /** The delay before the next attempt: base·2^failures capped, jittered down by up to half. */
  nextDelay(): number {
    const { baseMs, capMs } = this.deps.policy;
    const full = Math.min(capMs, baseMs * 2 ** Math.min(this.failures, 20));
    return Math.round(full * (0.5 + this.deps.random() * 0.5));
  }

  private retryLater(): void {
    const delay = this.nextDelay();
    this.failures++;
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = undefined;
      this.open().catch((err) => this.deps.onError(err));
    }, delay);
  }
}
