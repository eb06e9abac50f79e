import { checkInbound, ingestInbound, ingestWithin, type MessagingDeps } from './inbound.ts';
import { inTransaction } from './transaction.ts';
import type { InboundEvent, IngestResult } from './types.ts';

interface Pending {
  event: InboundEvent;
  resolve(r: IngestResult): void;
  reject(err: unknown): void;
}

/**
 * Group commit for the inbound pipeline. Events that arrive while the previous batch is being
 * written (or in the same event-loop turn) are stored in ONE transaction, and every caller's
 * promise resolves only after that transaction committed, so "acknowledged ⇒ persisted" holds as
 * with ingestInbound; a commit (a WAL write) is paid once per batch instead of once per message.
 * If a batch fails for any reason (a unique conflict that outlived inTransaction's retries, a
 * deleted channel account…) it is rolled back and its events are ingested one by one, so one bad
 * event cannot fail the others. Each message still gets its own processing job, usage row and
 * events, exactly as ingestInbound makes them.
 */
export class IngestBatcher {
  private queue: Pending[] = [];
  private draining = false;

  constructor(private readonly deps: MessagingDeps, private readonly maxBatch = 64) {}

  /** Like ingestInbound(deps, event): resolves once the event is stored (or found a duplicate). */
  ingest(event: InboundEvent): Promise<IngestResult> {
    checkInbound(event); // refused events never join (or fail) a batch
    return new Promise<IngestResult>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, this.maxBatch));
    } finally {
      this.draining = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      let results: IngestResult[] | undefined;
      try {
        results = await inTransaction(this.deps, async (trx, events) => {
          const out: IngestResult[] = [];
          for (const p of batch) out.push(await ingestWithin(trx, this.deps, p.event, events));
          return out;
        });
      } catch {
        results = undefined; // rolled back: nothing of this batch is stored; one by one below
      }
      if (results) {
        batch.forEach((p, i) => p.resolve(results[i]));
        return;
      }
    }
    for (const p of batch) await ingestInbound(this.deps, p.event).then(p.resolve, p.reject);
  }
}
