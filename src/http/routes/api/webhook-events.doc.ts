import { z } from 'zod';
import { ChannelStatusEventSchema, ConversationUpdateSchema, MessageSchema, time } from './representation.ts';
import { named } from './schema-registry.ts';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../webhooks/index.ts';
import type { WebhookEventDoc } from './openapi-builder.ts';

// The bodies Habar POSTs to webhook receivers, one schema per event (the document's `webhooks`
// section). The data of each is what the event forwarder sends: the API representation.

const DATA: Record<WebhookEvent, { schema: z.ZodType; summary: string }> = {
  'message.received': { schema: MessageSchema, summary: 'A customer’s message was stored' },
  'message.sent': { schema: MessageSchema, summary: 'An outgoing message was sent on its channel' },
  'message.failed': { schema: MessageSchema, summary: 'An outgoing message could not be sent (its error says why)' },
  'conversation.updated': { schema: ConversationUpdateSchema, summary: 'A conversation was created, reopened or changed (change says how)' },
  'channel.status': { schema: ChannelStatusEventSchema, summary: 'A channel account’s status changed' },
};

const schemaName = (event: string) => `${event.split(/[._]/).map((p) => p[0].toUpperCase() + p.slice(1)).join('')}Event`;

const payloads = new Map<WebhookEvent, z.ZodType>();
/** The payload of one event: the envelope {id, event, created_at, data} (made once: its name is registered). */
export const webhookPayloadSchema = (event: WebhookEvent): z.ZodType => payloads.get(event) ?? payloads.set(event, named(schemaName(event), z.object({
  id: z.string().describe('The delivery id (also the X-Habar-Delivery header): the same on every retry'),
  event: z.literal(event),
  created_at: time().describe('When the event happened'),
  data: DATA[event].schema,
}).strict(), `The body of a ${event} delivery`)).get(event)!;

let docs: WebhookEventDoc[] | undefined;
/** Every outgoing webhook event, for the OpenAPI document. */
export const webhookEventDocs = (): WebhookEventDoc[] =>
  (docs ??= WEBHOOK_EVENTS.map((event) => ({ event, summary: DATA[event].summary, payload: webhookPayloadSchema(event) })));
