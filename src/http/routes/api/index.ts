import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { authenticateApiKey } from '../../../auth/index.ts';
import { recordUsage } from '../../../billing/index.ts';
import { findClient } from '../../../tenants/index.ts';
import { AppError } from '../../../lib/errors.ts';
import type { HttpEnv } from '../../env.ts';
import type { ApiEnv } from './api-env.ts';
import { areaApp, methodNotAllowed, type ApiRoute } from './api-route.ts';
import { buildOpenApi } from './openapi-builder.ts';
import { webhookEventDocs } from './webhook-events.doc.ts';
import { channelRoutes } from './channels.api.ts';
import { conversationRoutes } from './conversations.api.ts';
import { contactRoutes } from './contacts.api.ts';
import { attachmentRoutes } from './attachments.api.ts';
import { apiKeyRoutes } from './api-keys.api.ts';
import { webhookRoutes } from './webhooks.api.ts';
import { settingsRoutes } from './settings.api.ts';
import { aiSettingsRoutes } from './ai-settings.api.ts';
import { companySettingsRoutes } from './company-settings.api.ts';
import { automationRoutes } from './automation.api.ts';
import { requestRoutes } from './requests.api.ts';
import { exportRoutes } from './exports.api.ts';
import { contactPrivacyRoutes } from './contact-privacy.api.ts';
import { billingRoutes } from './billing.api.ts';
import { chatwootSettingsRoutes } from './chatwoot-settings.api.ts';

export const API_PREFIX = '/api/v1';
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;

/** Every /api/v1 area, one sub-app each. A new area adds its route list here (and so to the document).
 * Areas with their own settings routes precede settingsRoutes: /settings/ai (lists, 409 on consent), /settings/company,
 * /settings/chatwoot (credentials checked) and /settings/security win over the generic /settings/{area}. */
export const API_AREAS: ApiRoute[][] = [
  channelRoutes, conversationRoutes, contactRoutes, attachmentRoutes, webhookRoutes, apiKeyRoutes, aiSettingsRoutes, companySettingsRoutes, automationRoutes, chatwootSettingsRoutes, settingsRoutes,
  requestRoutes, contactPrivacyRoutes, exportRoutes, billingRoutes,
];

/** The document's tags, in the order a reader meets them. */
const API_TAGS = [
  { name: 'Channels', description: 'The client’s channel accounts (WhatsApp, Instagram, sandbox)' },
  { name: 'Conversations', description: 'One conversation per contact and channel: list, start, resolve, control the AI' },
  { name: 'Messages', description: 'Messages in conversations, and files attached to them' },
  { name: 'Contacts', description: 'The people who write to the client' },
  { name: 'Privacy', description: 'The request register: exports, erasure, restriction and objection, each with its due date and evidence' },
  { name: 'Webhooks', description: 'Outgoing webhooks: registration, the delivery log, and the events posted (see the webhooks section)' },
  { name: 'API keys', description: 'The client’s API keys (listed and revoked here; made only in the admin UI or the CLI)' },
  { name: 'Automation', description: 'Automation rules and response templates, each read and replaced as a whole set (the UI\'s import/export format)' },
  { name: 'Settings', description: 'Every settings screen of the client, readable and writable' },
  { name: 'Usage and statements', description: 'What the client used, day by day, and the monthly statements issued for it' },
  { name: 'Meta', description: 'This document' },
];

const openApiRoute: ApiRoute = {
  method: 'get', path: OPENAPI_PATH, operationId: 'getOpenApiDocument', tag: 'Meta', summary: 'This OpenAPI 3.1 document', public: true,
  responses: { 200: { description: 'The document', schema: z.record(z.string(), z.unknown()) } },
  handler: (c) => c.json(openApiDocument(c.get('ctx').publicUrl())),
};

/** Every documented operation (the document and the route table come from this one list). */
export const apiOperations = (): ApiRoute[] => [openApiRoute, ...API_AREAS.flat()];

let cached: Record<string, unknown> | undefined;
/** The OpenAPI document, its server URL built from the public URL. */
export function openApiDocument(publicUrl: string): Record<string, unknown> {
  cached ??= buildOpenApi(apiOperations(), { version: '1.0.0', serverUrl: '', tags: API_TAGS, webhooks: webhookEventDocs() });
  const base = publicUrl.replace(/\/$/, '');
  const info = cached.info as Record<string, unknown>;
  // The contact of an installation is its operator, who serves the readable docs page.
  return { ...cached, info: { ...info, contact: { ...(info.contact as object), url: `${base}/api-docs` } }, servers: [{ url: base }] };
}

const unauthorized = (c: Parameters<MiddlewareHandler>[0], code: string, message: string) => {
  c.header('WWW-Authenticate', 'Bearer realm="habar"');
  return new AppError(code, message, 401);
};

/**
 * `Authorization: Bearer <key>` on every /api/v1 call except the document: a missing, unknown or
 * revoked key is 401. Each authenticated call appends an api_call usage event.
 */
export function requireApiKey(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (c.req.path === OPENAPI_PATH) return next();
    const ctx = c.get('ctx');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!m) throw unauthorized(c, 'unauthorized', 'Send your API key as "Authorization: Bearer <key>"');
    const key = await authenticateApiKey(ctx.db, ctx.clock, m[1]);
    if (!key) throw unauthorized(c, 'invalid_api_key', 'The API key is unknown or has been revoked');
    const client = await findClient(ctx.db, key.clientId);
    if (!client || client.status !== 'active') throw new AppError('client_inactive', 'This client’s account is not active', 403);
    c.set('apiKey', key);
    await next();
    await recordUsage(ctx.db, ctx.clock, { clientId: key.clientId, kind: 'api_call', meta: { method: c.req.method, status: c.res.status } });
  };
}

/** The REST API: bearer-key middleware, then one sub-app per area (mounted through SCREENS), then 405 for a known path's other methods. */
export function apiRoutes(): Hono<HttpEnv> {
  const app = new Hono<ApiEnv>();
  app.use(`${API_PREFIX}/*`, requireApiKey());
  app.route('/', areaApp([openApiRoute]));
  for (const area of API_AREAS) app.route('/', areaApp(area));
  app.route('/', methodNotAllowed(apiOperations()));
  return app as unknown as Hono<HttpEnv>;
}
