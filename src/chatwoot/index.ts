// The chatwoot room: a client's Chatwoot connection, one API-channel inbox per channel account,
// the mirror (a hub subscriber that queues a job per step, in the cause's transaction), the id
// map, the webhook receiver and its jobs, re-sync, and erasure's Chatwoot step. Only client.ts
// speaks Chatwoot's HTTP. Channels never import this room; the composition wires it
// (src/pipeline.ts: HUB_SUBSCRIBERS, JOB_HANDLERS, PERIODIC_JOBS).
export { getChatwootSettings, resumeAiOnResolve, type ChatwootSettings, type ChatwootPatch } from './accounts.ts';
export { saveChatwootSettings, type ConnectDeps } from './connect.ts';
export { chatwootMirror } from './mirror.ts';
export { chatwootMirrorHandler } from './mirror-job.ts';
export { receiveChatwootWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER } from './webhook.ts';
export { chatwootInboundHandler } from './inbound-job.ts';
export { requestResync, chatwootResyncHandler } from './resync.ts';
export { queueChatwootContactErasure, chatwootDeleteContactHandler, chatwootErasureStep } from './erasure.ts';
export { listLinks } from './links.ts';
export { chatwootStatus, chatwootPruneHandler, CHATWOOT_PRUNE_KIND, CHATWOOT_PRUNE_EVERY_MS, type ChatwootStatusView } from './status.ts';
export { chatwootRecipients } from './recipients.ts';
