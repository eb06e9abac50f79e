import type { Context } from 'hono';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CATALOG, translator, type Lang } from '../../views/i18n/index.ts';
import type { HttpEnv } from './env.ts';

/**
 * A banner after a redirect (`?flash=`) names a catalog key, never a sentence from the URL, so a
 * crafted link cannot make a page (the login page included) say what its author wants. A key
 * whose sentence has placeholders shows only with values this server signed; anything else shows nothing.
 */
export class FlashSigner {
  readonly #key: Buffer;
  constructor(key: Buffer = randomBytes(32)) {
    this.#key = key;
  }

  sign(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url').slice(0, 22);
  }

  verify(payload: string, sig: string): boolean {
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

const KEY = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;
const hasPlaceholder = (tpl: string) => /\{\w+\}/.test(tpl);

/** `path` with the flash of catalog `key` (and signed `params`, when its sentence has placeholders); keeps a `#fragment` last. */
export function flashUrl(c: Context<HttpEnv>, path: string, key: string, params?: Record<string, string | number>): string {
  let value = key;
  if (params) {
    const encoded = Buffer.from(JSON.stringify(params)).toString('base64url');
    value = `${key}~${encoded}~${c.get('flashSigner').sign(`${key}~${encoded}`)}`;
  }
  const hash = path.indexOf('#');
  const [base, fragment] = hash < 0 ? [path, ''] : [path.slice(0, hash), path.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}flash=${encodeURIComponent(value)}${fragment}`;
}

/** The banner text for this request's `?flash=`, in `lang`; undefined for anything not made by flashUrl. */
export function readFlash(c: Context<HttpEnv>, lang: Lang): string | undefined {
  const value = c.req.query('flash');
  if (!value || value.length > 1000) return undefined;
  const [key, encoded, sig, ...rest] = value.split('~');
  if (rest.length || !KEY.test(key) || !(key in CATALOG.en)) return undefined;
  const t = translator(lang);
  if (encoded === undefined) return hasPlaceholder(CATALOG.en[key]) ? undefined : t(key);
  if (!sig || !c.get('flashSigner')?.verify(`${key}~${encoded}`, sig)) return undefined;
  try {
    const params = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, string | number>;
    return t(key, params);
  } catch {
    return undefined;
  }
}
