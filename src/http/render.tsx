import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { translator } from '../../views/i18n/index.ts';
import { readFlash } from './flash.ts';
import { timeFormatter, type ViewContext } from '../../views/view-context.ts';
import { ErrorPage } from '../../views/pages/auth.tsx';
import { AppError, isAppError } from '../lib/errors.ts';
import { csrfToken } from './middleware/session.ts';
import { clientClosed, clientGone } from './forms.ts';
import type { HttpEnv } from './env.ts';

/** Builds what a view needs for this request: translator, CSRF token, time zone, user. */
export function viewContext(c: Context<HttpEnv>, opts: { timezone?: string; flash?: string } = {}): ViewContext {
  const lang = c.get('lang') ?? 'ru';
  const user = c.get('user');
  return {
    t: translator(lang),
    lang,
    csrf: csrfToken(c),
    path: c.req.path,
    time: timeFormatter(lang, opts.timezone ?? c.get('timezone') ?? 'Asia/Almaty'),
    user: user ? { name: user.name, email: user.email, role: user.role, clientSlug: c.get('clientSlug') ?? null } : undefined,
    flash: opts.flash ?? readFlash(c, lang),
    channelAlerts: c.get('channelAlerts'),
    quotaAlerts: c.get('quotaAlerts'),
  };
}

export function html(c: Context<HttpEnv>, node: Child, status = 200) {
  return c.html(node as never, status as never);
}

const wantsJson = (c: Context<HttpEnv>) =>
  c.req.path.startsWith('/api/') || c.req.path.startsWith('/webhooks/') || /^\/c\/[^/]+\/messages$/.test(c.req.path) ||
  (c.req.header('accept') ?? '').startsWith('application/json') || (c.req.header('content-type') ?? '').startsWith('application/json');

/** One error renderer: JSON for the API and webhooks, a page (or htmx fragment) for the UI. */
export function renderError(err: unknown, c: Context<HttpEnv>) {
  // A client that hung up mid-body is no fault of ours: whatever the read threw, note it at debug, no stack.
  const gone = !isAppError(err) && clientGone(c);
  const appErr = isAppError(err) ? err : gone ? clientClosed() : new AppError('internal', 'Internal error', 500, false);
  if (appErr.code === 'client_closed') c.get('ctx')?.log.debug('http', 'client closed the connection mid-request', { request_id: c.get('requestId'), route: c.req.routePath });
  else if (!isAppError(err) || appErr.status >= 500) {
    c.get('ctx')?.log.error('http', 'unhandled error', { request_id: c.get('requestId'), route: c.req.routePath, error: (err as Error)?.message, stack: (err as Error)?.stack?.split('\n').slice(0, 4).join(' | ') });
  }
  const message = appErr.expose ? appErr.message : 'Internal error';
  if (appErr.retryAfter) c.header('Retry-After', String(appErr.retryAfter));
  if (wantsJson(c)) {
    return c.json({ error: { code: appErr.code, message, ...(appErr.field ? { field: appErr.field } : {}) } }, appErr.status as never);
  }
  if (appErr.status === 401) {
    const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : '';
    if (c.req.header('hx-request')) {
      c.header('HX-Redirect', `/login${next}`);
      return c.body(null, 401);
    }
    return c.redirect(`/login${next}`, 303);
  }
  const v = viewContext(c);
  const shown = appErr.status === 404 ? v.t('error.not_found') : appErr.code === 'csrf_failed' ? v.t('error.csrf') : appErr.status === 403 ? v.t('error.forbidden') : appErr.status === 413 ? v.t('error.too_large') : appErr.status >= 500 ? v.t('error.generic') : message;
  return html(c, <ErrorPage v={v} status={appErr.status} message={shown} />, appErr.status);
}
