import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import type { ChannelKind, ChannelRules, ChannelStatus, EventHub, InboundEvent, IngestResult, OutboundMessage, SendResult } from '../messaging/index.ts';
import type { ChannelAccount } from './accounts.ts';
import type { ChannelRegistry } from './registry.ts';
import type { AuditBy } from '../audit/index.ts';

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
  /** The server's public URL (where a platform's webhooks would reach it). */
  publicUrl?: () => string;
  /** Stores a normalised inbound event (one transaction); acknowledge the platform after it resolves. */
  ingest(event: InboundEvent): Promise<IngestResult>;
  /** Records and publishes the account's status (channel.status). */
  setStatus(accountId: string, status: ChannelStatus, lastError?: string | null): Promise<void>;
  /**
   * A platform's receipt for one of our sent messages (by its platform id): delivered or read.
   * Moves the status forward only (read never goes back to delivered) and publishes message.updated.
   */
  receipt(accountId: string, platformMessageId: string, status: 'delivered' | 'read', at?: string): Promise<void>;
  /** The account's identity on the platform once connected (e.g. the WhatsApp number and profile name). */
  setProfile(accountId: string, profile: ChannelProfile): Promise<void>;
  /** A customer edited or deleted (revoked) a message they sent earlier (by its platform id). */
  messageChanged(accountId: string, platformMessageId: string, change: { kind: 'edited'; text: string } | { kind: 'deleted' }): Promise<void>;
}

/** Who an account is on its platform (shown on the channels page and in the API). */
export interface ChannelProfile {
  phone?: string | null;
  profileName?: string | null;
}

/** What a driver's `connect` needs. */
export interface ConnectDeps {
  db: Db;
  clock: Clock;
  vault: Vault;
  log: Logger;
  registry: ChannelRegistry;
}

/** A connect request: the client, an optional name, and the kind's own fields (e.g. ig_account_id, access_token). */
export interface ConnectInput {
  clientId: string;
  name?: string;
  fields: Record<string, string>;
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
  /**
   * Periodic upkeep (the channels' maintenance job, every few hours): refresh credentials before
   * they expire, check they still work, report the status they call for. Optional.
   */
  maintain?(): Promise<void>;
  /** While the account is being paired: the QR code or pairing code to show now (kinds that pair; live, changes as it expires). */
  pairing?(): PairingInfo | undefined;
  /** Kinds that pair: asks the platform for a code (8 characters) to type on the phone with this number (E.164). */
  requestPairingCode?(phone: string): Promise<string>;
  /** Kinds that pair: drops the current connection and connects again (re-pairs when logged out). */
  reconnect?(): Promise<void>;
  /** Kinds that pair: logs the device out on the platform and forgets the session's keys; the status becomes logged_out. */
  logout?(): Promise<void>;
}

/** What a person needs to pair an account now: a QR code to scan, or a code to type on the phone. */
export interface PairingInfo {
  kind: 'qr' | 'code';
  /** The QR code's content, or the pairing code. */
  value: string;
  expiresAt?: string;
}

/**
 * A kind of channel: everything that differs by kind (how its contacts are addressed, whether a
 * conversation can be started, its limits and reply window, its status at creation, a customer
 * page), and how to make its adapter. Nothing outside the channels room compares a kind: it asks
 * the kind's driver (ChannelRegistry.driverFor).
 */
export interface ChannelDriver extends ChannelRules {
  kind: ChannelKind;
  /** An account's status when it is created (the sandbox is connected at once; a phone waits to be paired). */
  initialStatus: ChannelStatus;
  /**
   * The outside party an account of this kind sends data to (the data map's recipients): the
   * platform's name and address, and whether it is abroad. Absent: nothing leaves the appliance.
   */
  dataRecipient?: { kind: 'whatsapp' | 'instagram'; platform: string; url: string; abroad: boolean };
  /** Whether an account has a public customer page (its unguessable token is made at creation). */
  customerPage?: boolean;
  /**
   * A link to the customer's side of one conversation (the sandbox: its chat page signed for that
   * customer; without identities, the page itself). Undefined where the platform has none.
   */
  customerLink?(link: { publicUrl: string; vault: Vault }, account: ChannelAccount, identities?: ReadonlyArray<{ kind: string; value: string }>): string | undefined;
  /** Whether the receiving side dedupes by our message id (see ChannelAdapter.idempotent). */
  idempotent: boolean;
  /** Whether its receiving side is this appliance's own database (see ChannelSender.inProcess). */
  inProcess?: boolean;
  /** Sends per second per account this platform tolerates (a token bucket; capacity = burst). */
  sendRate: { capacity: number; perSecond: number };
  /**
   * Deletes what the kind keeps for an account beyond its row (WhatsApp: the session's auth keys),
   * when the account is deleted. Called after the adapter logged out and stopped.
   */
  deleteKeys?(db: Db, accountId: string): Promise<void>;
  /**
   * Kinds connected with credentials the platform must accept first (Instagram's token pasted from
   * Meta Business Suite): checks them, creates the account connected and records `channel.created`.
   * Throws a 400 naming the field the platform refused, 409 when the platform account is taken.
   */
  connect?(deps: ConnectDeps, input: ConnectInput, by: AuditBy): Promise<ChannelAccount>;
  /**
   * Settings a person may change on an account of this kind (stored in its settings JSON): `read`
   * gives every setting with its value in force (defaults filled in); `patch` checks a change and
   * returns the settings to store, or throws a field error named `settings.<key>`. Absent: none.
   */
  settings?: {
    read(stored: Record<string, unknown>): Record<string, unknown>;
    patch(stored: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown>;
  };
  /** Makes an account's adapter. Absent for a kind described before its adapter lands (its accounts stay as created). */
  create?(account: ChannelAccount, host: ChannelHost): ChannelAdapter;
}
