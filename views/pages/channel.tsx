import { Layout, Field, Csrf } from '../layout.tsx';
import { ClientTabs, kindName } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { ChannelStatus } from '../../src/messaging/index.ts';
import { ChannelStatusBadge, type ChannelRow } from './channels.tsx';

/** One channel as its own page shows it: the list's row, plus what pairing needs. */
export interface ChannelDetail extends Pick<ChannelRow, 'id' | 'kind' | 'name' | 'status' | 'lastError' | 'statusAt'> {
  phone: string | null;
  profileName: string | null;
  /** Whether its kind pairs with a phone (QR code, pairing code, logout). */
  pairs: boolean;
}

/** What pairing shows now: the QR code (drawn on the server, a data: URL) or the code to type. */
export type PairingView = { kind: 'qr'; image: string } | { kind: 'code'; code: string } | undefined;

export interface ChannelView {
  client: { slug: string; name: string };
  channel: ChannelDetail;
  pairing: PairingView;
  mayChange: boolean;
  values?: { phone: string };
  errors?: Record<string, string>;
}

const ATTENTION: ChannelStatus[] = ['logged_out', 'qr_expired', 'reconnect_needed'];
/** Poll fast while a code is on screen (WhatsApp rotates it every ~20 s), slowly otherwise. */
const pollEvery = (status: ChannelStatus) => (status === 'qr' || status === 'connecting' ? 'every 2s' : 'every 15s');

/** One channel: its status and number, pairing (QR code or pairing code), and its buttons. */
export function ChannelPage({ v, d }: { v: ViewContext; d: ChannelView }) {
  const base = `/clients/${d.client.slug}/channels/${d.channel.id}`;
  const ch = d.channel;
  return (
    <Layout v={v} title={`${ch.name} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{ch.name} <small class="muted">{kindName(v, ch.kind)}</small></h1>
      <PairingPanel v={v} d={d} />
      {d.mayChange && ch.pairs && ch.status !== 'connected' ? (
        <section class="card">
          <h2>{v.t('channels.pair.code_title')}</h2>
          <p class="muted">{v.t('channels.pair.code_hint')}</p>
          <form method="post" action={`${base}/pairing-code`}>
            <Csrf v={v} />
            <Field label={v.t('channels.pair.phone')} name="phone" type="tel" value={d.values?.phone ?? ''} placeholder="+77011234567" error={d.errors?.phone} required />
            <button type="submit">{v.t('channels.pair.get_code')}</button>
          </form>
        </section>
      ) : null}
      {d.mayChange ? (
        <section class="card">
          {ch.pairs ? (
            <div class="actions">
              <form method="post" action={`${base}/connect`} class="inline"><Csrf v={v} /><button type="submit">{v.t('channels.action.reconnect')}</button></form>
              {ch.status !== 'logged_out' ? (
                <form method="post" action={`${base}/logout`} class="inline" hx-confirm={v.t('channels.action.logout_confirm')}><Csrf v={v} /><button type="submit">{v.t('channels.action.logout')}</button></form>
              ) : null}
            </div>
          ) : null}
          <form method="post" action={`${base}/delete`} hx-confirm={v.t('channels.action.delete_confirm', { name: ch.name })}>
            <Csrf v={v} />
            <p class="muted">{v.t('channels.action.delete_hint')}</p>
            <p><label><input type="checkbox" name="purge" value="true" /> {v.t('channels.action.purge')}</label></p>
            <p><button type="submit" class="danger">{v.t('channels.action.delete')}</button></p>
          </form>
        </section>
      ) : null}
      {ch.pairs ? (
        <section class="card">
          <h2>{v.t('channels.warmup.title')}</h2>
          <p>{v.t('channels.warmup.text')}</p>
        </section>
      ) : null}
    </Layout>
  );
}

/** The live part (a fragment too): status, the QR code or pairing code, the paired number; re-fetched by polling. */
export function PairingPanel({ v, d }: { v: ViewContext; d: ChannelView }) {
  const ch = d.channel;
  const base = `/clients/${d.client.slug}/channels/${ch.id}`;
  return (
    <section class="card" id="pairing" hx-get={`${base}?part=pairing`} hx-trigger={pollEvery(ch.status)} hx-swap="outerHTML">
      <p>
        <ChannelStatusBadge v={v} status={ch.status} /> {ch.statusAt ? <small>{v.time(ch.statusAt)}</small> : null}
      </p>
      {ATTENTION.includes(ch.status) ? <p class="banner warn" role="alert">{v.t(`channels.alert.${ch.status}`)}</p> : null}
      {ch.lastError && ch.status !== 'connected' ? <p class="error">{ch.lastError}</p> : null}
      {ch.status === 'connected' ? (
        <p>{ch.phone ? v.t('channels.pair.connected', { phone: ch.phone, name: ch.profileName ?? '—' }) : v.t('channels.pair.connected_no_profile')}</p>
      ) : null}
      {d.pairing?.kind === 'qr' ? (
        <div class="qr-code">
          <img src={d.pairing.image} alt={v.t('channels.pair.qr_alt')} width="264" height="264" />
          <p class="muted">{v.t('channels.pair.scan')}</p>
        </div>
      ) : null}
      {d.pairing?.kind === 'code' ? (
        <p>{v.t('channels.pair.your_code')} <span class="pairing-code">{d.pairing.code}</span></p>
      ) : null}
      {!d.pairing && ch.pairs && ch.status === 'connecting' ? <p class="muted">{v.t('channels.pair.waiting')}</p> : null}
    </section>
  );
}
