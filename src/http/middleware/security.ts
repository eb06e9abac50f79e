import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from '../env.ts';

/**
 * Security headers on every response: a CSP with no inline script, no framing, nosniff. Set before
 * the handler runs, so that the response it makes carries them (a route may still override one,
 * e.g. the customer page's stricter Referrer-Policy); setting headers on a finished response makes
 * Hono copy the whole Response, once per header call (~10 % of a small POST's CPU). A handler that
 * returns a Response of its own (not made through the context) gets them afterwards.
 */
export function securityHeaders(tls: boolean): MiddlewareHandler<HttpEnv> {
  const csp = [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; ');
  const headers: Array<[string, string]> = [
    ['Content-Security-Policy', csp], ['X-Content-Type-Options', 'nosniff'], ['Referrer-Policy', 'same-origin'],
    ['X-Frame-Options', 'DENY'], ['Cross-Origin-Opener-Policy', 'same-origin'],
    ...(tls ? [['Strict-Transport-Security', 'max-age=31536000'] as [string, string]] : []),
  ];
  return async (c, next) => {
    for (const [name, value] of headers) c.header(name, value);
    await next();
    if (!c.res.headers.has('Content-Security-Policy')) for (const [name, value] of headers) c.header(name, value);
  };
}
