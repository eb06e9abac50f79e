import type { Context } from 'hono';
import type { HttpEnv } from './env.ts';
import { badRequest } from '../lib/errors.ts';

/** Reads a urlencoded/multipart form as strings (files are left to the routes that take them). */
export async function readForm(c: Context<HttpEnv>): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) {
    throw badRequest('Expected a form submission');
  }
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** All values of a repeated form field (e.g. several contact persons). */
export async function readFormAll(c: Context<HttpEnv>, name: string): Promise<string[]> {
  const body = await c.req.parseBody({ all: true });
  const v = body[name] ?? body[`${name}[]`];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** A same-site path to go to after login (never an absolute URL: no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\w\-/.?=&%]*$/.test(next) ? next : '/';
}
