import { Hono } from 'hono';
import { findClient } from '../../tenants/index.ts';
import { WEBHOOK_EVENTS } from '../../webhooks/index.ts';
import { ApiDocsPage, type OpenApiDoc } from '../../../views/pages/api-docs.tsx';
import { requireUser } from '../middleware/session.ts';
import { html, viewContext } from '../render.tsx';
import { OPENAPI_PATH, openApiDocument } from './api/index.ts';
import type { HttpEnv } from '../env.ts';

/** The readable API reference in the admin UI, server-rendered from the served OpenAPI document. */
export function apiDocsRoutes() {
  const app = new Hono<HttpEnv>();
  app.get('/api-docs', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const own = user.clientId && ['owner', 'representative'].includes(user.role) ? await findClient(ctx.db, user.clientId) : undefined;
    const doc = openApiDocument(ctx.publicUrl()) as unknown as OpenApiDoc;
    return html(c, <ApiDocsPage v={viewContext(c)} d={{ doc, openapiPath: OPENAPI_PATH, events: WEBHOOK_EVENTS, client: own ? { slug: own.slug, name: own.name } : undefined }} />);
  });
  return app;
}
