import type { Child } from 'hono/jsx';
import type { ViewContext } from './view-context.ts';
import { fieldId } from './layout.tsx';

/** A select with its label and inline error; options are [value, label] pairs. */
export function SelectField(props: { label: string; name: string; id?: string; value?: string; options: Array<[string, string]>; error?: string }) {
  return (
    <label class={props.error ? 'field invalid' : 'field'}>
      <span>{props.label}</span>
      <select name={props.name} aria-invalid={props.error ? 'true' : undefined} id={fieldId(props.name, props.id)}>
        {props.options.map(([value, label]) => <option value={value} selected={value === (props.value ?? '')}>{label}</option>)}
      </select>
      {props.error ? <small class="error">{props.error}</small> : null}
    </label>
  );
}

export function TextAreaField(props: { label: string; name: string; id?: string; value?: string; error?: string; rows?: number }) {
  return (
    <label class={props.error ? 'field invalid' : 'field'}>
      <span>{props.label}</span>
      <textarea name={props.name} rows={props.rows ?? 3} aria-invalid={props.error ? 'true' : undefined} id={fieldId(props.name, props.id)}>{props.value ?? ''}</textarea>
      {props.error ? <small class="error">{props.error}</small> : null}
    </label>
  );
}

/** A one-time password, shown on this one page and never again. */
export function OneTimePassword({ v, email, password }: { v: ViewContext; email: string; password: string }) {
  return (
    <section class="card otp" role="status">
      <h2>{v.t('otp.title')}</h2>
      <p>{v.t('otp.intro', { email })}</p>
      <p><code class="otp-value">{password}</code></p>
      <p class="muted">{v.t('otp.once')}</p>
    </section>
  );
}

/** A small POST button form (CSRF included), e.g. disable, revoke. */
export function ActionButton(props: { v: ViewContext; action: string; label: string; danger?: boolean; children?: Child }) {
  return (
    <form method="post" action={props.action} class="inline">
      <input type="hidden" name="_csrf" value={props.v.csrf} />
      {props.children}
      <button type="submit" class={props.danger ? 'small danger' : 'small'}>{props.label}</button>
    </form>
  );
}

interface ClientTab { path: string; key: string; roles: string[] }

/** The tabs of a client's pages (`/clients/:slug/<path>`); screens for one client add theirs here. */
export const CLIENT_TABS: ClientTab[] = [
  { path: '', key: 'clients.tab.details', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'members', key: 'clients.tab.members', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'support', key: 'clients.tab.support', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'inbox', key: 'clients.tab.inbox', roles: ['admin', 'support', 'owner', 'representative', 'agent'] },
  { path: 'channels', key: 'clients.tab.channels', roles: ['admin', 'support', 'owner', 'representative', 'agent'] },
  { path: 'jobs', key: 'clients.tab.jobs', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'api-keys', key: 'clients.tab.api_keys', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'webhooks', key: 'clients.tab.webhooks', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'ai', key: 'clients.tab.ai', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'automation', key: 'clients.tab.automation', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'usage', key: 'clients.tab.usage', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'billing', key: 'clients.tab.billing', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'chatwoot', key: 'clients.tab.chatwoot', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'settings', key: 'clients.tab.settings', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'privacy', key: 'clients.tab.privacy', roles: ['admin', 'support', 'owner', 'representative'] },
  { path: 'exports', key: 'clients.tab.exports', roles: ['admin', 'owner', 'representative'] },
  { path: 'termination', key: 'clients.tab.termination', roles: ['admin'] },
  { path: 'data-map', key: 'clients.tab.data_map', roles: ['admin', 'support', 'owner', 'representative'] },
];

export function ClientTabs({ v, slug, name }: { v: ViewContext; slug: string; name: string }) {
  const role = v.user?.role ?? '';
  const base = `/clients/${slug}`;
  return (
    <>
    <nav class="tabs" aria-label={name}>
      <strong>{name}</strong>
      {CLIENT_TABS.filter((t) => t.roles.includes(role)).map((t) => {
        const href = t.path ? `${base}/${t.path}` : base;
        const active = t.path ? v.path.startsWith(href) : v.path === base || v.path === `${base}/edit`;
        return <a href={href} class={active ? 'active' : ''}>{v.t(t.key)}</a>;
      })}
    </nav>
    <ChannelAlerts v={v} slug={slug} />
    <QuotaAlerts v={v} slug={slug} />
    </>
  );
}

/** The AI assistant's own tabs: its settings, trying it out, and its usage report. */
export function AiTabs({ v, slug }: { v: ViewContext; slug: string }) {
  const base = `/clients/${slug}/ai`;
  const tabs: Array<[string, string]> = [[base, 'ai.tab.settings'], [`${base}/playground`, 'ai.playground'], [`${base}/usage`, 'ai.usage']];
  return (
    <nav class="tabs subtabs" aria-label={v.t('ai.title')}>
      {tabs.map(([href, key]) => <a href={href} class={v.path === href ? 'active' : ''} aria-current={v.path === href ? 'page' : undefined}>{v.t(key)}</a>)}
    </nav>
  );
}

/** The banner of a plan's included amounts used 80 % or more this month (and whether AI replies stopped). */
export function QuotaAlerts({ v, slug }: { v: ViewContext; slug: string }) {
  if (!v.quotaAlerts?.length) return null;
  return (
    <div class="banner warn" role="alert" id="quota-alerts">
      {v.quotaAlerts.map((q) => (
        <p>
          {v.t('usage.quota_alert', { metric: v.t(`usage.metric.${q.metric}`), used: q.used, included: q.included, percent: q.percent })}
          {q.aiStopped ? ` ${v.t('usage.ai_stopped')}` : ''}{' '}
          <a href={`/clients/${slug}/usage`}>{v.t('usage.title')}</a>
        </p>
      ))}
    </div>
  );
}

/** The banner of a client's channels that need a person ("logged out — scan again"), each linking to its page. */
export function ChannelAlerts({ v, slug }: { v: ViewContext; slug: string }) {
  if (!v.channelAlerts?.length) return null;
  return (
    <div class="banner warn" role="alert" id="channel-alerts">
      {v.channelAlerts.map((a) => (
        <p>
          <strong>{a.name}</strong>: {v.t(`channels.alert.${a.status}`)}{' '}
          <a href={`/clients/${slug}/channels/${a.id}`}>{v.t('channels.alert.fix')}</a>
        </p>
      ))}
    </div>
  );
}

/** A channel kind's name in the UI language; a kind without a catalog entry shows its own name. */
export function kindName(v: ViewContext, kind: string): string {
  const key = `channel.kind.${kind}`;
  const s = v.t(key);
  return s === key ? kind : s;
}
