import { Hono } from 'hono';
import { Metrics } from '../lib/metrics.ts';
import { notFound } from '../lib/errors.ts';
import { requestBodyLimit } from './middleware/body-limit.ts';
import { observability } from './middleware/observability.ts';
import { securityHeaders } from './middleware/security.ts';
import { csrfProtection, loadSession } from './middleware/session.ts';
import { renderError } from './render.tsx';
import { FlashSigner } from './flash.ts';
import { opsRoutes } from './routes/ops.ts';
import { staticRoutes } from './routes/static.ts';
import { SCREENS } from './routes/index.ts';
import type { AppContext, HttpEnv } from './env.ts';

/** Paths a browser session does not authenticate (own protection: bearer key, signature, token in URL). */
export const CSRF_EXEMPT = [/^\/api\//, /^\/webhooks\//, /^\/c\//];

/** Builds the Hono app: middleware in order, then one sub-app per screen. */
export function createHttpApp(ctx: AppContext, extra: (app: Hono<HttpEnv>) => void = () => {}) {
  const app = new Hono<HttpEnv>();
  const metrics = new Metrics();
  const flashSigner = new FlashSigner();
  app.use('*', async (c, next) => {
    c.set('ctx', ctx);
    c.set('flashSigner', flashSigner);
    await next();
  });
  app.use('*', observability(metrics, ctx.config.trustProxy));
  app.use('*', securityHeaders(!!ctx.config.tlsCert));
  app.onError(renderError);
  app.notFound((c) => renderError(notFound('No such page'), c));

  app.route('/', opsRoutes(metrics));
  app.route('/', staticRoutes());

  app.use('*', loadSession());
  app.use('*', requestBodyLimit());
  app.use('*', (c, next) => (CSRF_EXEMPT.some((r) => r.test(c.req.path)) ? next() : csrfProtection()(c, next)));

  for (const screen of SCREENS) app.route('/', screen());
  extra(app);
  return app;
}
