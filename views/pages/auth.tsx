import { Layout, Field, Csrf } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';
import { LANGS, LANG_NAMES } from '../i18n/index.ts';

export function LoginPage({ v, email, error, errors, next }: { v: ViewContext; email?: string; error?: string; errors?: Record<string, string>; next?: string }) {
  return (
    <Layout v={v} title={v.t('login.title')}>
      <section class="card narrow">
        <h1>{v.t('login.title')}</h1>
        <p class="langs">
          {LANGS.map((l) => (l === v.lang ? <strong>{LANG_NAMES[l]}</strong> : <a href={`/login?lang=${l}`} hx-boost="false">{LANG_NAMES[l]}</a>))}
        </p>
        {error ? <p class="error" role="alert">{error}</p> : null}
        <form method="post" action="/login">
          <Csrf v={v} />
          <input type="hidden" name="next" value={next ?? ''} />
          <Field label={v.t('login.email')} name="email" type="email" value={email} required autocomplete="username" error={errors?.email} />
          <Field label={v.t('login.password')} name="password" type="password" required autocomplete="current-password" error={errors?.password} />
          <button type="submit">{v.t('login.submit')}</button>
        </form>
        <p><a href="/password/forgot">{v.t('login.forgot')}</a></p>
      </section>
    </Layout>
  );
}

export function ChangePasswordPage({ v, errors, forced }: { v: ViewContext; errors?: Record<string, string>; forced: boolean }) {
  return (
    <Layout v={v} title={v.t('password.change_title')}>
      <section class="card narrow">
        <h1>{v.t('password.change_title')}</h1>
        {forced ? <p>{v.t('password.change_intro')}</p> : null}
        <form method="post" action="/account/password">
          <Csrf v={v} />
          <Field label={v.t('password.current')} name="current" type="password" required autocomplete="current-password" error={errors?.current} />
          <Field label={v.t('password.new')} name="password" type="password" required autocomplete="new-password" error={errors?.password} />
          <Field label={v.t('password.repeat')} name="repeat" type="password" required autocomplete="new-password" error={errors?.repeat} />
          <button type="submit">{v.t('common.save')}</button>
        </form>
      </section>
    </Layout>
  );
}

/** The second step of sign-in: the code from the authenticator app. */
export function TotpLoginPage({ v, error, next }: { v: ViewContext; error?: string; next?: string }) {
  return (
    <Layout v={v} title={v.t('totp.login_title')}>
      <section class="card narrow">
        <h1>{v.t('totp.login_title')}</h1>
        <p>{v.t('totp.login_intro')}</p>
        <form method="post" action="/login/totp">
          <Csrf v={v} />
          <input type="hidden" name="next" value={next ?? ''} />
          <Field label={v.t('totp.code')} name="code" required autocomplete="one-time-code" error={error} />
          <button type="submit">{v.t('totp.submit')}</button>
        </form>
        <form method="post" action="/logout">
          <Csrf v={v} />
          <p><button type="submit" class="small">{v.t('totp.cancel')}</button></p>
        </form>
      </section>
    </Layout>
  );
}

/** Asks for a reset link; with no SMTP configured it only says to ask an administrator. */
export function ForgotPasswordPage({ v, smtp, sent, email, error }: { v: ViewContext; smtp: boolean; sent?: boolean; email?: string; error?: string }) {
  return (
    <Layout v={v} title={v.t('forgot.title')}>
      <section class="card narrow">
        <h1>{v.t('forgot.title')}</h1>
        {!smtp ? <p role="alert">{v.t('forgot.no_smtp')}</p> : sent ? <p class="flash" role="status">{v.t('forgot.sent')}</p> : (
          <>
            <p>{v.t('forgot.intro')}</p>
            <form method="post" action="/password/forgot">
              <Csrf v={v} />
              <Field label={v.t('login.email')} name="email" type="email" value={email} required autocomplete="username" error={error} />
              <button type="submit">{v.t('forgot.submit')}</button>
            </form>
          </>
        )}
        <p><a href="/login">{v.t('forgot.back')}</a></p>
      </section>
    </Layout>
  );
}

/** The page an e-mailed reset link opens: a new password, or why the link no longer works. */
export function ResetPasswordPage({ v, token, valid, errors }: { v: ViewContext; token: string; valid: boolean; errors?: Record<string, string> }) {
  return (
    <Layout v={v} title={v.t('reset.title')}>
      <section class="card narrow">
        <h1>{v.t('reset.title')}</h1>
        {valid ? (
          <form method="post" action={`/password/reset/${encodeURIComponent(token)}`}>
            <Csrf v={v} />
            <Field label={v.t('password.new')} name="password" type="password" required autocomplete="new-password" error={errors?.password} />
            <Field label={v.t('password.repeat')} name="repeat" type="password" required autocomplete="new-password" error={errors?.repeat} />
            <button type="submit">{v.t('reset.submit')}</button>
          </form>
        ) : (
          <>
            <p class="error" role="alert">{v.t('reset.invalid')}</p>
            <p><a href="/password/forgot">{v.t('reset.again')}</a></p>
          </>
        )}
      </section>
    </Layout>
  );
}

export function ErrorPage({ v, status, message }: { v: ViewContext; status: number; message: string }) {
  return (
    <Layout v={v} title={v.t('error.title')}>
      <section class="card narrow">
        <h1>{v.t('error.title')} ({status})</h1>
        <p class="error" role="alert">{message}</p>
        <p><a href="/">{v.t('nav.dashboard')}</a></p>
      </section>
    </Layout>
  );
}
