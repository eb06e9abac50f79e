import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import type { JobHandler } from '../jobs/index.ts';
import type { EventHub } from '../messaging/index.ts';
import { forwardEventsToWebhooks, type WebhookRepresentation } from './event-forwarder.ts';
import { webhookDeliveryHandler } from './delivery-job.ts';

/**
 * The outgoing webhooks' part of the pipeline (composition time): subscribes to the hub so that
 * events queue deliveries in their cause's transaction, and returns the job handler that sends them.
 */
export function outgoingWebhooks(deps: { db: Db; clock: Clock; log: Logger; vault: Vault; hub: EventHub; represent: WebhookRepresentation }): JobHandler {
  forwardEventsToWebhooks(deps.hub, deps);
  return webhookDeliveryHandler(deps);
}
