import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { ViewContext } from './view-context.ts';
import { LANGS, LANG_NAMES } from './i18n/index.ts';

// htmx config as JSON (no inline script, CSP-safe): swap 4xx responses so inline validation shows,
// and no injected indicator <style> (style-src 'self').
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '4..', swap: true, error: false },
    { code: '...', swap: false, error: true },
  ],
});

/** `href` may depend on the user (e.g. a member's own client); undefined hides the entry. */
interface NavItem { href: string | ((user: NonNullable<ViewContext['user']>) => string | undefined); key: string; roles: string[] }

/** Screens register their menu entries here (shown to the roles listed). */
export const NAV: NavItem[] = [
  { href: '/', key: 'nav.dashboard', roles: ['admin', 'support', 'owner', 'representative', 'agent'] },
  { href: '/clients', key: 'nav.clients', roles: ['admin', 'support'] },
  { href: '/clients', key: 'nav.my_company', roles: ['owner', 'representative'] },
  { href: '/staff', key: 'nav.staff', roles: ['admin'] },
  { href: '/audit', key: 'nav.audit', roles: ['admin', 'support', 'owner', 'representative'] },
  { href: '/settings', key: 'nav.settings', roles: ['admin'] },
  { href: '/api-docs', key: 'nav.api', roles: ['admin', 'support', 'owner', 'representative'] },
  { href: (u) => (u.clientSlug ? `/clients/${u.clientSlug}/inbox` : undefined), key: 'nav.inbox', roles: ['owner', 'representative', 'agent'] },
  { href: '/jobs', key: 'nav.jobs', roles: ['admin'] },
  { href: '/billing/plans', key: 'nav.plans', roles: ['admin'] },
];

export function Layout(props: { v: ViewContext; title: string; children?: Child }) {
  const { v } = props;
  return (
    <>
    {raw('<!DOCTYPE html>')}
    <html lang={v.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${props.title} · Habar`}</title>
        <link rel="stylesheet" href="/public/app.css" />
        <link rel="icon" href="/public/favicon.svg" type="image/svg+xml" />
        <script src="/public/htmx.min.js" defer></script>
        {/* Live updates (SSE → htmx refresh) and the upload size guard. On every page, the login page too:
            boosted navigation swaps only the body, so a script must already be here when the inbox arrives. */}
        <script src="/public/inbox.js" defer></script>
      </head>
      <body hx-boost="true">
        {/* The CSRF header sits inside the body, not on it: a boosted swap replaces the body's
            content but keeps its attributes, so after login or logout the token would go stale. */}
        <div class="page" hx-headers={JSON.stringify({ 'X-CSRF-Token': v.csrf })}>
          {v.user ? <TopBar v={v} /> : null}
          <main class="container">
            {v.flash ? <p class="flash" role="status">{v.flash}</p> : null}
            {props.children}
          </main>
        </div>
      </body>
    </html>
    </>
  );
}

function TopBar({ v }: { v: ViewContext }) {
  const role = v.user!.role;
  return (
    <header class="topbar">
      <a class="brand" href="/">Habar</a>
      <nav>
        {NAV.filter((n) => n.roles.includes(role)).map((n) => {
          const href = typeof n.href === 'string' ? n.href : n.href(v.user!);
          return href ? <a href={href} class={v.path === href || (href !== '/' && v.path.startsWith(href)) ? 'active' : ''}>{v.t(n.key)}</a> : null;
        })}
      </nav>
      <div class="user">
        <form method="post" action="/account/language" class="inline">
          <input type="hidden" name="_csrf" value={v.csrf} />
          <select name="language" aria-label={v.t('nav.language')} data-autosubmit="true">
            {LANGS.map((l) => <option value={l} selected={l === v.lang}>{LANG_NAMES[l]}</option>)}
          </select>
          <button type="submit" class="small">{v.t('nav.language')}</button>
        </form>
        <a href="/account">{v.user!.email}</a>
        <form method="post" action="/logout" class="inline">
          <input type="hidden" name="_csrf" value={v.csrf} />
          <button type="submit" class="link">{v.t('nav.logout')}</button>
        </form>
      </div>
    </header>
  );
}

/** A form field with its label and inline error. */
export function Field(props: { label: string; name: string; value?: string; type?: string; error?: string; required?: boolean; autocomplete?: string; placeholder?: string }) {
  return (
    <label class={props.error ? 'field invalid' : 'field'}>
      <span>{props.label}</span>
      <input name={props.name} type={props.type ?? 'text'} value={props.value ?? ''} required={props.required}
        autocomplete={props.autocomplete} placeholder={props.placeholder} aria-invalid={props.error ? 'true' : undefined} />
      {props.error ? <small class="error">{props.error}</small> : null}
    </label>
  );
}

export function Csrf({ v }: { v: ViewContext }) {
  return <input type="hidden" name="_csrf" value={v.csrf} />;
}
