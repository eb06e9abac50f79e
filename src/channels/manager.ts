import { PermanentJobError } from '../jobs/index.ts';
import { inTransaction, ingestInbound, type ChannelAccountRef, type ChannelSender, type ChannelStatus, type OutboundMessage, type SendResult } from '../messaging/index.ts';
import { toChannelAccount, type ChannelAccount } from './accounts.ts';
import type { ChannelAdapter, ChannelDriver, ChannelHost } from './channel.ts';

type HostDeps = Omit<ChannelHost, 'ingest' | 'setStatus'>;

/**
 * Runs one adapter per channel account and is the send jobs' way out (ChannelSender).
 * Adapters are made on first use (so the send job works before `start`, e.g. in tests) and
 * started by `start()`, which the channels worker calls after the server listens.
 */
export class ChannelManager implements ChannelSender {
  readonly host: ChannelHost;
  private readonly drivers = new Map<string, ChannelDriver>();
  private readonly adapters = new Map<string, { adapter: ChannelAdapter; started: boolean }>();
  private readonly kinds = new Map<string, string>();
  private running = false;

  constructor(deps: HostDeps, drivers: ChannelDriver[]) {
    for (const d of drivers) this.drivers.set(d.kind, d);
    this.host = {
      ...deps,
      ingest: (event) => ingestInbound(deps, event),
      setStatus: (id, status, lastError) => this.setStatus(id, status, lastError ?? null),
    };
  }

  /** Starts the adapters of every channel account. */
  async start(): Promise<void> {
    this.running = true;
    const rows = await this.host.db.selectFrom('channel_accounts').selectAll().execute();
    for (const r of rows) await this.startAccount(toChannelAccount(r));
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

  idempotent(account: ChannelAccountRef): boolean {
    return this.drivers.get(account.kind)?.idempotent ?? false;
  }

  inProcess(account: ChannelAccountRef): boolean {
    return this.drivers.get(account.kind)?.inProcess ?? false;
  }

  /** The token bucket for sends on one account (undefined until its kind is known: unlimited once). */
  sendRate(accountId: string): { capacity: number; perSecond: number } | undefined {
    const kind = this.kinds.get(accountId);
    return kind ? this.drivers.get(kind)?.sendRate : undefined;
  }

  async send(account: ChannelAccountRef, message: OutboundMessage): Promise<SendResult> {
    let entry = this.adapters.get(account.id);
    if (!entry) {
      // Inside the send job's transaction (an in-process send) through it: the connection is the transaction's.
      const r = await (message.db ?? this.host.db).selectFrom('channel_accounts').selectAll().where('id', '=', account.id).executeTakeFirst();
      if (!r) throw new PermanentJobError('The channel no longer exists');
      entry = this.make(toChannelAccount(r));
      if (!entry) throw new PermanentJobError(`No driver for ${account.kind} channels in this build`);
    }
    return entry.adapter.send(message);
  }

  private make(account: ChannelAccount): { adapter: ChannelAdapter; started: boolean } | undefined {
    const driver = this.drivers.get(account.kind);
    if (!driver) {
      this.host.log.warn('channel', 'no driver for channel kind', { channel_account_id: account.id, kind: account.kind });
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
    const kind = await inTransaction(this.host, async (trx, events) => {
      const r = await trx.selectFrom('channel_accounts').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r || (r.status === status && r.last_error === lastError)) return undefined;
      await trx.updateTable('channel_accounts').set({ status, last_error: lastError, status_at: now, updated_at: now }).where('id', '=', id).execute();
      events.push({ type: 'channel.status', clientId: r.client_id, at: now, channel: { id, kind: r.kind as ChannelAccount['kind'], name: r.name, status, lastError } });
      return r.kind;
    });
    if (kind) this.host.log.info('channel', 'channel status', { channel_account_id: id, kind, status });
  }
}
