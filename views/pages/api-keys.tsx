import { Layout, Field, Csrf } from '../layout.tsx';
import { ActionButton, ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { ApiKey } from '../../src/auth/index.ts';
import type { Client } from '../../src/tenants/index.ts';

export interface ApiKeysView {
  client: Client;
  keys: ApiKey[];
  /** Whether the viewer may create and revoke keys (support staff only look). */
  canManage: boolean;
  /** A key just made: shown in this response only. */
  issued?: string;
  values?: { label: string };
  errors?: Record<string, string>;
}

export function ApiKeysPage({ v, d }: { v: ViewContext; d: ApiKeysView }) {
  const base = `/clients/${d.client.slug}/api-keys`;
  return (
    <Layout v={v} title={`${v.t('api_keys.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('api_keys.title')}</h1>
      <p class="muted">{v.t('api_keys.intro')} <a href="/api-docs">{v.t('api_docs.title')}</a></p>
      {d.issued ? (
        <section class="card otp" role="status">
          <h2>{v.t('api_keys.new_title')}</h2>
          <p><code class="otp-value" data-testid="new-api-key">{d.issued}</code></p>
          <p class="muted">{v.t('api_keys.new_once')}</p>
        </section>
      ) : null}
      {d.keys.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table>
          <thead><tr><th>{v.t('api_keys.label')}</th><th>{v.t('api_keys.key')}</th><th>{v.t('api_keys.created_by')}</th><th>{v.t('api_keys.created_at')}</th><th>{v.t('api_keys.last_used')}</th><th>{v.t('api_keys.status')}</th><th></th></tr></thead>
          <tbody>
            {d.keys.map((k) => (
              <tr>
                <td>{k.label || '—'}</td>
                <td><code>{k.prefix}…</code></td>
                <td>{k.createdBy}</td>
                <td>{v.time(k.createdAt)}</td>
                <td>{k.lastUsedAt ? v.time(k.lastUsedAt) : v.t('api_keys.never')}</td>
                <td>{k.revokedAt ? <span class="badge off">{v.t('api_keys.revoked', { time: v.time(k.revokedAt) })}</span> : <span class="badge on">{v.t('api_keys.active')}</span>}</td>
                <td>{d.canManage && !k.revokedAt ? <ActionButton v={v} action={`${base}/${k.id}/revoke`} label={v.t('api_keys.revoke')} danger /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.canManage ? (
        <section class="card">
          <h2>{v.t('api_keys.create')}</h2>
          <form method="post" action={base}>
            <Csrf v={v} />
            <Field label={v.t('api_keys.label')} name="label" value={d.values?.label} error={d.errors?.label} placeholder={v.t('api_keys.label_hint')} />
            <button type="submit">{v.t('api_keys.create')}</button>
          </form>
          <p class="muted"><small>{v.t('api_keys.cli_hint', { slug: d.client.slug })}</small></p>
        </section>
      ) : null}
    </Layout>
  );
}
