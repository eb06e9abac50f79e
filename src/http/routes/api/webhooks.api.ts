import { z } from 'zod';
import {
  WEBHOOK_EVENTS, createWebhook, deleteWebhook, getDelivery, getWebhook, listDeliveries, listWebhooks, redeliver, updateWebhook,
  type Delivery, type Webhook,
} from '../../../webhooks/index.ts';
import { listAudit } from '../../../audit/index.ts';
import { time } from './representation.ts';
import { isAppError, notFound } from '../../../lib/errors.ts';
import { webhookPayloadSchema } from './webhook-events.doc.ts';
import { named } from './openapi-builder.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { PageQuery, idCursor, page, pathId, readJson, readQuery } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

const Event = z.enum(WEBHOOK_EVENTS);

export const WebhookSchema = named('Webhook', z.object({
  id: z.string(),
  url: z.string().meta({ format: 'uri' }),
  events: z.array(Event),
  active: z.boolean(),
  secret_set: z.boolean().describe('The signing secret is write-only'),
  created_at: time(),
  updated_at: time(),
}));

export const DeliverySchema = named('WebhookDelivery', z.object({
  id: z.string().describe('Also the X-Habar-Delivery header and the body’s id: receivers dedupe by it'),
  webhook_id: z.string(),
  event: Event,
  status: z.enum(['pending', 'delivered', 'failed', 'dead']).describe('failed: will be retried at next_attempt_at; dead: gave up (redeliver to try again)'),
  attempts: z.number().int().min(0),
  last_status_code: z.number().int().min(100).max(599).nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: time().nullable(),
  delivered_at: time().nullable(),
  created_at: time(),
  payload: z.union(WEBHOOK_EVENTS.map(webhookPayloadSchema)).describe('The exact body sent (one of the webhooks section’s event bodies)'),
}));

export const webhookJson = (w: Webhook): z.infer<typeof WebhookSchema> => ({
  id: w.id, url: w.url, events: w.events, active: w.active, secret_set: true, created_at: w.createdAt, updated_at: w.updatedAt,
});

export const deliveryJson = (d: Delivery): z.infer<typeof DeliverySchema> => ({
  id: d.id, webhook_id: d.webhookId, event: d.event as z.infer<typeof Event>, status: d.status, attempts: d.attempts,
  last_status_code: d.lastStatusCode, last_error: d.lastError, next_attempt_at: d.nextAttemptAt, delivered_at: d.deliveredAt,
  created_at: d.createdAt, payload: JSON.parse(d.payload) as never,
});

const secret = z.string().min(16).max(200).describe('Signing secret (write-only); when creating without one, a random one is made and returned once');
const url = z.string().max(2000).meta({ format: 'uri' }).describe('An http(s) URL the events are POSTed to');
const CreateWebhook = z.object({ url, events: z.array(Event).min(1), secret: secret.optional(), active: z.boolean().optional() }).strict();
const UpdateWebhook = z.object({ url: url.optional(), events: z.array(Event).min(1).optional(), secret: secret.optional(), active: z.boolean().optional() }).strict();
const List = (item: z.ZodType) => z.object({ data: z.array(item), next_cursor: z.string().nullable() });

export const webhookRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/webhooks', operationId: 'listWebhooks', tag: 'Webhooks', summary: 'List outgoing webhooks',
    query: PageQuery, responses: { 200: { description: 'A page of webhooks', schema: List(WebhookSchema) } },
    async handler(c) {
      const q = readQuery(c, PageQuery);
      const rows = await listWebhooks(c.get('ctx').db, apiClientId(c), { before: idCursor(q.cursor), limit: q.limit + 1 });
      return c.json(page(rows, q.limit, webhookJson, (w) => w.id));
    },
  },
  {
    method: 'post', path: '/api/v1/webhooks', operationId: 'createWebhook', tag: 'Webhooks', summary: 'Register an outgoing webhook',
    description: 'Each event is POSTed as {"id","event","created_at","data"} with headers X-Habar-Delivery (the id), X-Habar-Timestamp (unix seconds) and X-Habar-Signature: sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>. Any 2xx answer within 10 s counts as delivered; otherwise it is retried with capped exponential backoff and finally marked dead.',
    body: CreateWebhook, responses: { 201: { description: 'The webhook and its secret (shown only here)', schema: WebhookSchema.extend({ secret: z.string() }) } },
    async handler(c) {
      const input = await readJson(c, CreateWebhook);
      const ctx = c.get('ctx');
      const { webhook, secret: s } = await createWebhook(ctx.db, ctx.vault, ctx.clock, apiClientId(c), input, apiActor(c));
      return c.json({ ...webhookJson(webhook), secret: s }, 201);
    },
  },
  {
    method: 'get', path: '/api/v1/webhooks/{webhook_id}', operationId: 'getWebhook', tag: 'Webhooks', summary: 'One webhook',
    responses: { 200: { description: 'The webhook', schema: WebhookSchema } },
    async handler(c) {
      return c.json(webhookJson(await getWebhook(c.get('ctx').db, apiClientId(c), pathId(c, 'webhook_id'))));
    },
  },
  {
    method: 'put', path: '/api/v1/webhooks/{webhook_id}', operationId: 'updateWebhook', tag: 'Webhooks', summary: 'Change a webhook (only the fields present)',
    body: UpdateWebhook, responses: { 200: { description: 'The webhook', schema: WebhookSchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      const id = pathId(c, 'webhook_id');
      await getWebhook(ctx.db, apiClientId(c), id);
      const input = await readJson(c, UpdateWebhook);
      const w = await updateWebhook(ctx.db, ctx.vault, ctx.clock, apiClientId(c), id, input, apiActor(c));
      return c.json(webhookJson(w));
    },
  },
  {
    method: 'delete', path: '/api/v1/webhooks/{webhook_id}', operationId: 'deleteWebhook', tag: 'Webhooks', summary: 'Delete a webhook and its delivery log',
    description: 'Idempotent: deleting a webhook this client already deleted answers 204 again; an id it never had is 404.',
    responses: { 204: { description: 'Deleted (now or before)' } },
    async handler(c) {
      const id = pathId(c, 'webhook_id');
      const ctx = c.get('ctx');
      const gone = await deleteWebhook(ctx.db, ctx.clock, apiClientId(c), id, apiActor(c)).then(() => false, (err) => {
        if (isAppError(err) && err.status === 404) return true;
        throw err;
      });
      if (gone) {
        // Deleted before? The audit log remembers each deletion (the row itself is gone).
        const before = await listAudit(ctx.db, { clientId: apiClientId(c), action: 'webhook.deleted', targetId: id, limit: 1 });
        if (!before.some((e) => e.action === 'webhook.deleted')) throw notFound('No such webhook');
      }
      return c.body(null, 204);
    },
  },
  {
    method: 'get', path: '/api/v1/webhooks/{webhook_id}/deliveries', operationId: 'listWebhookDeliveries', tag: 'Webhooks', summary: 'The delivery log, newest first',
    query: PageQuery, responses: { 200: { description: 'A page of deliveries', schema: List(DeliverySchema) } },
    async handler(c) {
      const db = c.get('ctx').db;
      const id = pathId(c, 'webhook_id');
      await getWebhook(db, apiClientId(c), id);
      const q = readQuery(c, PageQuery);
      const rows = await listDeliveries(db, apiClientId(c), id, { before: idCursor(q.cursor), limit: q.limit + 1 });
      return c.json(page(rows, q.limit, deliveryJson, (d) => d.id));
    },
  },
  {
    method: 'get', path: '/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}', operationId: 'getWebhookDelivery', tag: 'Webhooks', summary: 'One delivery',
    responses: { 200: { description: 'The delivery', schema: DeliverySchema } },
    async handler(c) {
      return c.json(deliveryJson(await getDelivery(c.get('ctx').db, apiClientId(c), pathId(c, 'webhook_id'), pathId(c, 'delivery_id'))));
    },
  },
  {
    method: 'post', path: '/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver', operationId: 'redeliverWebhookDelivery', tag: 'Webhooks',
    summary: 'Send a delivery again (same id and body, fresh attempts)',
    description: 'Only a delivery that was delivered or is dead: one still being attempted answers 409 delivery_in_progress.',
    responses: { 202: { description: 'Queued', schema: DeliverySchema }, 409: { description: 'The delivery is still being attempted (delivery_in_progress)' } },
    async handler(c) {
      const ctx = c.get('ctx');
      const d = await redeliver(ctx.db, ctx.clock, apiClientId(c), pathId(c, 'webhook_id'), pathId(c, 'delivery_id'));
      ctx.jobs.wake();
      return c.json(deliveryJson(d), 202);
    },
  },
];
