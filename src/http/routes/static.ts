import { Hono } from 'hono';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSea, readEmbeddedAsset } from '../../lib/sea.ts';
import type { HttpEnv } from '../env.ts';

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json' };

function publicDir(): string {
  // Source runs: public/ at the top of the checkout, two folders above this file.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public');
}

/** Serves public/ (htmx, CSS, icons): from the binary's embedded assets, or the folder when run from source. */
export function staticRoutes() {
  const app = new Hono<HttpEnv>();
  const cache = new Map<string, Buffer | null>();
  app.get('/public/:file{[A-Za-z0-9._-]+}', (c) => {
    const file = c.req.param('file');
    let data = cache.get(file);
    if (data === undefined) {
      data = isSea() ? (readEmbeddedAsset(`public/${file}`) ?? null) : fs.existsSync(path.join(publicDir(), file)) ? fs.readFileSync(path.join(publicDir(), file)) : null;
      cache.set(file, data);
    }
    if (!data) return c.text('Not found', 404);
    return c.body(new Uint8Array(data), 200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'public, max-age=3600' });
  });
  return app;
}
