// The chatwoot room: a client's Chatwoot connection, one API-channel inbox per channel account,
// the mirror (a hub subscriber that queues a job per step, in the cause's transaction), the id
// map, the webhook receiver and its jobs, re-sync, and erasure's Chatwoot step. Only client.ts
// speaks Chatwoot's HTTP. Channels never import this room; the composition wires it
// (src/pipeline.ts: HUB_SUBSCRIBERS, JOB_HANDLERS, PERIODIC_JOBS).
export { ChatwootClient, ChatwootError, type ChatwootCredentials, type ClientOptions } from './client.ts';
export { getChatwootSettings, connectionOf, resumeAiOnResolve, type ChatwootSettings, type ChatwootPatch } from './accounts.ts';
export { saveChatwootSettings, type ConnectDeps } from './connect.ts';
export { ALLOW_PRIVATE_CHATWOOT } from './target.ts';
export { webhookUrlOf } from './inboxes.ts';
export { chatwootMirror, CHATWOOT_MIRROR_KIND } from './mirror.ts';
export { chatwootMirrorHandler, type MirrorDeps } from './mirror-job.ts';
export { receiveChatwootWebhook, CHATWOOT_INBOUND_KIND, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER } from './webhook.ts';
export { chatwootInboundHandler, type InboundDeps } from './inbound-job.ts';
export { requestResync, chatwootResyncHandler, CHATWOOT_RESYNC_KIND, MAX_RESYNC_HOURS } from './resync.ts';
export { queueChatwootContactErasure, chatwootDeleteContactHandler, chatwootErasureStep, CHATWOOT_DELETE_CONTACT_KIND } from './erasure.ts';
export { listLinks } from './links.ts';
export { chatwootStatus, chatwootPruneHandler, CHATWOOT_PRUNE_KIND, CHATWOOT_PRUNE_EVERY_MS, type ChatwootStatusView } from './status.ts';
export { toChatwootMarkdown, toMessengerMarks, splitForChannel } from './format.ts';
export { chatwootRecipients } from './recipients.ts';
