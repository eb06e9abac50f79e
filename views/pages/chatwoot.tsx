import { Layout, Field, Csrf } from '../layout.tsx';
import { ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { ChatwootStatusView } from '../../src/chatwoot/index.ts';

export interface ChatwootView {
  client: Client;
  status: ChatwootStatusView;
  canEdit: boolean;
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

/** The Chatwoot screen of a client: connect (credentials checked), the mirror's status, re-sync. */
export function ChatwootPage({ v, d }: { v: ViewContext; d: ChatwootView }) {
  const base = `/clients/${d.client.slug}/chatwoot`;
  const s = d.status.settings;
  const val = (k: string, fallback: string) => d.values?.[k] ?? fallback;
  const checked = (k: string, fallback: boolean) => (d.values ? d.values[k] === '1' : fallback);
  return (
    <Layout v={v} title={`Chatwoot · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>Chatwoot</h1>
      <p class="muted">{v.t('chatwoot.intro')}</p>
      <section class="card" data-testid="chatwoot-status">
        <h2>{v.t('chatwoot.status')}</h2>
        <p>
          {s.connectedAt ? <span class="badge on">{v.t('chatwoot.connected')}</span> : <span class="badge off">{v.t('chatwoot.not_connected')}</span>}{' '}
          {s.connectedAt ? <span class={d.status.signing === 'signed' ? 'badge on' : 'badge warn'}>{v.t(`chatwoot.${d.status.signing}`)}</span> : null}
        </p>
        {s.connectedAt && d.status.signing === 'unsigned' ? <p class="muted">{v.t('chatwoot.unsigned_help')}</p> : null}
        <dl>
          <dt>{v.t('chatwoot.inboxes')}</dt><dd>{d.status.inboxes}</dd>
          <dt>{v.t('chatwoot.backlog')}</dt><dd data-testid="chatwoot-backlog">{d.status.backlog}</dd>
          <dt>{v.t('chatwoot.dead')}</dt><dd>{d.status.dead ? <a href={`/clients/${d.client.slug}/jobs?status=dead`}>{d.status.dead}</a> : 0}</dd>
          <dt>{v.t('chatwoot.last_ok')}</dt><dd>{s.lastOkAt ? v.time(s.lastOkAt) : '—'}</dd>
          <dt>{v.t('chatwoot.last_error')}</dt><dd data-testid="chatwoot-last-error">{s.lastError ? `${s.lastError} (${v.time(s.lastErrorAt!)})` : '—'}</dd>
        </dl>
      </section>
      {d.canEdit ? (
        <section class="card">
          <h2>{v.t('chatwoot.connection')}</h2>
          <form method="post" action={`${base}/connect`}>
            <Csrf v={v} />
            <Field label={v.t('chatwoot.url')} name="url" type="url" value={val('url', s.url ?? '')} error={d.errors?.url} placeholder="https://chat.example.kz" required />
            <Field label={v.t('chatwoot.account_id')} name="account_id" value={val('account_id', s.accountId ? String(s.accountId) : '')} error={d.errors?.account_id} required />
            <Field label={v.t('chatwoot.api_token')} name="api_token" type="password" autocomplete="off" error={d.errors?.api_token}
              placeholder={s.apiTokenSet ? v.t('chatwoot.secret_kept') : ''} />
            <Field label={v.t('chatwoot.webhook_secret')} name="webhook_secret" type="password" autocomplete="off" error={d.errors?.webhook_secret}
              placeholder={s.webhookSecretSet ? v.t('chatwoot.secret_kept') : v.t('chatwoot.webhook_secret_hint')} />
            {s.webhookSecretSet ? <label class="check"><input type="checkbox" name="webhook_secret_clear" value="1" /> {v.t('chatwoot.webhook_secret_clear')}</label> : null}
            <label class="check"><input type="checkbox" name="sign_agent_name" value="1" checked={checked('sign_agent_name', s.signAgentName)} /> {v.t('chatwoot.sign_agent_name')}</label>
            <label class="check"><input type="checkbox" name="resume_ai_on_resolve" value="1" checked={checked('resume_ai_on_resolve', s.resumeAiOnResolve)} /> {v.t('chatwoot.resume_ai_on_resolve')}</label>
            <p><button type="submit">{v.t('chatwoot.connect')}</button></p>
          </form>
          {s.connectedAt ? (
            <form method="post" action={`${base}/disconnect`}>
              <Csrf v={v} />
              <button type="submit" class="danger">{v.t('chatwoot.disconnect')}</button>
            </form>
          ) : null}
        </section>
      ) : null}
      {d.canEdit && s.connectedAt ? (
        <section class="card">
          <h2>{v.t('chatwoot.resync')}</h2>
          <p class="muted">{v.t('chatwoot.resync_help')}</p>
          <form method="post" action={`${base}/resync`}>
            <Csrf v={v} />
            <Field label={v.t('chatwoot.resync_hours')} name="hours" value={val('hours', '24')} error={d.errors?.hours} required />
            <button type="submit">{v.t('chatwoot.resync_button')}</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
