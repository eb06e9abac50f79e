import { Layout, Field, Csrf } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';
import { LANGS, LANG_NAMES } from '../i18n/index.ts';

export function LoginPage({ v, email, error, next }: { v: ViewContext; email?: string; error?: string; next?: string }) {
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
          <Field label={v.t('login.email')} name="email" type="email" value={email} required autocomplete="username" />
          <Field label={v.t('login.password')} name="password" type="password" required autocomplete="current-password" />
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
