import { Layout, Field, Csrf } from '../layout.tsx';
import { ClientTabs, kindName } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import { InstagramConnectCard, type InstagramDelivery } from './instagram-login.tsx';
import type { ChannelKind, ChannelStatus } from '../../src/messaging/index.ts';

export interface ChannelRow {
  id: string;
  kind: ChannelKind;
  name: string;
  status: ChannelStatus;
  lastError: string | null;
  statusAt: string | null;
  /** A sandbox's customer-side chat page (absolute, from the public URL). */
  customerUrl?: string;
  /** The paired number and profile name (WhatsApp), once connected. */
  phone?: string | null;
  profileName?: string | null;
}

export interface ChannelsView {
  client: { slug: string; name: string };
  channels: ChannelRow[];
  mayCreate: boolean;
  /** How Instagram messages reach this server (from its public URL). */
  instagramDelivery?: InstagramDelivery;
  values?: { name: string };
  errors?: Record<string, string>;
  /** The WhatsApp form's value and errors (apart from the sandbox form's). */
  whatsapp?: { values?: { name: string }; errors?: Record<string, string> };
}

const GOOD: ChannelStatus[] = ['connected'];
const BAD: ChannelStatus[] = ['logged_out', 'qr_expired', 'reconnect_needed', 'error', 'disconnected'];

export function ChannelStatusBadge({ v, status }: { v: ViewContext; status: ChannelStatus }) {
  const cls = GOOD.includes(status) ? 'badge on' : BAD.includes(status) ? 'badge off' : 'badge';
  return <span class={cls}>{v.t(`channel.status.${status}`)}</span>;
}

/** A client's channel accounts: status, last error, a sandbox's chat link; creating another sandbox. */
export function ChannelsPage({ v, d }: { v: ViewContext; d: ChannelsView }) {
  const base = `/clients/${d.client.slug}/channels`;
  return (
    <Layout v={v} title={`${v.t('channels.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('channels.title')}</h1>
      <div data-live-src={`/clients/${d.client.slug}/inbox/events`}>
        <ChannelTable v={v} d={d} />
      </div>
      {d.mayCreate ? (
        <section class="card">
          <h2>{v.t('channels.new_sandbox')}</h2>
          <p class="muted">{v.t('channels.sandbox_hint')}</p>
          <form method="post" action={`${base}/sandbox`}>
            <Csrf v={v} />
            <Field label={v.t('channels.name')} name="name" value={d.values?.name ?? v.t('channels.sandbox_default_name')} error={d.errors?.name} required />
            <button type="submit">{v.t('common.create')}</button>
          </form>
        </section>
      ) : null}
      {d.mayCreate ? (
        <section class="card">
          <h2>{v.t('channels.new_whatsapp')}</h2>
          <p class="muted">{v.t('channels.whatsapp_hint')}</p>
          <form method="post" action={`${base}/whatsapp`}>
            <Csrf v={v} />
            <Field label={v.t('channels.name')} name="name" id="field-whatsapp-name" value={d.whatsapp?.values?.name ?? v.t('channels.whatsapp_default_name')} error={d.whatsapp?.errors?.name} required />
            <button type="submit">{v.t('common.create')}</button>
          </form>
          <details>
            <summary>{v.t('channels.warmup.title')}</summary>
            <p>{v.t('channels.warmup.text')}</p>
          </details>
        </section>
      ) : null}
      {d.mayCreate ? <InstagramConnectCard v={v} slug={d.client.slug} delivery={d.instagramDelivery} /> : null}
    </Layout>
  );
}

/** The table (a fragment too): refreshed when the live stream reports a channel's status. */
export function ChannelTable({ v, d }: { v: ViewContext; d: ChannelsView }) {
  return (
    <div id="channel-table" hx-get={`/clients/${d.client.slug}/channels?part=table`} hx-trigger="live delay:200ms" hx-swap="outerHTML" data-live-on="channel">
      {d.channels.length === 0 ? <p class="muted">{v.t('channels.none')}</p> : (
        <table class="stack">
          <thead><tr><th>{v.t('channels.name')}</th><th>{v.t('channels.kind')}</th><th>{v.t('channels.status')}</th><th>{v.t('channels.phone')}</th><th>{v.t('channels.last_error')}</th><th>{v.t('channels.customer_page')}</th></tr></thead>
          <tbody>
            {d.channels.map((ch) => (
              <tr id={`channel-${ch.id}`}>
                <td data-label={v.t('channels.name')}><a href={`/clients/${d.client.slug}/channels/${ch.id}`}>{ch.name}</a></td>
                <td data-label={v.t('channels.kind')}>{kindName(v, ch.kind)}</td>
                <td data-label={v.t('channels.status')}><ChannelStatusBadge v={v} status={ch.status} /> {ch.statusAt ? <small>{v.time(ch.statusAt)}</small> : null}</td>
                <td data-label={v.t('channels.phone')}>{ch.phone ? <span>{ch.phone}{ch.profileName ? <small class="muted"> {ch.profileName}</small> : null}</span> : <span class="muted">—</span>}</td>
                <td data-label={v.t('channels.last_error')}>{ch.lastError ? <span class="error">{ch.lastError}</span> : <span class="muted">—</span>}</td>
                <td data-label={v.t('channels.customer_page')}>
                  {ch.customerUrl ? (
                    <span class="actions">
                      <code class="url">{ch.customerUrl}</code>
                      <a href={ch.customerUrl} target="_blank" rel="noopener" hx-boost="false">{v.t('channels.open')}</a>
                    </span>
                  ) : <span class="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
