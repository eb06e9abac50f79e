import { Layout, Csrf } from '../layout.tsx';
import { ActionButton, ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Contact } from '../../src/messaging/index.ts';
import type { PrivacyRequest } from '../../src/privacy/index.ts';
import type { Client } from '../../src/tenants/index.ts';

export interface PrivacyContactRow {
  contact: Contact;
  /** "kind: value" of each identity (a WhatsApp number, an Instagram username…). */
  identities: string[];
}

export interface PrivacyView {
  client: Client;
  query: string;
  /** undefined: nothing searched yet. */
  contacts?: PrivacyContactRow[];
  requests: PrivacyRequest[];
  /** Today in the client's time zone (YYYY-MM-DD), for the due-date warnings. */
  today: string;
  /** The date a week from today: open requests due by then are flagged. */
  soon: string;
  /** Whether the viewer may act (support staff only look). */
  canAct: boolean;
}

function ContactActions({ v, base, c }: { v: ViewContext; base: string; c: Contact }) {
  const at = `${base}/contacts/${c.id}`;
  return (
    <div class="actions">
      {c.restricted
        ? <ActionButton v={v} action={`${at}/unrestrict`} label={v.t('privacy.unrestrict')} />
        : <ActionButton v={v} action={`${at}/restrict`} label={v.t('privacy.restrict')} />}
      {c.objected
        ? <ActionButton v={v} action={`${at}/unobject`} label={v.t('privacy.unobject')} />
        : <ActionButton v={v} action={`${at}/object`} label={v.t('privacy.object')} />}
      <ActionButton v={v} action={`${base.replace(/\/privacy$/, '/exports')}/contacts/${c.id}`} label={v.t('exports.contact')} />
      <form method="post" action={`${at}/erase`} class="inline" hx-confirm={v.t('privacy.erase_confirm')}>
        <Csrf v={v} /><button type="submit" class="small danger">{v.t('privacy.erase')}</button>
      </form>
      <form method="post" action={`${at}/minor`} class="inline" hx-confirm={v.t('privacy.erase_confirm')}>
        <Csrf v={v} /><button type="submit" class="small danger">{v.t('privacy.minor')}</button>
      </form>
    </div>
  );
}

function dueBadge(v: ViewContext, d: PrivacyView, r: PrivacyRequest) {
  if (r.status === 'done') return null;
  if (r.dueDate < d.today) return <span class="badge off" data-testid="overdue"> {v.t('privacy.overdue')}</span>;
  if (r.dueDate <= d.soon) return <span class="badge warn" data-testid="due-soon"> {v.t('privacy.due_soon')}</span>;
  return null;
}

export function PrivacyPage({ v, d }: { v: ViewContext; d: PrivacyView }) {
  const base = `/clients/${d.client.slug}/privacy`;
  return (
    <Layout v={v} title={`${v.t('privacy.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('privacy.title')}</h1>
      <p class="muted">{v.t('privacy.intro')}</p>
      <form method="get" action={base} class="inline">
        <label class="field"><span>{v.t('privacy.search')}</span><input name="q" type="search" value={d.query} /></label>
        <button type="submit">{v.t('privacy.search_button')}</button>
      </form>
      {d.contacts === undefined ? null : d.contacts.length === 0 ? <p class="muted">{v.t('privacy.no_match')}</p> : (
        <table data-testid="privacy-contacts">
          <thead><tr><th>{v.t('privacy.contact')}</th><th>{v.t('privacy.identities')}</th><th>{v.t('privacy.state')}</th>{d.canAct ? <th></th> : null}</tr></thead>
          <tbody>
            {d.contacts.map(({ contact: c, identities }) => (
              <tr>
                <td>{c.displayName || '—'}<br /><small>{c.phone ?? ''}</small></td>
                <td><small>{identities.join(', ')}</small></td>
                <td>
                  {c.restricted ? <span class="badge off">{v.t('privacy.restricted')}</span> : null}
                  {c.objected ? <span class="badge off">{v.t('privacy.objected')}</span> : null}
                  {!c.restricted && !c.objected ? <span class="badge on">{v.t('privacy.normal')}</span> : null}
                </td>
                {d.canAct ? <td><ContactActions v={v} base={base} c={c} /></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{v.t('privacy.register')}</h2>
      <p class="muted"><small>{v.t('privacy.backups_note')}</small></p>
      {d.requests.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
        <table data-testid="privacy-register">
          <thead><tr><th>{v.t('privacy.kind')}</th><th>{v.t('privacy.subject')}</th><th>{v.t('privacy.status')}</th><th>{v.t('privacy.received')}</th><th>{v.t('privacy.due')}</th></tr></thead>
          <tbody>
            {d.requests.map((r) => (
              <tr>
                <td>{v.t(`privacy.kind.${r.kind}`)}</td>
                <td><code>{r.contactId ?? v.t('privacy.whole_client')}</code></td>
                <td>{v.t(`privacy.status.${r.status}`)}{r.status === 'running' || r.status === 'received' ? ` ${r.progress}%` : ''}</td>
                <td>{v.time(r.receivedAt)}</td>
                <td>{r.dueDate}{dueBadge(v, d, r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
