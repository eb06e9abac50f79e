import type { Context } from 'hono';
import type { HttpEnv } from './env.ts';
import { AppError, badRequest, isAppError } from '../lib/errors.ts';

type Body = Record<string, string | File | Array<string | File>>;

/** Whether the client went away before its request was read (a closed tab, a dropped connection). */
export const clientGone = <E extends HttpEnv>(c: Context<E>): boolean => c.req.raw.signal?.aborted === true;

/** A request the client abandoned: nothing to answer, nothing wrong on our side (logged at debug). */
export const clientClosed = () => new AppError('client_closed', 'The client closed the connection before its request was read', 400);

/**
 * Parses a urlencoded/multipart body. A body the parser cannot read (a multipart body without a
 * valid boundary, truncated parts) is the client's fault: 400 with a message, never a 500; a limit
 * crossed while reading stays a 413.
 */
export async function parseFormBody<E extends HttpEnv>(c: Context<E>, opts: { all?: boolean } = {}): Promise<Body> {
  try {
    return (await c.req.parseBody({ all: opts.all ?? false })) as Body;
  } catch (err) {
    if (isAppError(err)) throw err;
    const cause = (err as { cause?: unknown })?.cause;
    if (isAppError(cause)) throw cause;
    if (clientGone(c)) throw clientClosed();
    throw badRequest('The form body is malformed: a multipart body needs a valid boundary and complete parts, a urlencoded one valid escapes', undefined, 'malformed_body');
  }
}

/** Reads a urlencoded/multipart form as strings (files are left to the routes that take them). */
export async function readForm(c: Context<HttpEnv>): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) {
    throw badRequest('Expected a form submission');
  }
  const body = await parseFormBody(c, { all: true });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** All values of a repeated form field (e.g. several contact persons). */
export async function readFormAll(c: Context<HttpEnv>, name: string): Promise<string[]> {
  const body = await parseFormBody(c, { all: true });
  const v = body[name] ?? body[`${name}[]`];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** A same-site path to go to after login (never an absolute URL: no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\w\-/.?=&%]*$/.test(next) ? next : '/';
}
