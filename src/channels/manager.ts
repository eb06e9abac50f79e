import { PermanentJobError, type JobHandler } from '../jobs/index.ts';
import { badRequest, conflict } from '../lib/errors.ts';
import {
  inTransaction, ingestInbound, normalisePhone, recordMessageChange, recordReceipt, type ChannelAccountRef, type ChannelDirectory, type ChannelKind,
  type ChannelSender, type ChannelStatus, type InboundEvent, type IngestResult, type MessagingDeps, type OutboundMessage, type SendResult,
} from '../messaging/index.ts';
import { findChannelAccount, listChannelAccounts, listRunnableChannelAccounts, setChannelProfile, type ChannelAccount } from './accounts.ts';
import type { ChannelAdapter, ChannelDriver, ChannelHost, PairingInfo } from './channel.ts';
import { EchoGuard } from './echo-guard.ts';
import { ChannelRegistry } from './registry.ts';

type HostDeps = Omit<ChannelHost, 'ingest' | 'setStatus' | 'receipt' | 'setProfile' | 'messageChanged'>;

/** The periodic job of the channels' upkeep (ChannelAdapter.maintain), and how often it runs. */
export const CHANNEL_MAINTENANCE_KIND = 'channels.maintain';
export const CHANNEL_MAINTENANCE_EVERY_MS = 6 * 3600_000;

/**
 * Runs one adapter per channel account and is the send jobs' way out (ChannelSender).
 * Adapters are made on first use (so the send job works before `start`, e.g. in tests) and
 * started by `start()`, which the channels worker calls after the server listens. It also
 * answers what differs by kind (ChannelDirectory, `registry`) for messaging, http and views.
 */
export class ChannelManager implements ChannelSender, ChannelDirectory {
  readonly host: ChannelHost;
  readonly registry: ChannelRegistry;
  private readonly adapters = new Map<string, { adapter: ChannelAdapter; started: boolean }>();
  private readonly kinds = new Map<string, string>();
  private readonly echoes: EchoGuard;
  private running = false;
  /** Counters for /metrics: connect attempts by kind, messages by kind and direction. */
  private readonly counts = { connectAttempts: new Map<string, number>(), messages: new Map<string, number>() };

  constructor(deps: HostDeps, drivers: readonly ChannelDriver[]) {
    this.registry = new ChannelRegistry(drivers);
    this.echoes = new EchoGuard(deps.clock);
    this.host = {
      ...deps,
      ingest: (event) => this.ingest(deps, event),
      setStatus: (id, status, lastError) => this.setStatus(id, status, lastError ?? null),
      receipt: async (id, platformMessageId, status, at) => void await recordReceipt(deps, id, platformMessageId, status, at),
      setProfile: async (id, profile) => {
        const changed = await setChannelProfile(deps.db, deps.clock, id, profile);
        if (changed) deps.log.info('channel', 'channel profile', { channel_account_id: id, kind: changed.kind });
      },
      messageChanged: async (id, platformMessageId, change) => void await recordMessageChange(deps, id, platformMessageId, change),
    };
  }

  rulesFor(kind: ChannelKind): ChannelDriver | undefined {
    return this.registry.driverFor(kind);
  }

  /**
   * Every adapter's way in. An outgoing event (the platform's echo of something the account sent)
   * that is a send of ours resolves to our message and never reaches the pipeline: stored once,
   * never taken for a person's reply, whether it comes before or after the send job records the id.
   */
  private async ingest(deps: MessagingDeps, event: InboundEvent): Promise<IngestResult> {
    if (event.direction === 'out') {
      const ours = await this.echoes.match(deps.db, event);
      if (ours) return { messageId: ours.messageId, conversationId: ours.conversationId, contactId: ours.contactId, clientId: ours.clientId, duplicate: true };
    }
    const r = await ingestInbound(deps, event);
    if (!r.duplicate) this.countMessage(event.channelAccountId, event.direction ?? 'in');
    return r;
  }

  private countMessage(accountId: string, direction: 'in' | 'out'): void {
    const kind = this.kinds.get(accountId);
    if (!kind) return;
    const key = `${kind}\t${direction}`;
    this.counts.messages.set(key, (this.counts.messages.get(key) ?? 0) + 1);
  }

  /**
   * What /metrics shows of the channels: connect attempts by kind (an adapter reporting
   * `connecting`), and messages by kind and direction (stored from the platform; sent to it).
   */
  stats(): { connectAttempts: Array<{ kind: string; value: number }>; messages: Array<{ kind: string; direction: string; value: number }> } {
    return {
      connectAttempts: [...this.counts.connectAttempts].map(([kind, value]) => ({ kind, value })),
      messages: [...this.counts.messages].map(([key, value]) => {
        const [kind, direction] = key.split('\t');
        return { kind, direction, value };
      }),
    };
  }

  /** The QR code or pairing code an account being paired shows now (undefined: none, or not pairing). */
  pairing(accountId: string): PairingInfo | undefined {
    return this.adapters.get(accountId)?.adapter.pairing?.();
  }

  /**
   * Asks the platform for a code to type on the phone with this number (kinds that pair):
   * 400 invalid_phone for a number that is not one, 409 already_connected once paired.
   */
  async requestPairingCode(account: ChannelAccount, phone: string): Promise<string> {
    // International format only: without its country code a number is ambiguous (spaces, dashes and brackets are fine).
    const e164 = /^\+\d{8,15}$/.test(phone.replace(/[\s()-]/g, '')) ? normalisePhone(phone) : undefined;
    if (!e164) throw badRequest('Enter the phone number in international format, such as +77011234567', 'phone', 'invalid_phone');
    if (account.status === 'connected') throw conflict('This channel is already connected; log it out first to pair another phone', 'already_connected');
    const adapter = await this.pairable(account, 'requestPairingCode');
    return adapter.requestPairingCode!(e164);
  }

  /** Drops the account's connection and connects again (re-pairs a logged-out one): the connect button. */
  async reconnect(account: ChannelAccount): Promise<void> {
    const running = this.adapters.get(account.id)?.started;
    const adapter = await this.pairable(account, 'reconnect'); // a stopped adapter is started: that connects
    if (running) await adapter.reconnect!();
  }

  /** Logs the account's device out on the platform and forgets its session (status logged_out). */
  async logout(account: ChannelAccount): Promise<void> {
    await (await this.pairable(account, 'logout')).logout!();
  }

  /** Whether the account's kind pairs with a phone (QR code, pairing code, logout): the channel page's buttons. */
  canPair(account: ChannelAccount): boolean {
    const entry = this.adapters.get(account.id) ?? this.make(account);
    return !!entry?.adapter.logout;
  }

  /**
   * The running adapter of an account whose kind has `method` (started if it was not; a stopped
   * account is started by this, which is what reconnect needs). 409 not_supported otherwise.
   */
  private async pairable(account: ChannelAccount, method: 'requestPairingCode' | 'reconnect' | 'logout'): Promise<ChannelAdapter> {
    const entry = this.adapters.get(account.id) ?? this.make(account);
    if (!entry?.adapter[method]) throw conflict('This kind of channel does not pair with a phone', 'not_supported');
    if (!entry.started) await this.startEntry(account, entry);
    return entry.adapter;
  }

  /** Starts the adapters of every channel account. */
  async start(): Promise<void> {
    this.running = true;
    for (const account of await listRunnableChannelAccounts(this.host.db)) await this.startAccount(account);
  }

  /** Stops the adapters of one client's accounts (it was terminated); their rows stay until the purge. */
  async stopClient(clientId: string): Promise<void> {
    for (const account of await listChannelAccounts(this.host.db, clientId)) {
      try {
        await this.stopAccount(account.id);
      } catch (err) {
        this.host.log.error('channel', 'adapter failed to stop', { channel_account_id: account.id, error: err as Error });
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const [id, entry] of this.adapters) {
      try {
        if (entry.started) await entry.adapter.stop();
      } catch (err) {
        this.host.log.error('channel', 'adapter failed to stop', { channel_account_id: id, error: err as Error });
      }
    }
    this.adapters.clear();
  }

  /** Starts (or restarts) one account's adapter, e.g. right after it was created in the UI. */
  async startAccount(account: ChannelAccount): Promise<void> {
    const entry = this.adapters.get(account.id) ?? this.make(account);
    if (!entry || entry.started || !this.running) return;
    await this.startEntry(account, entry);
  }

  private async startEntry(account: ChannelAccount, entry: { adapter: ChannelAdapter; started: boolean }): Promise<void> {
    entry.started = true;
    try {
      await entry.adapter.start();
    } catch (err) {
      this.host.log.error('channel', 'adapter failed to start', { channel_account_id: account.id, kind: account.kind, error: err as Error });
      await this.setStatus(account.id, 'error', (err as Error).message);
    }
  }

  /** Stops and forgets one account's adapter (before the account is deleted or re-paired). */
  async stopAccount(id: string): Promise<void> {
    const entry = this.adapters.get(id);
    this.adapters.delete(id);
    if (entry?.started) await entry.adapter.stop();
  }

  /** Makes the account's adapter anew from its stored row (its settings changed): stopped, then started if it ran. */
  async restartAccount(account: ChannelAccount): Promise<void> {
    const wasStarted = this.adapters.get(account.id)?.started ?? false;
    await this.stopAccount(account.id);
    if (wasStarted) await this.startAccount(account);
  }

  /**
   * The channels' periodic upkeep: every account whose adapter has `maintain` (token refresh and
   * check) gets it, one after the other; one account's failure is logged and the others still run.
   */
  maintenanceHandler(): JobHandler {
    return {
      kind: CHANNEL_MAINTENANCE_KIND,
      run: async () => {
        const runnable = await listRunnableChannelAccounts(this.host.db);
        // A client terminated from the command line beside this server: its adapters stop here.
        const keep = new Set(runnable.map((a) => a.id));
        for (const id of [...this.adapters.keys()]) if (!keep.has(id)) await this.stopAccount(id).catch(() => undefined);
        for (const account of runnable) {
          const entry = this.adapters.get(account.id) ?? this.make(account);
          if (!entry?.adapter.maintain) continue;
          try {
            await entry.adapter.maintain();
          } catch (err) {
            this.host.log.error('channel', 'channel upkeep failed', { channel_account_id: account.id, kind: account.kind, error: err as Error });
          }
        }
      },
    };
  }

  idempotent(account: ChannelAccountRef): boolean {
    return this.registry.driverFor(account.kind)?.idempotent ?? false;
  }

  inProcess(account: ChannelAccountRef): boolean {
    return this.registry.driverFor(account.kind)?.inProcess ?? false;
  }

  /** The token bucket for sends on one account (undefined until its kind is known: unlimited once). */
  sendRate(accountId: string): { capacity: number; perSecond: number } | undefined {
    const kind = this.kinds.get(accountId);
    return kind ? this.registry.driverFor(kind)?.sendRate : undefined;
  }

  async send(account: ChannelAccountRef, message: OutboundMessage): Promise<SendResult> {
    let entry = this.adapters.get(account.id);
    if (!entry) {
      // Inside the send job's transaction (an in-process send) through it: the connection is the transaction's.
      const found = await findChannelAccount(message.db ?? this.host.db, account.id);
      if (!found || found.deletedAt) throw new PermanentJobError('The channel no longer exists');
      entry = this.make(found);
      if (!entry) throw new PermanentJobError(`No adapter for ${account.kind} channels in this build`);
    }
    if (this.registry.driverFor(account.kind)?.inProcess) return entry.adapter.send(message); // its own receiving side: no echo
    // Noted before the call: the platform's echo may reach host.ingest before this returns.
    const noted = this.echoes.sending(account.id, message);
    let result: SendResult | undefined;
    try {
      result = await entry.adapter.send(message);
      this.countMessage(account.id, 'out');
      return result;
    } finally {
      this.echoes.sent(noted, result?.platformMessageId);
    }
  }

  private make(account: ChannelAccount): { adapter: ChannelAdapter; started: boolean } | undefined {
    const driver = this.registry.driverFor(account.kind);
    if (!driver?.create) {
      // A kind described before its adapter lands (or one this build does not know): its accounts stay as they are.
      if (!driver) this.host.log.warn('channel', 'no driver for channel kind', { channel_account_id: account.id, kind: account.kind });
      return undefined;
    }
    const entry = { adapter: driver.create(account, this.host), started: false };
    this.adapters.set(account.id, entry);
    this.kinds.set(account.id, account.kind);
    return entry;
  }

  /** Records a status change and its channel.status event (with its webhook deliveries) in one transaction. */
  private async setStatus(id: string, status: ChannelStatus, lastError: string | null): Promise<void> {
    const now = this.host.clock.now().toISOString();
    if (status === 'connecting') {
      const k = this.kinds.get(id);
      if (k) this.counts.connectAttempts.set(k, (this.counts.connectAttempts.get(k) ?? 0) + 1);
    }
    const kind = await inTransaction(this.host, async (trx, events) => {
      const a = await findChannelAccount(trx, id);
      if (!a || (a.status === status && a.lastError === lastError)) return undefined;
      await trx.updateTable('channel_accounts').set({ status, last_error: lastError, status_at: now, updated_at: now }).where('id', '=', id).execute();
      events.push({ type: 'channel.status', clientId: a.clientId, at: now, channel: { id, kind: a.kind, name: a.name, status, lastError } });
      return a.kind;
    });
    if (kind) this.host.log.info('channel', 'channel status', { channel_account_id: id, kind, status });
  }
}
