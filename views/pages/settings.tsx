import { Layout, Csrf, ErrorSummary } from '../layout.tsx';
import { SettingField, type SettingRow } from '../setting-fields.tsx';
import type { ViewContext } from '../view-context.ts';
import { RemoteBackupCard, type RemoteBackupView } from '../remote-backup.tsx';

export type { SettingRow } from '../setting-fields.tsx';

/** The URLs the operator pastes into Meta's app dashboard (webhook callback, OAuth redirect). */
export interface MetaUrls {
  webhook: string;
  oauthRedirect: string;
  instagramLoginRedirect: string;
}

export function SettingsPage({ v, rows, values, errors, meta, remote }: { v: ViewContext; rows: SettingRow[]; values?: Record<string, string>; errors?: Record<string, string>; meta?: MetaUrls; remote?: RemoteBackupView }) {
  return (
    <Layout v={v} title={v.t('settings.title')}>
      <h1>{v.t('settings.title')}</h1>
      <p class="muted">{v.t('settings.intro')}</p>
      <ErrorSummary v={v} errors={errors} labels={Object.fromEntries(rows.map((r) => [r.key, r.label ?? r.key]))} />
      <form method="post" action="/settings">
        <Csrf v={v} />
        {rows.map((r) => <SettingField v={v} row={r} value={values?.[r.key]} error={errors?.[r.key]} />)}
        <button type="submit">{v.t('common.save')}</button>
      </form>
      {remote ? <RemoteBackupCard v={v} r={remote} /> : null}
      {meta ? (
        <section class="card" id="meta-urls">
          <h2>{v.t('settings.meta.title')}</h2>
          <p class="muted">{v.t('settings.meta.hint')}</p>
          <dl>
            <dt>{v.t('settings.meta.webhook')}</dt><dd><code class="url">{meta.webhook}</code></dd>
            <dt>{v.t('settings.meta.oauth_redirect')}</dt><dd><code class="url">{meta.oauthRedirect}</code></dd>
            <dt>{v.t('settings.meta.instagram_redirect')}</dt><dd><code class="url">{meta.instagramLoginRedirect}</code></dd>
          </dl>
        </section>
      ) : null}
    </Layout>
  );
}
