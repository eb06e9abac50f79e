import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from '../env.ts';

/** Security headers on every response: a CSP with no inline script, no framing, nosniff. */
export function securityHeaders(tls: boolean): MiddlewareHandler<HttpEnv> {
  const csp = [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; ');
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (tls) c.header('Strict-Transport-Security', 'max-age=31536000');
  };
}
