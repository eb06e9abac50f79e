import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Metrics } from '../lib/metrics.ts';
import { notFound, tooLarge } from '../lib/errors.ts';
import { observability } from './middleware/observability.ts';
import { securityHeaders } from './middleware/security.ts';
import { csrfProtection, loadSession } from './middleware/session.ts';
import { renderError } from './render.tsx';
import { opsRoutes } from './routes/ops.ts';
import { staticRoutes } from './routes/static.ts';
import { SCREENS } from './routes/index.ts';
import type { AppContext, HttpEnv } from './env.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const UPLOAD_BODY_LIMIT = 26 * 1024 * 1024;

/** Paths a browser session does not authenticate (own protection: bearer key, signature, token in URL). */
export const CSRF_EXEMPT = [/^\/api\//, /^\/webhooks\//, /^\/c\//];

/** Paths that take uploads and so a larger body. */
export const UPLOAD_PATHS = [/\/attachments$/, /\/restore$/, /^\/clients\/[^/]+\/inbox\/[^/]+\/reply$/];

/** Builds the Hono app: middleware in order, then one sub-app per screen. */
export function createHttpApp(ctx: AppContext, extra: (app: Hono<HttpEnv>) => void = () => {}) {
  const app = new Hono<HttpEnv>();
  const metrics = new Metrics();
  app.use('*', async (c, next) => {
    c.set('ctx', ctx);
    await next();
  });
  app.use('*', observability(metrics, ctx.config.trustProxy));
  app.use('*', securityHeaders(!!ctx.config.tlsCert));
  app.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const maxSize = UPLOAD_PATHS.some((r) => r.test(c.req.path)) ? UPLOAD_BODY_LIMIT : DEFAULT_BODY_LIMIT;
    // A declared length is checked as declared (Node's parser never reads past it). Hono's
    // bodyLimit would turn the request into a web stream first, which costs a tenth of a small
    // POST and loses @hono/node-server's direct read of the body; it guards chunked bodies only.
    const length = c.req.header('content-length');
    if (length !== undefined && !c.req.header('transfer-encoding')) {
      if (Number(length) > maxSize) throw tooLarge();
      return next();
    }
    return bodyLimit({ maxSize, onError: () => { throw tooLarge(); } })(c, next);
  });
  app.onError(renderError);
  app.notFound((c) => renderError(notFound('No such page'), c));

  app.route('/', opsRoutes(metrics));
  app.route('/', staticRoutes());

  app.use('*', loadSession());
  app.use('*', (c, next) => (CSRF_EXEMPT.some((r) => r.test(c.req.path)) ? next() : csrfProtection()(c, next)));

  for (const screen of SCREENS) app.route('/', screen());
  extra(app);
  return app;
}
