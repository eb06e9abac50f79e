import fs from 'node:fs';
import { Hono } from 'hono';
import { publicMediaFile } from '../../messaging/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { HttpEnv } from '../env.ts';

/**
 * One stored file at a signed, expiring link (`/media/<token>`), for a platform that fetches what
 * we send by URL (Instagram). No session: the token is the permission, for that one file only; a
 * forged or expired token is "not found". Never rendered as a page on our origin.
 */
export function publicMediaRoutes() {
  const app = new Hono<HttpEnv>();
  app.get('/media/:token', async (c) => {
    const ctx = c.get('ctx');
    const found = await publicMediaFile(ctx.db, ctx.vault, ctx.config.dataDir, c.req.param('token'), ctx.clock.now());
    if (!found) throw notFound('No such file, or the link has expired');
    return c.body(new Uint8Array(await fs.promises.readFile(found.file)), 200, {
      'Content-Type': found.mime,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
  });
  return app;
}
