import { Layout, Field, Csrf } from '../layout.tsx';
import { ActionButton, ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { Delivery, Webhook } from '../../src/webhooks/index.ts';

export interface WebhooksView {
  client: Client;
  webhooks: Webhook[];
  events: readonly string[];
  canManage: boolean;
  /** A secret just made: shown in this response only. */
  issued?: { url: string; secret: string };
  values?: { url: string; events: string[] };
  errors?: Record<string, string>;
}

const StateBadge = ({ v, active }: { v: ViewContext; active: boolean }) =>
  active ? <span class="badge on">{v.t('webhooks.active')}</span> : <span class="badge off">{v.t('webhooks.paused')}</span>;

export function WebhooksPage({ v, d }: { v: ViewContext; d: WebhooksView }) {
  const base = `/clients/${d.client.slug}/webhooks`;
  const chosen = d.values?.events ?? [...d.events];
  return (
    <Layout v={v} title={`${v.t('webhooks.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('webhooks.title')}</h1>
      <p class="muted">{v.t('webhooks.intro')}</p>
      {d.issued ? (
        <section class="card otp" role="status">
          <h2>{v.t('webhooks.new_title')}</h2>
          <p>{d.issued.url}</p>
          <p><code class="otp-value" data-testid="new-webhook-secret">{d.issued.secret}</code></p>
          <p class="muted">{v.t('webhooks.new_once')}</p>
        </section>
      ) : null}
      {d.webhooks.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table>
          <thead><tr><th>{v.t('webhooks.url')}</th><th>{v.t('webhooks.events')}</th><th>{v.t('webhooks.state')}</th><th>{v.t('webhooks.created_at')}</th><th></th></tr></thead>
          <tbody>
            {d.webhooks.map((w) => (
              <tr>
                <td><a href={`${base}/${w.id}`}>{w.url}</a></td>
                <td>{w.events.join(', ')}</td>
                <td><StateBadge v={v} active={w.active} /></td>
                <td>{v.time(w.createdAt)}</td>
                <td><a href={`${base}/${w.id}`}>{v.t('webhooks.open_log')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.canManage ? (
        <section class="card">
          <h2>{v.t('webhooks.add')}</h2>
          <form method="post" action={base}>
            <Csrf v={v} />
            <Field label={v.t('webhooks.url')} name="url" type="url" value={d.values?.url} error={d.errors?.url} placeholder="https://example.kz/habar-events" required />
            <fieldset class={d.errors?.events ? 'field invalid' : 'field'}>
              <legend>{v.t('webhooks.events')}</legend>
              {d.events.map((e) => <label class="check"><input type="checkbox" name="events" value={e} checked={chosen.includes(e)} /> <code>{e}</code></label>)}
              {d.errors?.events ? <small class="error">{d.errors.events}</small> : null}
            </fieldset>
            <Field label={v.t('webhooks.secret')} name="secret" type="password" error={d.errors?.secret} autocomplete="off" />
            <p class="muted"><small>{v.t('webhooks.secret_hint')}</small></p>
            <button type="submit">{v.t('webhooks.register')}</button>
          </form>
        </section>
      ) : null}
      <p class="muted"><small>{v.t('webhooks.signature_help')}</small></p>
    </Layout>
  );
}

export interface WebhookLogView {
  client: Client;
  webhook: Webhook;
  deliveries: Delivery[];
  nextCursor: string | null;
  canManage: boolean;
}

export function WebhookLogPage({ v, d }: { v: ViewContext; d: WebhookLogView }) {
  const base = `/clients/${d.client.slug}/webhooks/${d.webhook.id}`;
  return (
    <Layout v={v} title={`${v.t('webhooks.deliveries')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <p><a href={`/clients/${d.client.slug}/webhooks`}>← {v.t('webhooks.back')}</a></p>
      <h1>{d.webhook.url}</h1>
      <p><StateBadge v={v} active={d.webhook.active} /> {d.webhook.events.map((e) => <code class="badge">{e}</code>)}</p>
      {d.canManage ? (
        <div class="actions">
          <ActionButton v={v} action={`${base}/${d.webhook.active ? 'pause' : 'resume'}`} label={v.t(d.webhook.active ? 'webhooks.pause' : 'webhooks.resume')} />
          <ActionButton v={v} action={`${base}/delete`} label={v.t('webhooks.delete')} danger />
        </div>
      ) : null}
      <h2>{v.t('webhooks.deliveries')}</h2>
      {d.deliveries.length === 0 ? <p class="muted">{v.t('webhooks.no_deliveries')}</p> : (
        <table>
          <thead><tr><th>{v.t('webhooks.created_at')}</th><th>{v.t('webhooks.event')}</th><th>{v.t('webhooks.status')}</th><th>{v.t('webhooks.attempts')}</th><th>{v.t('webhooks.answer')}</th><th>{v.t('webhooks.last_error')}</th><th>{v.t('webhooks.next_attempt')}</th><th></th></tr></thead>
          <tbody>
            {d.deliveries.map((x) => (
              <tr data-delivery={x.id}>
                <td>{v.time(x.createdAt)}<br /><small><code>{x.id}</code></small></td>
                <td><code>{x.event}</code></td>
                <td><span class={x.status === 'delivered' ? 'badge on' : x.status === 'pending' ? 'badge' : 'badge off'}>{v.t(`webhooks.status_${x.status}`)}</span></td>
                <td>{x.attempts}</td>
                <td>{x.lastStatusCode ?? '—'}</td>
                <td>{x.lastError ?? ''}</td>
                <td>{x.nextAttemptAt ? v.time(x.nextAttemptAt) : '—'}</td>
                <td>{d.canManage && (x.status === 'dead' || x.status === 'delivered') ? <ActionButton v={v} action={`${base}/deliveries/${x.id}/redeliver`} label={v.t('webhooks.redeliver')} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.nextCursor ? <p><a href={`${base}?cursor=${encodeURIComponent(d.nextCursor)}`}>{v.t('common.next_page')}</a></p> : null}
    </Layout>
  );
}
