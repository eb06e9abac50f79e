import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { ViewContext } from './view-context.ts';
import { LANGS, LANG_NAMES } from './i18n/index.ts';

// htmx config as JSON (no inline script, CSP-safe): swap 4xx responses so inline validation shows,
// and no injected indicator <style> (style-src 'self'). Settling leaves out `style`: copying a style
// attribute (Chromium gives form inputs an empty one) is an inline style the CSP refuses.
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  attributesToSettle: ['class', 'width', 'height'],
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
  { href: '/operator/policy', key: 'nav.privacy_registers', roles: ['admin'] },
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
        <script src="/public/templates.js" defer></script>
        {/* Forms: the language menu applies on change, the customer chat's length check. */}
        <script src="/public/forms.js" defer></script>
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
        {/* Applies on change (public/forms.js); a full page load, so <html lang> and the title follow. */}
        <form method="post" action="/account/language" class="inline" hx-boost="false">
          <input type="hidden" name="_csrf" value={v.csrf} />
          <select name="language" aria-label={v.t('nav.language')} data-autosubmit="true">
            {LANGS.map((l) => <option value={l} selected={l === v.lang}>{LANG_NAMES[l]}</option>)}
          </select>
          <noscript><button type="submit" class="small">{v.t('nav.language')}</button></noscript>
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

/** The id of a form field's input (what an error summary links to); `id` overrides it where a page has two fields of one name. */
export const fieldId = (name: string, id?: string) => id ?? `field-${name}`;

/** A form field with its label and inline error; a number field says its range (min/max). */
export function Field(props: { label: string; name: string; id?: string; value?: string; type?: string; error?: string; required?: boolean; autocomplete?: string; placeholder?: string; min?: number; max?: number }) {
  return (
    <label class={props.error ? 'field invalid' : 'field'}>
      <span>{props.label}</span>
      <input name={props.name} type={props.type ?? 'text'} value={props.value ?? ''} required={props.required} min={props.min} max={props.max}
        autocomplete={props.autocomplete} placeholder={props.placeholder} aria-invalid={props.error ? 'true' : undefined} id={fieldId(props.name, props.id)} />
      {props.error ? <small class="error">{props.error}</small> : null}
    </label>
  );
}

export function Csrf({ v }: { v: ViewContext }) {
  return <input type="hidden" name="_csrf" value={v.csrf} />;
}

/**
 * What went wrong in a long form, at its top: the "nothing was saved" line and one link per field
 * with an error, to that field's input (`fieldId`). `labels` names the fields (else the name shows).
 */
export function ErrorSummary({ v, errors, labels = {}, ids = {} }: { v: ViewContext; errors?: Record<string, string>; labels?: Record<string, string>; ids?: Record<string, string> }) {
  const entries = Object.entries(errors ?? {});
  if (!entries.length) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      <p class="error">{v.t('clients.fix_errors')}</p>
      <ul>
        {entries.map(([name, message]) => (name === 'form' ? <li>{message}</li>
          : <li><a href={`#${ids[name] ?? fieldId(name)}`} hx-boost="false">{labels[name] ?? name}</a>: {message}</li>))}
      </ul>
    </div>
  );
}
