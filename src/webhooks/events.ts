/** The events an outgoing webhook may subscribe to (the integrator's contract: names never change). */
export const WEBHOOK_EVENTS = ['message.received', 'message.sent', 'message.failed', 'conversation.updated', 'channel.status'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (e: string): e is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(e);
