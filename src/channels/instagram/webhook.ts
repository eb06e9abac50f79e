import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Vault } from '../../vault/index.ts';
import { AppError, badRequest, forbidden, unauthorized } from '../../lib/errors.ts';
import type { InboundEvent, IngestResult } from '../../messaging/index.ts';
import type { ChannelAccount } from '../accounts.ts';
import { findByIgAccountId } from './instagram-accounts.ts';
import { loadMetaConfig, type MetaConfig } from './meta-config.ts';
import { eventOfItem, type IgEntry } from './webhook-events.ts';
import { GraphClient } from './graph-client.ts';
import { withStoredMedia } from './media.ts';
import { withSenderNames } from './profiles.ts';

const CACHE_MS = 5_000;

export interface WebhookDeps {
  db: Db;
  vault: Vault;
  clock: Clock;
  log: Logger;
  /** Where incoming files are stored (fetched before the message is stored: Meta's URLs expire). */
  dataDir: string;
  /** The channel host's ingest (its echo guard drops echoes of our own sends). */
  ingest(event: InboundEvent): Promise<IngestResult>;
  /** The host's record of a customer's unsent message. */
  messageChanged(accountId: string, platformMessageId: string, change: { kind: 'deleted' }): Promise<void>;
  /** The host's record of a read receipt for one of our messages. */
  receipt(accountId: string, platformMessageId: string, status: 'read', at?: string): Promise<void>;
}

export interface DeliveryOutcome {
  stored: number;
  duplicates: number;
  skipped: number;
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Whether `header` is `sha256=<hex HMAC-SHA256(secret, raw body)>` for one of the secrets (constant-time compare). */
export function isMetaSignature(raw: Uint8Array, header: string, secrets: string[]): boolean {
  if (!/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const given = Buffer.from(header.slice(7).toLowerCase(), 'hex');
  return secrets.some((s) => timingSafeEqual(createHmac('sha256', s).update(raw).digest(), given));
}

/**
 * Meta's Instagram webhook: the `hub.*` handshake, and deliveries checked over the raw body
 * before anything parses it, routed by `entry[].id` to the channel account, and stored through
 * the channel host (one group commit for a delivery's messages) before the answer. Meta retries a
 * delivery it got no 200 for, so an error here loses nothing; a redelivered `mid` writes nothing.
 * Meta's signature carries no time, so a late retry is accepted like any other.
 */
export class InstagramWebhook {
  private config?: { value: MetaConfig; at: number };
  private readonly accounts = new Map<string, { account: ChannelAccount; at: number }>();

  constructor(private readonly deps: WebhookDeps) {}

  private async meta(): Promise<MetaConfig> {
    const now = this.deps.clock.now().getTime();
    if (!this.config || now - this.config.at > CACHE_MS) this.config = { value: await loadMetaConfig(this.deps.db, this.deps.vault), at: now };
    return this.config.value;
  }

  private async accountOf(igId: string): Promise<ChannelAccount | undefined> {
    const now = this.deps.clock.now().getTime();
    const hit = this.accounts.get(igId);
    if (hit && now - hit.at < CACHE_MS) return hit.account;
    const account = await findByIgAccountId(this.deps.db, igId);
    if (this.accounts.size > 10_000) this.accounts.clear();
    // Only a hit is kept: an account connected a moment ago must be found at once.
    if (account) this.accounts.set(igId, { account, at: now });
    return account;
  }

  /** The verification handshake: answers hub.challenge when hub.verify_token is the configured one. */
  async handshake(query: Record<string, string | undefined>): Promise<string> {
    const token = (await this.meta()).verifyToken;
    if (!token) throw forbidden('Set meta.verify_token first');
    if (query['hub.mode'] !== 'subscribe' || !sameText(query['hub.verify_token'] ?? '', token)) throw forbidden('The verify token does not match');
    return query['hub.challenge'] ?? '';
  }

  /** Checks, parses and stores one delivery; resolves after every message in it is stored. */
  async receive(raw: Uint8Array, signature: string | undefined): Promise<DeliveryOutcome> {
    const meta = await this.meta();
    const secrets = [meta.appSecret, meta.instagramAppSecret].filter((s): s is string => !!s);
    if (!secrets.length) throw new AppError('not_configured', 'Set meta.app_secret first', 403);
    if (!signature) throw unauthorized('X-Hub-Signature-256 is missing');
    if (!isMetaSignature(raw, signature, secrets)) throw forbidden('X-Hub-Signature-256 does not match the body');
    let body: { object?: string; entry?: IgEntry[] };
    try {
      body = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      throw badRequest('The body is not valid JSON', undefined, 'invalid_json');
    }
    if (!body || typeof body !== 'object' || !Array.isArray(body.entry)) throw badRequest('Expected {"object", "entry": [...]}', 'entry');
    const outcome: DeliveryOutcome = { stored: 0, duplicates: 0, skipped: 0 };
    if (body.object !== 'instagram') {
      this.deps.log.warn('channel', 'instagram webhook for another object ignored', { object: String(body.object).slice(0, 40) });
      return outcome;
    }
    const changes: Array<() => Promise<void>> = [];
    const found = await this.eventsOf(body.entry, outcome, changes);
    // Files first (Meta's CDN URLs expire): the ack waits for them, so a delivery is stored whole.
    const { db, vault, clock, log, dataDir } = this.deps;
    const media = { db, clock, log, dataDir, graph: new GraphClient(meta, { timeoutMs: 10_000, retries: 0 }) };
    const stored = await Promise.all(found.map(async ({ account, event }) => ({ account, event: await withStoredMedia(media, account.clientId, event) })));
    // A first-time sender's Instagram name becomes the contact's (one quick lookup per new sender).
    const events = await withSenderNames({ db, vault, log, graph: new GraphClient(meta, { timeoutMs: 3_000, retries: 0 }) }, stored);
    // Stored together: the group commit gives units arriving at once one transaction.
    const results = await Promise.all(events.map((e) => this.deps.ingest(e)));
    // After the messages: an unsent or read one may be in this very delivery.
    for (const change of changes) await change();
    for (const r of results) {
      if (r.duplicate) outcome.duplicates++;
      else outcome.stored++;
    }
    return outcome;
  }

  private async eventsOf(entries: IgEntry[], outcome: DeliveryOutcome, changes: Array<() => Promise<void>>): Promise<Array<{ account: ChannelAccount; event: InboundEvent }>> {
    const events: Array<{ account: ChannelAccount; event: InboundEvent }> = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      const igId = typeof entry?.id === 'string' ? entry.id : String(entry?.id ?? '');
      const account = igId ? await this.accountOf(igId) : undefined;
      if (!account) {
        this.deps.log.warn('channel', 'instagram webhook for an account no client has connected', { ig_account_id: igId.slice(0, 40) });
        outcome.skipped++;
        continue;
      }
      if (entry.changes?.length) {
        this.deps.log.info('channel', 'instagram webhook fields ignored', { channel_account_id: account.id, count: entry.changes.length });
        outcome.skipped += entry.changes.length;
      }
      for (const item of Array.isArray(entry.messaging) ? entry.messaging : []) {
        const r = eventOfItem(account.id, igId, item ?? {});
        if ('unsent' in r) changes.push(() => this.deps.messageChanged(account.id, r.unsent, { kind: 'deleted' }));
        else if ('read' in r) changes.push(() => this.deps.receipt(account.id, r.read, 'read', r.at));
        else if ('skipped' in r) {
          this.deps.log.debug('channel', 'instagram webhook item left alone', { channel_account_id: account.id, reason: r.skipped });
          outcome.skipped++;
        } else if (!seen.has(`${account.id}:${r.event.platformMessageId}`)) {
          seen.add(`${account.id}:${r.event.platformMessageId}`);
          events.push({ account, event: r.event });
        } else outcome.duplicates++;
      }
    }
    return events;
  }
}
