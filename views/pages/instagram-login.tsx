import { Layout, Csrf } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

// Connecting an Instagram account with Facebook Login: the button on the channels page, the
// account picker (when the login manages several), and the page that says why nothing was connected.

export interface InstagramPick {
  slug: string;
  clientName: string;
  state: string;
  accounts: Array<{ igId: string; username: string; pageName: string; taken: boolean }>;
}

/** How Instagram messages reach this server: Meta's webhooks, or polling (and why). */
export type InstagramDelivery = { mode: 'webhook' } | { mode: 'polling'; reason: string };

/** The channels page's card: one button that starts Facebook Login (a POST, so a link cannot start it), and the delivery mode. */
export function InstagramConnectCard({ v, slug, delivery }: { v: ViewContext; slug: string; delivery?: InstagramDelivery }) {
  return (
    <section class="card" id="instagram-connect">
      <h2>{v.t('instagram.connect_title')}</h2>
      <p class="muted">{v.t('instagram.connect_hint')}</p>
      {delivery ? (
        <p class="notice" id="instagram-delivery" data-mode={delivery.mode}>
          {delivery.mode === 'webhook' ? v.t('instagram.delivery.webhook') : v.t(`instagram.delivery.polling.${delivery.reason}`)}
        </p>
      ) : null}
      <form method="post" action={`/clients/${slug}/channels/instagram/login`} hx-boost="false">
        <Csrf v={v} />
        <button type="submit">{v.t('instagram.connect')}</button>
      </form>
      <p class="muted">{v.t('instagram.login_hint')}</p>
      <form method="post" action={`/clients/${slug}/channels/instagram/instagram-login`} hx-boost="false">
        <Csrf v={v} />
        <button type="submit" class="secondary">{v.t('instagram.login_connect')}</button>
      </form>
    </section>
  );
}

export function InstagramPickPage({ v, d }: { v: ViewContext; d: InstagramPick }) {
  return (
    <Layout v={v} title={v.t('instagram.pick_title')}>
      <section class="card narrow">
        <h1>{v.t('instagram.pick_title')}</h1>
        <p>{v.t('instagram.pick_hint', { client: d.clientName })}</p>
        <ul class="plain">
          {d.accounts.map((a) => (
            <li>
              <form method="post" action={`/clients/${d.slug}/channels/instagram/pick`}>
                <Csrf v={v} />
                <input type="hidden" name="state" value={d.state} />
                <input type="hidden" name="ig_account_id" value={a.igId} />
                <strong>@{a.username}</strong> <span class="muted">({a.pageName})</span>{' '}
                {a.taken ? <span class="badge">{v.t('instagram.taken')}</span> : <button type="submit" class="small">{v.t('instagram.pick')}</button>}
              </form>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

/** Why nothing was connected, in the person's language, with the way back. */
export function InstagramProblemPage({ v, message, back }: { v: ViewContext; message: string; back: string }) {
  return (
    <Layout v={v} title={v.t('instagram.connect_title')}>
      <section class="card narrow">
        <h1>{v.t('instagram.connect_title')}</h1>
        <p class="error" role="alert" id="instagram-problem">{message}</p>
        <p><a href={back}>{v.t('instagram.problem.back')}</a></p>
      </section>
    </Layout>
  );
}
