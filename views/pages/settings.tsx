import { Layout, Csrf } from '../layout.tsx';
import { SettingField, type SettingRow } from '../setting-fields.tsx';
import type { ViewContext } from '../view-context.ts';

export type { SettingRow } from '../setting-fields.tsx';

export function SettingsPage({ v, rows, values, errors }: { v: ViewContext; rows: SettingRow[]; values?: Record<string, string>; errors?: Record<string, string> }) {
  return (
    <Layout v={v} title={v.t('settings.title')}>
      <h1>{v.t('settings.title')}</h1>
      <p class="muted">{v.t('settings.intro')}</p>
      {errors && Object.keys(errors).length ? <p class="error" role="alert">{v.t('clients.fix_errors')}</p> : null}
      <form method="post" action="/settings">
        <Csrf v={v} />
        {rows.map((r) => <SettingField v={v} row={r} value={values?.[r.key]} error={errors?.[r.key]} />)}
        <button type="submit">{v.t('common.save')}</button>
      </form>
    </Layout>
  );
}
