import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { randomUUID } from 'node:crypto';
import type { Metrics } from '../../lib/metrics.ts';
import type { HttpEnv } from '../env.ts';

/** Request id, client address (the last X-Forwarded-For entry, only behind --trust-proxy), access log line and metrics. */
export function observability(metrics: Metrics, trustProxy: boolean): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    c.set('requestId', requestId);
    let ip = '';
    try { ip = getConnInfo(c).remote.address ?? ''; } catch { ip = ''; }
    // The proxy appends the address it saw: the last entry. Earlier ones come from the client and can be forged.
    if (trustProxy) ip = c.req.header('x-forwarded-for')?.split(',').pop()?.trim() || ip;
    c.set('ip', ip);
    c.header('X-Request-Id', requestId); // before the response exists: see securityHeaders
    await next();
    if (!c.res.headers.has('X-Request-Id')) c.header('X-Request-Id', requestId);
    const seconds = (performance.now() - started) / 1000;
    const route = c.req.routePath || 'unmatched';
    const status = String(c.res.status);
    metrics.inc('habar_http_requests_total', 'HTTP requests by route and status', { method: c.req.method, route, status });
    metrics.observe('habar_http_request_duration_seconds', 'HTTP request latency', { route }, seconds);
    const log = c.get('ctx').log;
    const level = c.res.status >= 500 ? 'error' : 'debug';
    // The route pattern only: paths and query strings may carry tokens (reset links, sandbox links); never bodies.
    log.log(level, 'http', 'request', { request_id: requestId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) });
  };
}
