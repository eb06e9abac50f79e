import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { PermanentJobError, RetryLaterError, type Job, type JobHandler } from '../jobs/index.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signDelivery } from './signing.ts';
import { SECRET_CONTEXT } from './webhooks.ts';
import { checkDeliveryTarget, type TargetDeps } from './target-guard.ts';
import { PostTimeoutError, pinnedPost, type ResolvedAddress } from '../lib/pinned-post.ts';

/** The job kind that sends one webhook delivery (payload: { delivery_id }). */
export const WEBHOOK_DELIVER_KIND = 'webhook.deliver';

/** The target check's database and vault (and its name resolution), plus the clock and log. */
export interface DeliveryDeps extends TargetDeps {
  clock: Clock;
  log: Logger;
}

export interface DeliveryOptions {
  /** How long a receiver may take to answer. */
  timeoutMs: number;
  /** After this many failed attempts a delivery is dead (shown in the log, redeliverable). */
  maxAttempts: number;
  /** Retry delay after the first failure; doubles each time up to maxDelayMs (±20 % jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DELIVERY_DEFAULTS: DeliveryOptions = { timeoutMs: 10_000, maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

/** The wait before the next attempt after `attempts` failures: capped exponential with jitter. */
function retryDelayMs(attempts: number, o: Pick<DeliveryOptions, 'baseDelayMs' | 'maxDelayMs'>, random = Math.random): number {
  const raw = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

interface Outcome { ok: boolean; status: number | null; error: string | null }

async function post(deps: DeliveryDeps, o: DeliveryOptions, d: { id: string; url: string; secret: string; payload: string; pin: ResolvedAddress[] }): Promise<Outcome> {
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
  try {
    const status = await pinnedPost(d.url, {
      pin: d.pin,
      timeoutMs: o.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Habar-Webhooks/1',
        [DELIVERY_HEADER]: d.id,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signDelivery(d.secret, timestamp, d.payload),
      },
      body: d.payload,
    });
    if (status >= 200 && status < 300) return { ok: true, status, error: null };
    return { ok: false, status, error: `The receiver answered HTTP ${status}` };
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e instanceof PostTimeoutError) return { ok: false, status: null, error: `No answer within ${o.timeoutMs / 1000} s` };
    return { ok: false, status: null, error: `Could not connect: ${e.code ?? e.message}` };
  }
}

/** Dead unless delivered (or dead already: run() records its own last attempt before giving up). */
const markDead = (db: Db, id: string, error: string) =>
  db.updateTable('webhook_deliveries').set({ status: 'dead', next_attempt_at: null, last_error: error })
    .where('id', '=', id).where('status', 'not in', ['delivered', 'dead']).execute();

/**
 * Sends one delivery per job run, signed at send time, and records the outcome on the delivery
 * row (its log). A failure is retried by the job runner after a capped exponential delay; after
 * `maxAttempts` the delivery is dead. A delivery already delivered (a job run again after a
 * crash) is not sent again; where the outcome of a call was lost, the receiver dedupes by its id.
 */
export function webhookDeliveryHandler(deps: DeliveryDeps, opts: Partial<DeliveryOptions> = {}): JobHandler {
  const o = { ...DELIVERY_DEFAULTS, ...opts };
  return {
    kind: WEBHOOK_DELIVER_KIND,
    async run(job: Job) {
      const id = String(job.payload.delivery_id ?? '');
      const d = await deps.db.selectFrom('webhook_deliveries as d').innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .leftJoin('contacts as c', 'c.id', 'd.contact_id')
        .select(['d.id', 'd.payload', 'd.status', 'w.url', 'w.secret', 'w.active', 'c.restricted']).where('d.id', '=', id).executeTakeFirst();
      if (!d || d.status === 'delivered') return; // webhook deleted, or a repeat after a crash
      if (!d.active) {
        await markDead(deps.db, id, 'The webhook is paused');
        return;
      }
      // Processing of the person's data was restricted after this was queued (policy 7.4): it is not sent.
      if (d.restricted) {
        await markDead(deps.db, id, 'Processing of the contact’s data is restricted');
        return;
      }
      await deps.db.updateTable('webhook_deliveries').set({ attempts: job.attempts, next_attempt_at: null }).where('id', '=', id).execute();
      // SSRF guard (target-guard.ts): the resolved address, checked just before connecting.
      const target = await checkDeliveryTarget(deps, d.url);
      const r = 'refused' in target ? target.refused : await post(deps, o, { id, url: d.url, secret: deps.vault.open(d.secret, SECRET_CONTEXT), payload: d.payload, pin: target.pin });
      const now = deps.clock.now();
      if (r.ok) {
        await deps.db.updateTable('webhook_deliveries')
          .set({ status: 'delivered', last_status_code: r.status, last_error: null, delivered_at: now.toISOString(), next_attempt_at: null })
          .where('id', '=', id).execute();
        return;
      }
      const dead = job.attempts >= o.maxAttempts;
      const delay = retryDelayMs(job.attempts, o);
      await deps.db.updateTable('webhook_deliveries').set({
        status: dead ? 'dead' : 'failed', last_status_code: r.status, last_error: r.error,
        next_attempt_at: dead ? null : new Date(now.getTime() + delay).toISOString(),
      }).where('id', '=', id).execute();
      deps.log.warn('jobs', dead ? 'webhook delivery dead' : 'webhook delivery failed', { delivery_id: id, attempts: job.attempts, status_code: r.status });
      if (dead) throw new PermanentJobError(r.error ?? 'failed');
      throw new RetryLaterError(r.error ?? 'failed', delay);
    },
    async onDead(job, error) {
      await markDead(deps.db, String(job.payload.delivery_id ?? ''), error);
    },
  };
}
