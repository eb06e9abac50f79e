export { WEBHOOK_EVENTS, isWebhookEvent, type WebhookEvent } from './events.ts';
export { DELIVERY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER, signDelivery, verifyDelivery } from './signing.ts';
export { createWebhook, listWebhooks, getWebhook, updateWebhook, deleteWebhook, type Webhook, type WebhookInput } from './webhooks.ts';
export { enqueueWebhookEvent, queueWebhookDeliveries, activeWebhooks, listDeliveries, getDelivery, redeliver, type Delivery, type DeliveryStatus, type WebhookEventInput, type ActiveWebhook } from './deliveries.ts';
export { webhookDeliveryHandler, WEBHOOK_DELIVER_KIND, DELIVERY_DEFAULTS, type DeliveryDeps, type DeliveryOptions } from './delivery-job.ts';
export { webhookEventForwarder, type WebhookRepresentation } from './event-forwarder.ts';
export { pruneDeliveries, deleteClientDeliveriesBefore, pruneDeliveriesHandler, PRUNE_DELIVERIES_KIND, PRUNE_DELIVERIES_EVERY_MS } from './prune.ts';
export { ALLOW_PRIVATE_TARGETS, isPrivateAddress } from './target-guard.ts';
export { webhookRecipients } from './recipients.ts';
