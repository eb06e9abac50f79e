import { Hono } from 'hono';
import type { ApiOperation } from './openapi-builder.ts';
import type { ApiContext, ApiEnv } from './api-env.ts';

/** A documented /api/v1 route: the operation (for the OpenAPI document) and its handler. */
export interface ApiRoute extends ApiOperation {
  handler: (c: ApiContext) => Response | Promise<Response>;
}

/** `{name}` (OpenAPI) → `:name` (Hono). */
const honoPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

/** One Hono sub-app for one API area. */
export function areaApp(routes: ApiRoute[]): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  for (const r of routes) app.on(r.method.toUpperCase(), honoPath(r.path), (c) => r.handler(c));
  return app;
}
