import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import type { ChannelKind, ChannelStatus, EventHub, InboundEvent, IngestResult, OutboundMessage, SendResult } from '../messaging/index.ts';
import type { ChannelAccount } from './accounts.ts';

/**
 * What an adapter gets from the host: its dependencies, the inbound pipeline, and a way to report
 * its status. Adapters import nothing beyond the messaging room (never ai, automation, chatwoot, billing).
 */
export interface ChannelHost {
  db: Db;
  clock: Clock;
  log: Logger;
  vault: Vault;
  hub: EventHub;
  dataDir: string;
  /** Stores a normalised inbound event (one transaction); acknowledge the platform after it resolves. */
  ingest(event: InboundEvent): Promise<IngestResult>;
  /** Records and publishes the account's status (channel.status). */
  setStatus(accountId: string, status: ChannelStatus, lastError?: string | null): Promise<void>;
}

/** One running channel account (a WhatsApp number, an Instagram account, a sandbox). */
export interface ChannelAdapter {
  /** Whether the receiving side dedupes by our message id (then a send retried after a crash cannot arrive twice). */
  readonly idempotent: boolean;
  /** Connects (sockets, token refresh); reports progress through host.setStatus. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends one normalised message; throws to retry (PermanentJobError from jobs/ to give up, SendOutcomeUnknownError when unsure). */
  send(message: OutboundMessage): Promise<SendResult>;
}

/** A kind of channel: how to make its adapter, and facts the pipeline needs before one exists. */
export interface ChannelDriver {
  kind: ChannelKind;
  /** Whether the receiving side dedupes by our message id (see ChannelAdapter.idempotent). */
  idempotent: boolean;
  /** Whether its receiving side is this appliance's own database (see ChannelSender.inProcess). */
  inProcess?: boolean;
  /** Sends per second per account this platform tolerates (a token bucket; capacity = burst). */
  sendRate: { capacity: number; perSecond: number };
  create(account: ChannelAccount, host: ChannelHost): ChannelAdapter;
}
