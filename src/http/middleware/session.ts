import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { timingSafeEqual } from 'node:crypto';
import { resolveSession, totpRequiredFor } from '../../auth/index.ts';
import { getSetting } from '../../settings/index.ts';
import { isLanguage, type Language } from '../../auth/index.ts';
import { AppError, unauthorized } from '../../lib/errors.ts';
import { randomToken } from '../../lib/ids.ts';
import { parseFormBody } from '../forms.ts';
import type { HttpEnv } from '../env.ts';

export const SESSION_COOKIE = 'habar_session';
export const PRE_CSRF_COOKIE = 'habar_csrf';
export const LANG_COOKIE = 'habar_lang';

/** Whether the browser reached us over HTTPS (our own TLS, or a trusted proxy's X-Forwarded-Proto): cookies get `Secure`. */
export const isSecureRequest = (c: Context<HttpEnv>) => !!c.get('ctx').config.tlsCert || (c.get('ctx').config.trustProxy && c.req.header('x-forwarded-proto') === 'https');
const secure = isSecureRequest;

/** How long the install's default language (a runtime setting) is kept in memory between reads. */
const DEFAULT_LANGUAGE_TTL_MS = 10_000;

export function setSessionCookie(c: Context<HttpEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: secure(c), path: '/' });
}

export function clearSessionCookie(c: Context<HttpEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c) });
}

/** Loads the session (if any) and picks the UI language: user setting > ?lang/cookie > install default (`ui.default_language`, else ru). */
export function loadSession(): MiddlewareHandler<HttpEnv> {
  let cachedDefault: { lang: Language; until: number } | undefined;
  const defaultLanguage = async (c: Context<HttpEnv>): Promise<Language> => {
    const ctx = c.get('ctx');
    const now = ctx.clock.now().getTime();
    if (!cachedDefault || now >= cachedDefault.until) {
      const set = await getSetting(ctx.db, ctx.vault, 'ui.default_language');
      cachedDefault = { lang: isLanguage(set) ? set : 'ru', until: now + DEFAULT_LANGUAGE_TTL_MS };
    }
    return cachedDefault.lang;
  };
  return async (c, next) => {
    const ctx = c.get('ctx');
    const token = getCookie(c, SESSION_COOKIE);
    let userLang: Language | undefined;
    if (token) {
      const found = await resolveSession(ctx.db, ctx.clock, token);
      if (found) {
        // What a signed-in page shows is that user's: no browser or proxy may keep a copy.
        c.header('Cache-Control', 'no-store');
        c.set('session', found.session);
        c.set('sessionToken', token);
        // A session still pending its second factor is not a signed-in user: only /login/totp serves it.
        if (!found.session.totpPending) c.set('user', found.user);
        if (found.client) {
          c.set('clientSlug', found.client.slug);
          c.set('timezone', found.client.timezone);
          c.set('clientRequiresTotp', found.client.requireTotp);
        }
      }
      userLang = found?.user.language;
    }
    const q = c.req.query('lang');
    const cookieLang = getCookie(c, LANG_COOKIE);
    if (isLanguage(q) && c.req.method === 'GET') setCookie(c, LANG_COOKIE, q, { sameSite: 'Lax', path: '/', httpOnly: true, maxAge: 365 * 86400 });
    c.set('lang', userLang ?? (isLanguage(q) ? q : isLanguage(cookieLang) ? cookieLang : await defaultLanguage(c)));
    await next();
    // A handler that built its own Response (a download, an error page) gets it afterwards.
    if (c.get('session') && !/no-store/.test(c.res.headers.get('Cache-Control') ?? '')) c.header('Cache-Control', 'no-store');
  };
}

/** The CSRF token for this request's forms: the session's, or a pre-session double-submit cookie. */
export function csrfToken(c: Context<HttpEnv>): string {
  const s = c.get('session');
  if (s) return s.csrfToken;
  let t = getCookie(c, PRE_CSRF_COOKIE);
  if (!t) {
    t = randomToken(24);
    setCookie(c, PRE_CSRF_COOKIE, t, { httpOnly: true, sameSite: 'Strict', path: '/', secure: secure(c) });
  }
  return t;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const csrfError = () => new AppError('csrf_failed', 'The form expired or the request lacks its CSRF token. Reload the page and try again.', 403);

/**
 * Every state-changing request that a cookie authenticates carries the CSRF token, as the
 * X-CSRF-Token header (htmx) or a `_csrf` form field. Bearer API calls and webhooks never come here.
 */
export function csrfProtection(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next();
    const expected = c.get('session')?.csrfToken ?? getCookie(c, PRE_CSRF_COOKIE);
    // With nothing to compare against, refuse before reading a byte of the body.
    if (!expected) throw csrfError();
    let given = c.req.header('x-csrf-token');
    if (!given) {
      const type = c.req.header('content-type') ?? '';
      if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
        const body = await parseFormBody(c);
        given = typeof body._csrf === 'string' ? body._csrf : undefined;
      }
    }
    if (!expected || !given || !same(expected, given)) throw csrfError();
    await next();
  };
}

// While a policy makes a user enrol in TOTP, these paths stay open (enrolment itself, sign-out, language).
const ENROLMENT_PATHS = [/^\/account\/totp$/, /^\/logout$/, /^\/account\/language$/];

/** Sends the browser elsewhere (htmx: HX-Redirect, so the whole page moves rather than a fragment). */
function redirectTo(c: Context<HttpEnv>, location: string) {
  if (c.req.header('hx-request')) {
    c.header('HX-Redirect', location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}

/**
 * Requires a fully signed-in user with one of `roles`: second factor passed, one-time password
 * changed, and TOTP enrolled when a policy (staff setting or the member's client) requires it.
 * A request whose session cookie no longer matches a live session goes to the login page with a message.
 */
export function requireUser(roles?: string[]): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const user = c.get('user');
    const session = c.get('session');
    const path = c.req.path;
    if (session?.totpPending) return redirectTo(c, '/login/totp');
    if (!user || !session) {
      if (!getCookie(c, SESSION_COOKIE)) throw unauthorized();
      clearSessionCookie(c);
      const next = c.req.method === 'GET' ? `&next=${encodeURIComponent(path)}` : '';
      return redirectTo(c, `/login?expired=1${next}`);
    }
    if (user.mustChangePassword && !path.startsWith('/account/password') && path !== '/logout') return redirectTo(c, '/account/password');
    if (!user.totpEnabled && !ENROLMENT_PATHS.some((r) => r.test(path))) {
      const ctx = c.get('ctx');
      // A member's client policy came with the session; staff policy is one setting.
      const required = user.clientId ? !!c.get('clientRequiresTotp') : await totpRequiredFor(ctx.db, ctx.vault, user);
      if (required) return redirectTo(c, '/account/totp');
    }
    if (roles && !roles.includes(user.role)) throw new AppError('forbidden', 'Your role may not open this page', 403);
    await next();
  };
}
