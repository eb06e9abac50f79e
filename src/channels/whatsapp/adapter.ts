import { jidDecode } from '@whiskeysockets/baileys';
import { badRequest, conflict } from '../../lib/errors.ts';
import { normalisePhone } from '../../messaging/index.ts';
import type { ChannelAccount } from '../accounts.ts';
import type { ChannelAdapter, ChannelHost, PairingInfo } from '../channel.ts';
import { deleteAccountKeys, loadSealedAuthState } from './auth-state.ts';
import { handleHistory, handleReceipts, handleUpdates, handleUpsert, type InboundContext } from './inbound.ts';
import { DEFAULT_TYPING, sendWhatsapp, storedMessage, type OutboundContext } from './outbound.ts';
import type { WhatsappOptions } from './options.ts';
import { whatsappSettings } from './settings.ts';
import { baileysSocketFactory, type WaSocket } from './socket.ts';
import { ConnectionSupervisor, DEFAULT_POLICY, type Timers } from './supervisor.ts';

const realTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

/** One WhatsApp number: its supervisor, its inbound handlers and its sends. */
export function createWhatsappAdapter(account: ChannelAccount, host: ChannelHost, opts: WhatsappOptions): ChannelAdapter {
  const settings = whatsappSettings(account.settings);
  const sockets = opts.sockets ?? baileysSocketFactory({ waWebSocketUrl: opts.waWebSocketUrl, connectTimeoutMs: opts.connectTimeoutMs });
  let pairing: PairingInfo | undefined;
  // Baileys takes a pairing-code request only once the socket is up (it has shown a QR code).
  let qrWaiters: (() => void)[] = [];
  const socketReady = (ms: number) => new Promise<boolean>((resolve) => {
    if (pairing?.kind === 'qr') return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    qrWaiters.push(() => { clearTimeout(t); resolve(true); });
  });
  const log = (msg: string, err: unknown) => host.log.error('channel', msg, { channel_account_id: account.id, error: err as Error });
  const inbound: InboundContext = { account, host, settings, socket: () => supervisor.socket };
  const outbound: OutboundContext = {
    account, host, settings, typing: opts.typing ?? DEFAULT_TYPING, sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))), firstContacts: { tail: Promise.resolve() },
  };

  const supervisor: ConnectionSupervisor = new ConnectionSupervisor({
    policy: { ...DEFAULT_POLICY, ...opts.policy },
    timers: opts.timers ?? realTimers,
    random: opts.random ?? Math.random,
    now: () => host.clock.now().getTime(),
    onAttempt: opts.onAttempt,
    onError: (err) => log('whatsapp connection handler failed', err),
    async connect() {
      const auth = await loadSealedAuthState(host, account, { onCorrupt: (err) => void supervisor.corrupt(err) });
      const sock = sockets({
        auth: auth.state, getMessage: (key) => storedMessage(host, account.id, key), syncHistory: settings.historySyncDays > 0, log: host.log, accountId: account.id,
      });
      sock.ev.on('creds.update', () => void auth.saveCreds().catch((err: unknown) => log('whatsapp creds not saved', err)));
      opts.onSocket?.(sock);
      return sock;
    },
    attach(sock: WaSocket) {
      sock.ev.on('messages.upsert', (u) => void handleUpsert(inbound, u));
      if (settings.historySyncDays > 0) sock.ev.on('messaging-history.set', (h) => void handleHistory(inbound, h));
      sock.ev.on('messages.update', (u) => void handleUpdates(inbound, u).catch((err) => log('whatsapp update not stored', err)));
      sock.ev.on('message-receipt.update', (u) => void handleReceipts(inbound, u).catch((err) => log('whatsapp receipt not stored', err)));
    },
    setStatus: (status, lastError) => {
      if (status !== 'qr') pairing = pairing?.kind === 'code' && status === 'connecting' ? pairing : undefined;
      return host.setStatus(account.id, status, lastError);
    },
    onQr(qr) {
      if (pairing?.kind !== 'code') pairing = { kind: 'qr', value: qr };
      for (const w of qrWaiters) w();
      qrWaiters = [];
    },
    async onOpen(sock) {
      pairing = undefined;
      const user = sock.user;
      const number = user?.id ? jidDecode(user.id)?.user : undefined;
      await host.setProfile(account.id, { phone: number ? `+${number}` : null, profileName: user?.name ?? user?.verifiedName ?? user?.notify ?? null });
    },
    // The status change that follows is announced by the channel host (audit entry, banner, e-mail).
    async onLoggedOut() {
      pairing = undefined;
      await deleteAccountKeys(host.db, account.id);
    },
  });

  return {
    idempotent: false,
    start: () => supervisor.start(),
    stop: () => supervisor.stop(),
    send: (m) => sendWhatsapp(outbound, supervisor.isConnected ? supervisor.socket : undefined, m),
    pairing: () => pairing,
    async requestPairingCode(phone) {
      const n = normalisePhone(phone.trim());
      if (!n) throw badRequest('Enter the phone number in international format, such as +7 701 234 56 78', 'phone', 'invalid_phone');
      if (supervisor.isConnected) throw conflict('This number is already connected', 'already_connected');
      if (!supervisor.socket) await supervisor.start();
      const sock = supervisor.socket;
      if (!sock || !(await socketReady(15_000))) throw conflict('WhatsApp cannot be reached now: try again in a minute', 'not_reachable');
      const code = await sock.requestPairingCode(n.slice(1));
      pairing = { kind: 'code', value: code };
      return code;
    },
    async reconnect() {
      await supervisor.start(true);
    },
    async logout() {
      const sock = supervisor.release();
      try {
        await sock?.logout();
      } catch (err) {
        host.log.warn('channel', 'whatsapp logout call failed', { channel_account_id: account.id, error: (err as Error).message.slice(0, 120) });
      } finally {
        sock?.end(undefined);
      }
      pairing = undefined;
      await deleteAccountKeys(host.db, account.id);
      await host.setStatus(account.id, 'logged_out', null);
    },
  };
}
