import { Layout, Field, Csrf } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';
import { LANGS, LANG_NAMES, type Lang } from '../i18n/index.ts';

export interface AccountSession {
  current: boolean;
  ip: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
}

export interface AccountData {
  name: string;
  email: string;
  language: Lang;
  totpEnabled: boolean;
  totpRequired: boolean;
  sessions: AccountSession[];
  idleHours: number;
  absoluteDays: number;
}

/** The signed-in user's own page: profile, password, sessions and the second factor. */
export function AccountPage({ v, data, errors }: { v: ViewContext; data: AccountData; errors?: Record<string, string> }) {
  return (
    <Layout v={v} title={v.t('account.title')}>
      <h1>{v.t('account.title')}</h1>
      <section class="card">
        <h2>{v.t('account.profile')}</h2>
        <form method="post" action="/account/profile">
          <Csrf v={v} />
          <p><strong>{v.t('account.email')}:</strong> {data.email}</p>
          <Field label={v.t('account.name')} name="name" value={data.name} autocomplete="name" error={errors?.name} />
          <label class="field">
            <span>{v.t('account.language')}</span>
            <select name="language">
              {LANGS.map((l) => <option value={l} selected={l === data.language}>{LANG_NAMES[l]}</option>)}
            </select>
          </label>
          <button type="submit">{v.t('common.save')}</button>
        </form>
      </section>
      <section class="card">
        <h2>{v.t('account.password')}</h2>
        <p><a href="/account/password">{v.t('account.change_password')}</a></p>
      </section>
      <TotpSection v={v} data={data} error={errors?.code} />
      <section class="card">
        <h2>{v.t('account.sessions')}</h2>
        <p class="muted">{v.t('account.sessions_intro', { idle: data.idleHours, days: data.absoluteDays })}</p>
        <table>
          <thead>
            <tr><th>{v.t('account.session_started')}</th><th>{v.t('account.session_last_seen')}</th><th>{v.t('account.session_address')}</th><th>{v.t('account.session_browser')}</th></tr>
          </thead>
          <tbody>
            {data.sessions.map((s) => (
              <tr>
                <td>{v.time(s.createdAt)} {s.current ? <strong>({v.t('account.session_this')})</strong> : null}</td>
                <td>{v.time(s.lastSeenAt)}</td>
                <td>{s.ip}</td>
                <td><small>{s.userAgent}</small></td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/account/sessions/end-others">
          <Csrf v={v} />
          <p><button type="submit" class="danger">{v.t('account.end_others')}</button></p>
        </form>
      </section>
    </Layout>
  );
}

function TotpSection({ v, data, error }: { v: ViewContext; data: AccountData; error?: string }) {
  return (
    <section class="card" id="totp">
      <h2>{v.t('account.totp')}</h2>
      <p>{data.totpEnabled ? v.t('account.totp_on') : v.t('account.totp_off')}</p>
      {data.totpRequired ? <p class="muted">{v.t('account.totp_required')}</p> : null}
      {!data.totpEnabled ? <p><a href="/account/totp">{v.t('account.totp_setup')}</a></p> : null}
      {data.totpEnabled && !data.totpRequired ? (
        <form method="post" action="/account/totp/disable">
          <Csrf v={v} />
          <p>{v.t('account.totp_disable_intro')}</p>
          <Field label={v.t('totp.code')} name="code" required autocomplete="one-time-code" error={error} />
          <button type="submit" class="danger">{v.t('account.totp_disable')}</button>
        </form>
      ) : null}
    </section>
  );
}

/** Enrolment: the QR code (an SVG data URL, CSP-safe) and the key as text, confirmed by one code. */
export function TotpEnrolPage({ v, qrDataUrl, secret, required, error }: { v: ViewContext; qrDataUrl: string; secret: string; required: boolean; error?: string }) {
  const grouped = secret.match(/.{1,4}/g)?.join(' ') ?? secret;
  return (
    <Layout v={v} title={v.t('enrol.title')}>
      <section class="card narrow">
        <h1>{v.t('enrol.title')}</h1>
        {required ? <p role="alert">{v.t('enrol.required')}</p> : null}
        <p>{v.t('enrol.intro')}</p>
        <p><img src={qrDataUrl} alt={v.t('enrol.qr_alt')} width="220" height="220" /></p>
        <p>{v.t('enrol.secret')} <code>{grouped}</code></p>
        <form method="post" action="/account/totp">
          <Csrf v={v} />
          <Field label={v.t('totp.code')} name="code" required autocomplete="one-time-code" error={error} />
          <button type="submit">{v.t('enrol.confirm')}</button>
        </form>
      </section>
    </Layout>
  );
}
