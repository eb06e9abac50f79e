// Composition of the message pipeline: which responder steps answer customers and which job
// handlers run. Built once by app.ts; importing this file starts no work. Rooms register here.
import type { BootConfig } from './config/boot-config.ts';
import type { Db } from './db/index.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { Vault } from './vault/index.ts';
import { JobRunner, pruneJobsHandler, PRUNE_JOBS_EVERY_MS, PRUNE_JOBS_KIND, type JobHandler } from './jobs/index.ts';
import { EventHub, offlineAutoReplyStep, processMessageHandler, searchIndexHandler, searchMergeHandler, sendJobHandler, SEARCH_INDEX_EVERY_MS, SEARCH_INDEX_KIND, SEARCH_MERGE_EVERY_MS, SEARCH_MERGE_KIND, type ResponderStep } from './messaging/index.ts';
import { CHANNEL_DRIVERS, ChannelManager, type ChannelDriver } from './channels/index.ts';
import { aiReplyJobHandler, aiResponderStep, handoffNoticeHandler } from './ai/index.ts';
import { outgoingWebhooks, pruneDeliveriesHandler, PRUNE_DELIVERIES_EVERY_MS, PRUNE_DELIVERIES_KIND } from './webhooks/index.ts';
import { channelJson, conversationJson, messageJson } from './http/routes/api/representation.ts';

/** What steps and handlers may use (the AppContext before it is complete). */
export interface PipelineDeps {
  config: Readonly<BootConfig>;
  db: Db;
  clock: Clock;
  log: Logger;
  vault: Vault;
  hub: EventHub;
  /** The public URL as the app knows it (the listening address unless --public-url is set). */
  publicUrl: () => string;
}

/**
 * The responder chain's steps; each has its `order` (rules ~100, AI ~200, offline auto-reply 900).
 * The automation and AI rooms add their step factories here.
 */
export const RESPONDER_STEPS: Array<(deps: PipelineDeps) => ResponderStep> = [
  (d) => offlineAutoReplyStep(d),
  (d) => aiResponderStep(d),
];

/** Job handlers besides the messaging core's (process, send). Rooms add theirs here. */
export const JOB_HANDLERS: Array<(deps: PipelineDeps) => JobHandler> = [
  (d) => pruneJobsHandler(d),
  // Also subscribes to the hub, so that events queue webhook deliveries in their cause's transaction.
  (d) => outgoingWebhooks({ ...d, represent: { channel: channelJson, conversation: conversationJson, message: messageJson } }),
  (d) => pruneDeliveriesHandler(d),
  (d) => aiReplyJobHandler(d),
  (d) => handoffNoticeHandler(d),
  (d) => searchIndexHandler(d),
  (d) => searchMergeHandler(d),
];

/** Periodic jobs (one row each in the jobs table, re-armed after every run); their handlers are above. */
export const PERIODIC_JOBS: Array<{ kind: string; everyMs: number }> = [
  { kind: PRUNE_JOBS_KIND, everyMs: PRUNE_JOBS_EVERY_MS },
  { kind: PRUNE_DELIVERIES_KIND, everyMs: PRUNE_DELIVERIES_EVERY_MS },
  { kind: SEARCH_INDEX_KIND, everyMs: SEARCH_INDEX_EVERY_MS },
  { kind: SEARCH_MERGE_KIND, everyMs: SEARCH_MERGE_EVERY_MS },
];

export interface Pipeline {
  hub: EventHub;
  jobs: JobRunner;
  channels: ChannelManager;
}

/** Wires the hub, the channel manager and the job runner (nothing starts until their workers do). */
export function buildPipeline(base: Omit<PipelineDeps, 'hub'>, opts: { concurrency?: number; channelDrivers?: readonly ChannelDriver[] } = {}): Pipeline {
  const hub = new EventHub((err, event) => base.log.error('jobs', 'event subscriber failed', { type: event.type, error: err as Error }));
  const deps: PipelineDeps = { ...base, hub };
  const channels = new ChannelManager({ ...deps, dataDir: base.config.dataDir }, opts.channelDrivers ?? CHANNEL_DRIVERS);
  const jobs = new JobRunner({
    db: base.db, clock: base.clock, log: base.log, concurrency: opts.concurrency ?? 8,
    rateLimit: (key) => (key.startsWith('channel:') ? channels.sendRate(key.slice('channel:'.length)) : undefined),
  });
  jobs.register(processMessageHandler(deps, RESPONDER_STEPS.map((f) => f(deps))));
  jobs.register(sendJobHandler(deps, channels));
  for (const h of JOB_HANDLERS) jobs.register(h(deps));
  for (const p of PERIODIC_JOBS) jobs.registerPeriodic(p.kind, p.everyMs);
  return { hub, jobs, channels };
}
