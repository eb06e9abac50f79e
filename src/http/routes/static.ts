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

function readAsset(file: string): Buffer | undefined {
  if (isSea()) return readEmbeddedAsset(`public/${file}`) ?? undefined;
  const p = path.join(publicDir(), file);
  return fs.existsSync(p) ? fs.readFileSync(p) : undefined;
}

/**
 * Serves public/ (htmx, CSS, icons): from the binary's embedded assets, or the folder when run from
 * source. Only files that exist are cached (a fixed, small set); a miss is looked up each time, so
 * requests for made-up names cannot grow the cache. `cache` is a parameter for tests to inspect.
 */
export function staticRoutes(cache = new Map<string, Buffer>()) {
  const app = new Hono<HttpEnv>();
  app.get('/public/:file{[A-Za-z0-9._-]+}', (c) => {
    const file = c.req.param('file');
    let data = cache.get(file);
    if (!data) {
      data = readAsset(file);
      if (data) cache.set(file, data);
    }
    if (!data) return c.text('Not found', 404);
    return c.body(new Uint8Array(data), 200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'public, max-age=3600' });
  });
  return app;
}
