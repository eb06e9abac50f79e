import { Hono } from 'hono';
import { InstagramWebhook } from '../../channels/index.ts';
import type { HttpEnv } from '../env.ts';

/**
 * Meta's Instagram webhook (`/webhooks/*` is CSRF-exempt and answers errors as JSON): GET is the
 * hub.* handshake, POST a signed delivery, answered 200 only once its messages are stored.
 */
export function instagramWebhookRoutes() {
  const app = new Hono<HttpEnv>();
  let webhook: InstagramWebhook | undefined;
  const receiver = (ctx: HttpEnv['Variables']['ctx']) =>
    (webhook ??= new InstagramWebhook({
      db: ctx.db, vault: ctx.vault, clock: ctx.clock, log: ctx.log, dataDir: ctx.config.dataDir,
      ingest: ctx.channels.host.ingest, messageChanged: ctx.channels.host.messageChanged, receipt: ctx.channels.host.receipt,
    }));

  app.get('/webhooks/instagram', async (c) => {
    const challenge = await receiver(c.get('ctx')).handshake(c.req.query());
    return c.text(challenge);
  });

  app.post('/webhooks/instagram', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const outcome = await receiver(c.get('ctx')).receive(raw, c.req.header('x-hub-signature-256'));
    return c.json({ ok: true, ...outcome });
  });

  return app;
}
