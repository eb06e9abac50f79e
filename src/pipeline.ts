// Composition of the message pipeline: which responder steps answer customers, which job
// handlers run and who hears the event hub, in which order. Built once by app.ts; importing this
// file starts no work and building a room's part subscribes nothing by itself. Rooms register here.
import type { BootConfig } from './config/boot-config.ts';
import type { Db } from './db/index.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { Vault } from './vault/index.ts';
import { JobRunner, pruneJobsHandler, PRUNE_JOBS_EVERY_MS, PRUNE_JOBS_KIND, type JobHandler } from './jobs/index.ts';
import {
  EventHub, offlineAutoReplyStep, type ChannelDirectory, processMessageHandler, searchIndexHandler, searchMergeHandler, sendJobHandler, SEARCH_INDEX_EVERY_MS, SEARCH_INDEX_KIND,
  SEARCH_MERGE_EVERY_MS, SEARCH_MERGE_KIND, type ResponderStep, type Subscriber, type TransactionalSubscriber,
} from './messaging/index.ts';
import { CHANNEL_DRIVERS, CHANNEL_MAINTENANCE_EVERY_MS, CHANNEL_MAINTENANCE_KIND, ChannelManager, channelAttentionHandler, channelAttentionWatcher, type ChannelDriver } from './channels/index.ts';
import { aiReplyJobHandler, aiResponderStep, handoffNoticeHandler, humanReplyWatcher, stopStartStep } from './ai/index.ts';
import { automationActionsHandler, automationEventHandler, automationWatcher, noAgentReplyHandler, rulesResponderStep } from './automation/index.ts';
import { pruneDeliveriesHandler, webhookDeliveryHandler, webhookEventForwarder, PRUNE_DELIVERIES_EVERY_MS, PRUNE_DELIVERIES_KIND } from './webhooks/index.ts';
import {
  exportJobHandler, expireExportsHandler, EXPIRE_EXPORTS_EVERY_MS, EXPIRE_EXPORTS_KIND, purgeHandler, PURGE_EVERY_MS, PURGE_KIND, retentionHandler, RETENTION_EVERY_MS, RETENTION_KIND,
} from './privacy/index.ts';
import {
  quotaMailHandler, rollupHandler, statementMailHandler, statementsHandler, BILLING_ROLLUP_EVERY_MS, BILLING_ROLLUP_KIND, BILLING_STATEMENTS_EVERY_MS, BILLING_STATEMENTS_KIND,
} from './billing/index.ts';
import {
  chatwootDeleteContactHandler, chatwootInboundHandler, chatwootMirror, chatwootMirrorHandler, chatwootPruneHandler, chatwootResyncHandler, resumeAiOnResolve,
  CHATWOOT_PRUNE_EVERY_MS, CHATWOOT_PRUNE_KIND,
} from './chatwoot/index.ts';
import { DRILL_CHECK_EVERY_MS, DRILL_KIND, remoteSettingsGuard, restoreDrillHandler } from './backups/index.ts';
import type { SettingsGuard } from './settings/index.ts';
import { channelStatusJson, conversationJson, messageJson } from './http/routes/api/representation.ts';
import { eraseDepsOf, erasureJobHandler, policyNoticeHandler, recordKeywordObjection } from './privacy/index.ts';

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
 * The responder chain's steps; each has its `order` (STOP/START 50, rules ~100, AI ~200, offline auto-reply 900).
 * The automation and AI rooms add their step factories here.
 */
export const RESPONDER_STEPS: Array<(deps: PipelineDeps) => ResponderStep> = [
  // The customer's STOP and START go into the privacy request register (objection, objection_lifted).
  (d) => stopStartStep({ ...d, onObjectionChanged: (trx, ref, objected) => recordKeywordObjection(trx, d.clock, ref, objected) }),
  (d) => rulesResponderStep(d),
  (d) => offlineAutoReplyStep(d),
  (d) => aiResponderStep(d),
];

/** Job handlers besides the messaging core's (process, send). Rooms add theirs here (`channels`: the kinds' rules). */
export const JOB_HANDLERS: Array<(deps: PipelineDeps & { channels: ChannelDirectory }) => JobHandler> = [
  (d) => pruneJobsHandler(d),
  (d) => webhookDeliveryHandler(d),
  (d) => pruneDeliveriesHandler(d),
  (d) => aiReplyJobHandler(d),
  (d) => handoffNoticeHandler(d),
  (d) => searchIndexHandler(d),
  (d) => searchMergeHandler(d),
  (d) => channelAttentionHandler(d),
  (d) => noAgentReplyHandler(d),
  (d) => automationEventHandler(d),
  (d) => automationActionsHandler({ ...d, represent: conversationJson }),
  (d) => retentionHandler(d),
  (d) => exportJobHandler(d),
  (d) => expireExportsHandler(d),
  (d) => purgeHandler(d),
  (d) => erasureJobHandler(eraseDepsOf(d)),
  (d) => rollupHandler(d),
  (d) => statementsHandler(d),
  (d) => statementMailHandler(d),
  (d) => quotaMailHandler(d),
  (d) => chatwootMirrorHandler(d),
  (d) => chatwootInboundHandler(d),
  (d) => chatwootResyncHandler(d),
  (d) => chatwootDeleteContactHandler(d),
  (d) => chatwootPruneHandler(d),
  (d) => restoreDrillHandler(d),
  (d) => policyNoticeHandler(d),
];

/** Periodic jobs (one row each in the jobs table, re-armed after every run); their handlers are above. */
export const PERIODIC_JOBS: Array<{ kind: string; everyMs: number }> = [
  { kind: PRUNE_JOBS_KIND, everyMs: PRUNE_JOBS_EVERY_MS },
  { kind: PRUNE_DELIVERIES_KIND, everyMs: PRUNE_DELIVERIES_EVERY_MS },
  { kind: SEARCH_INDEX_KIND, everyMs: SEARCH_INDEX_EVERY_MS },
  { kind: SEARCH_MERGE_KIND, everyMs: SEARCH_MERGE_EVERY_MS },
  { kind: CHANNEL_MAINTENANCE_KIND, everyMs: CHANNEL_MAINTENANCE_EVERY_MS },
  { kind: RETENTION_KIND, everyMs: RETENTION_EVERY_MS },
  { kind: EXPIRE_EXPORTS_KIND, everyMs: EXPIRE_EXPORTS_EVERY_MS },
  { kind: PURGE_KIND, everyMs: PURGE_EVERY_MS },
  { kind: BILLING_ROLLUP_KIND, everyMs: BILLING_ROLLUP_EVERY_MS },
  { kind: BILLING_STATEMENTS_KIND, everyMs: BILLING_STATEMENTS_EVERY_MS },
  { kind: CHATWOOT_PRUNE_KIND, everyMs: CHATWOOT_PRUNE_EVERY_MS },
  { kind: DRILL_KIND, everyMs: DRILL_CHECK_EVERY_MS },
];

/**
 * Rules over a whole install-wide settings change, run before it is stored (the UI and the CLI
 * alike); one that throws refuses the change. Rooms add theirs here.
 */
export const SETTINGS_GUARDS: SettingsGuard[] = [
  // backup.remote.*: the Kazakhstan rule and the write-and-delete check whenever enabled stays true.
  remoteSettingsGuard,
];

/**
 * One subscriber of the event hub: `inTransaction` runs inside the cause's transaction, before
 * its commit (durable work, written with it); `afterCommit` hears of the events once committed.
 */
export type HubSubscriber =
  | { name: string; inTransaction: TransactionalSubscriber }
  | { name: string; afterCommit: Subscriber };

/**
 * Who hears the event hub, IN THIS ORDER (each kind runs in the order listed): a transactional
 * subscriber sees the events of the ones before it, including those they added.
 */
export const HUB_SUBSCRIBERS: Array<(deps: PipelineDeps & { jobs: JobRunner }) => HubSubscriber> = [
  // The AI state follows the people: a person's reply pauses the AI, resolving resumes it. It
  // adds its conversation.updated (ai_state) events to the transaction's...
  // Whether resolving resumes the AI is the client's choice (Chatwoot's resume_ai_on_resolve).
  (d) => ({ name: 'ai-state-follows-people', inTransaction: humanReplyWatcher({ ...d, resumeOnResolve: resumeAiOnResolve }) }),
  // A channel that needs a person (logged out, QR expired): its audit entry and owner e-mail job, with the status change.
  (d) => ({ name: 'channel-attention', inTransaction: channelAttentionWatcher(d) }),
  // Automation: which message opened a conversation, the no-agent-reply timers a person's reply
  // cancels, the conversation.resolved rules queued with the resolution.
  (d) => ({ name: 'automation', inTransaction: automationWatcher(d) }),
  // The Chatwoot mirror: after the AI state watcher, so the handoffs and resumes it adds are
  // mirrored (toggle_status) in the same transaction; it adds no events itself, so its place
  // before the outgoing webhooks changes nothing they announce.
  (d) => ({ name: 'chatwoot-mirror', inTransaction: chatwootMirror(d) }),
  // The outgoing webhooks come after both, so they announce the changes the watchers added too.
  (d) => ({ name: 'outgoing-webhooks', inTransaction: webhookEventForwarder({ ...d, represent: { channel: channelStatusJson, conversation: conversationJson, message: messageJson } }) }),
  // Work was queued with what committed (a processing job, a send job, a delivery): the job
  // runner looks for it now rather than at its next poll.
  (d) => ({ name: 'job-runner-wake-up', afterCommit: () => d.jobs.wake() }),
];

export interface Pipeline {
  hub: EventHub;
  jobs: JobRunner;
  channels: ChannelManager;
  settingsGuards: readonly SettingsGuard[];
}

/**
 * Wires the hub, the channel manager and the job runner (nothing starts until their workers do).
 * `subscribers` defaults to HUB_SUBSCRIBERS (tests may add to a copy); `pollMs` is the runner's idle poll.
 */
export function buildPipeline(
  base: Omit<PipelineDeps, 'hub'>, opts: { concurrency?: number; pollMs?: number; channelDrivers?: readonly ChannelDriver[]; subscribers?: typeof HUB_SUBSCRIBERS } = {},
): Pipeline {
  const hub = new EventHub((err, event) => base.log.error('jobs', 'event subscriber failed', { type: event.type, error: err as Error }));
  const deps: PipelineDeps = { ...base, hub };
  const channels = new ChannelManager({ ...deps, dataDir: base.config.dataDir }, opts.channelDrivers ?? CHANNEL_DRIVERS);
  const jobs = new JobRunner({
    db: base.db, clock: base.clock, log: base.log, concurrency: opts.concurrency ?? 8, ...(opts.pollMs ? { pollMs: opts.pollMs } : {}),
    rateLimit: (key) => (key.startsWith('channel:') ? channels.sendRate(key.slice('channel:'.length)) : undefined),
  });
  jobs.register(processMessageHandler(deps, RESPONDER_STEPS.map((f) => f(deps))));
  jobs.register(sendJobHandler(deps, channels));
  jobs.register(channels.maintenanceHandler());
  for (const h of JOB_HANDLERS) jobs.register(h({ ...deps, channels }));
  for (const p of PERIODIC_JOBS) jobs.registerPeriodic(p.kind, p.everyMs);
  for (const make of opts.subscribers ?? HUB_SUBSCRIBERS) {
    const s = make({ ...deps, jobs });
    if ('inTransaction' in s) hub.subscribeInTransaction(s.inTransaction);
    else hub.subscribe(s.afterCommit);
  }
  return { hub, jobs, channels, settingsGuards: SETTINGS_GUARDS };
}
