import { Layout, Csrf, ErrorSummary } from '../layout.tsx';
import { ClientTabs } from '../controls.tsx';
import { SettingField, type SettingRow } from '../setting-fields.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';

export interface ClientSettingsView {
  client: Client;
  rows: SettingRow[];
  /** Support staff (with a grant) see the settings but cannot change them. */
  canEdit: boolean;
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

/** A group's heading: `settings.group.<prefix>`, else the prefix itself ("auto_reply" → "Auto reply"). */
function groupTitle(v: ViewContext, prefix: string): string {
  const key = `settings.group.${prefix}`;
  const t = v.t(key);
  return t !== key ? t : prefix.charAt(0).toUpperCase() + prefix.slice(1).replaceAll('_', ' ');
}

/** A client's runtime settings, grouped by the first part of their keys. */
export function ClientSettingsPage({ v, d }: { v: ViewContext; d: ClientSettingsView }) {
  const groups = new Map<string, SettingRow[]>();
  for (const r of d.rows) {
    const prefix = r.key.split('.')[0];
    groups.set(prefix, [...(groups.get(prefix) ?? []), r]);
  }
  return (
    <Layout v={v} title={`${v.t('client_settings.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('client_settings.title')}</h1>
      <p class="muted">{v.t('client_settings.intro')}</p>
      {d.canEdit ? null : <p class="muted" role="status">{v.t('client_settings.read_only')}</p>}
      <ErrorSummary v={v} errors={d.errors} labels={Object.fromEntries(d.rows.map((r) => [r.key, r.label ?? r.key]))} />
      <form method="post" action={`/clients/${d.client.slug}/settings`}>
        <Csrf v={v} />
        <fieldset disabled={!d.canEdit}>
          {[...groups].map(([prefix, rows]) => (
            <section class="card" id={`settings-${prefix}`}>
              <h2>{groupTitle(v, prefix)}</h2>
              {v.t(`settings.group_help.${prefix}`) !== `settings.group_help.${prefix}` ? <p class="muted">{v.t(`settings.group_help.${prefix}`)}</p> : null}
              {rows.map((r) => <SettingField v={v} row={r} value={d.values?.[r.key]} error={d.errors?.[r.key]} />)}
            </section>
          ))}
          {d.canEdit ? <p><button type="submit">{v.t('common.save')}</button></p> : null}
        </fieldset>
      </form>
    </Layout>
  );
}
