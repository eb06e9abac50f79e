import { Hono } from 'hono';
import { receiveChatwootWebhook, DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../chatwoot/index.ts';
import type { HttpEnv } from '../env.ts';

/**
 * Chatwoot's inbox webhooks (`/webhooks/*`: CSRF-exempt, errors as JSON). The token in the path
 * names the inbox; the signature and timestamp are checked by the chatwoot room, which queues the
 * work: the answer comes at once (Chatwoot waits 5 s). A forged or stale delivery is 401.
 */
export function chatwootWebhookRoutes() {
  const app = new Hono<HttpEnv>();
  app.post('/webhooks/chatwoot/:token', async (c) => {
    const ctx = c.get('ctx');
    const r = await receiveChatwootWebhook(ctx, c.req.param('token'), await c.req.text(), {
      signature: c.req.header(SIGNATURE_HEADER), timestamp: c.req.header(TIMESTAMP_HEADER), delivery: c.req.header(DELIVERY_HEADER),
    });
    if (r.outcome === 'queued') ctx.jobs.wake();
    return c.json({ ok: true, ...r });
  });
  return app;
}
