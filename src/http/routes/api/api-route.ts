import { Hono } from 'hono';
import { AppError } from '../../../lib/errors.ts';
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

/**
 * For each documented path, any method it does not take: 405 method_not_allowed with an Allow
 * header. Mounted after every area, so it answers only what no route answered.
 */
export function methodNotAllowed(routes: ApiRoute[]): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const byPath = new Map<string, Set<string>>();
  for (const r of routes) {
    const p = honoPath(r.path);
    if (!byPath.has(p)) byPath.set(p, new Set());
    byPath.get(p)!.add(r.method.toUpperCase());
  }
  for (const [p, methods] of byPath) {
    if (methods.has('GET')) methods.add('HEAD');
    const allow = [...methods].join(', ');
    app.all(p, (c) => {
      c.header('Allow', allow);
      throw new AppError('method_not_allowed', `${c.req.method} is not allowed here; this path takes ${allow}`, 405);
    });
  }
  return app;
}
