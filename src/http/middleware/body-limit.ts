import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authenticateApiKey } from '../../auth/index.ts';
import { tooLarge } from '../../lib/errors.ts';
import type { HttpEnv } from '../env.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const UPLOAD_BODY_LIMIT = 26 * 1024 * 1024;

interface UploadRoute {
  path: RegExp;
  /** Whether this request's sender is known (signed-in session, valid API key): only then does the upload limit apply. */
  authenticated(c: Context<HttpEnv>): Promise<boolean> | boolean;
}

/** The routes that take uploads (POST). Any other path, and any unauthenticated sender, gets the default limit. */
export const UPLOAD_ROUTES: UploadRoute[] = [
  {
    path: /^\/api\/v1\/attachments$/,
    async authenticated(c) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
      return !!m && !!(await authenticateApiKey(c.get('ctx').db, c.get('ctx').clock, m[1]));
    },
  },
  { path: /^\/clients\/[^/]+\/inbox\/[^/]+\/reply$/, authenticated: (c) => !!c.get('user') },
];

async function limitFor(c: Context<HttpEnv>, declared: number | undefined): Promise<number> {
  // A body within the default limit needs no look-up: most posts end here.
  if (declared !== undefined && declared <= DEFAULT_BODY_LIMIT) return DEFAULT_BODY_LIMIT;
  if (c.req.method !== 'POST') return DEFAULT_BODY_LIMIT;
  const route = UPLOAD_ROUTES.find((r) => r.path.test(c.req.path));
  return route && (await route.authenticated(c)) ? UPLOAD_BODY_LIMIT : DEFAULT_BODY_LIMIT;
}

/**
 * Caps request bodies. Runs after the session is loaded and before anything reads a body, so an
 * anonymous sender can never make the server take more than the default limit: the upload limit
 * is for a known upload route whose sender is already authenticated.
 */
export function requestBodyLimit(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // A declared length is checked as declared (Node's parser never reads past it). Hono's
    // bodyLimit would turn the request into a web stream first, which costs a tenth of a small
    // POST and loses @hono/node-server's direct read of the body; it guards chunked bodies only.
    const length = c.req.header('content-length');
    const chunked = length === undefined || !!c.req.header('transfer-encoding');
    const maxSize = await limitFor(c, chunked ? undefined : Number(length));
    if (!chunked) {
      if (!(Number(length) <= maxSize)) throw tooLarge();
      return next();
    }
    return bodyLimit({ maxSize, onError: () => { throw tooLarge(); } })(c, next);
  };
}
