import { Layout, Field, Csrf, ErrorSummary } from '../layout.tsx';
import { TextAreaField, ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client, ContactPerson } from '../../src/tenants/index.ts';

/** What a client form shows: the stored values, or what was just submitted when it had errors. */
export interface ClientFormValues {
  slug: string;
  name: string;
  contact_email: string;
  phone: string;
  invoice_address: string;
  timezone: string;
  require_totp: boolean;
  persons: ContactPerson[];
}

const KZ_ZONES = ['Asia/Almaty', 'Asia/Qostanay', 'Asia/Qyzylorda', 'Asia/Aqtobe', 'Asia/Aqtau', 'Asia/Atyrau', 'Asia/Oral', 'Europe/Moscow', 'UTC'];

export function ClientsListPage({ v, clients, canCreate, supportOnly }: { v: ViewContext; clients: Client[]; canCreate: boolean; supportOnly: boolean }) {
  return (
    <Layout v={v} title={v.t('clients.title')}>
      <h1>{v.t('clients.title')}</h1>
      {supportOnly ? <p class="muted">{v.t('clients.support_only')}</p> : null}
      {canCreate ? <p><a href="/clients/new">{v.t('clients.new')}</a></p> : null}
      {clients.length === 0 ? <p class="muted">{v.t('clients.empty')}</p> : (
        <table class="stack">
          <thead><tr><th>{v.t('clients.name')}</th><th>{v.t('clients.slug')}</th><th>{v.t('clients.contact_email')}</th><th>{v.t('clients.status')}</th><th>{v.t('clients.created_at')}</th></tr></thead>
          <tbody>
            {clients.map((cl) => (
              <tr>
                <td data-label={v.t('clients.name')}><a href={`/clients/${cl.slug}`}>{cl.name || cl.slug}</a></td>
                <td data-label={v.t('clients.slug')}><code>{cl.slug}</code></td>
                <td data-label={v.t('clients.contact_email')}>{cl.contactEmail}</td>
                <td data-label={v.t('clients.status')}>{v.t(`clients.status_${cl.status}`)}</td>
                <td data-label={v.t('clients.created_at')}>{v.time(cl.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function ClientPage({ v, client, canEdit }: { v: ViewContext; client: Client; canEdit: boolean }) {
  const row = (label: string, value: string) => <tr><th>{label}</th><td>{value}</td></tr>;
  return (
    <Layout v={v} title={client.name}>
      <ClientTabs v={v} slug={client.slug} name={client.name} />
      <section class="card">
        <h1>{client.name}</h1>
        <table>
          <tbody>
            {row(v.t('clients.slug'), client.slug)}
            {row(v.t('clients.contact_email'), client.contactEmail)}
            {row(v.t('clients.phone'), client.phone)}
            {row(v.t('clients.invoice_address'), client.invoiceAddress)}
            {row(v.t('clients.timezone'), client.timezone)}
            {row(v.t('clients.require_totp'), client.requireTotp ? v.t('common.yes') : v.t('common.no'))}
            {row(v.t('clients.status'), v.t(`clients.status_${client.status}`))}
            {row(v.t('clients.created_at'), v.time(client.createdAt))}
            {row(v.t('clients.updated_at'), v.time(client.updatedAt))}
          </tbody>
        </table>
      </section>
      <section class="card">
        <h2>{v.t('clients.contact_persons')}</h2>
        {client.contactPersons.length === 0 ? <p class="muted">{v.t('common.none')}</p> : (
          <table>
            <thead><tr><th>{v.t('clients.person_name')}</th><th>{v.t('clients.person_email')}</th><th>{v.t('clients.person_phone')}</th><th>{v.t('clients.person_role')}</th></tr></thead>
            <tbody>{client.contactPersons.map((p) => <tr><td>{p.name}</td><td>{p.email ?? ''}</td><td>{p.phone ?? ''}</td><td>{p.role ?? ''}</td></tr>)}</tbody>
          </table>
        )}
      </section>
      {canEdit ? <p><a href={`/clients/${client.slug}/edit`}>{v.t('clients.edit_title')}</a></p> : null}
    </Layout>
  );
}

/** One contact-person row (also served alone, for the "add a row" button). */
export function PersonRow({ v, p }: { v: ViewContext; p?: ContactPerson }) {
  return (
    <div class="person-row">
      <input name="cp_name" value={p?.name ?? ''} placeholder={v.t('clients.person_name')} aria-label={v.t('clients.person_name')} />
      <input name="cp_email" type="email" value={p?.email ?? ''} placeholder={v.t('clients.person_email')} aria-label={v.t('clients.person_email')} />
      <input name="cp_phone" value={p?.phone ?? ''} placeholder={v.t('clients.person_phone')} aria-label={v.t('clients.person_phone')} />
      <input name="cp_role" value={p?.role ?? ''} placeholder={v.t('clients.person_role')} aria-label={v.t('clients.person_role')} />
    </div>
  );
}

/** `canSetTotp`: whether the viewer may change the client's TOTP requirement (admins and owners; default yes). */
export function ClientFormPage({ v, values, errors, client, canSetTotp = true }: { v: ViewContext; values: ClientFormValues; errors?: Record<string, string>; client?: Client; canSetTotp?: boolean }) {
  const creating = !client;
  const title = creating ? v.t('clients.create_title') : v.t('clients.edit_title');
  return (
    <Layout v={v} title={title}>
      {client ? <ClientTabs v={v} slug={client.slug} name={client.name} /> : null}
      <section class="card">
        <h1>{title}</h1>
        <ErrorSummary v={v} errors={errors} labels={{
          name: v.t('clients.name'), slug: v.t('clients.slug'), contact_email: v.t('clients.contact_email'), phone: v.t('clients.phone'),
          invoice_address: v.t('clients.invoice_address'), timezone: v.t('clients.timezone'), contact_persons: v.t('clients.contact_persons'),
        }} ids={{ contact_persons: 'persons' }} />
        <form method="post" action={creating ? '/clients' : `/clients/${client.slug}/edit`}>
          <Csrf v={v} />
          <div class="grid2">
            <Field label={v.t('clients.name')} name="name" value={values.name} error={errors?.name} required />
            {creating ? <Field label={v.t('clients.slug')} name="slug" value={values.slug} error={errors?.slug} required placeholder="my-company" /> : null}
            <Field label={v.t('clients.contact_email')} name="contact_email" type="email" value={values.contact_email} error={errors?.contact_email} />
            <Field label={v.t('clients.phone')} name="phone" type="tel" value={values.phone} error={errors?.phone} placeholder="+7 701 234 56 78" />
          </div>
          <TextAreaField label={v.t('clients.invoice_address')} name="invoice_address" value={values.invoice_address} error={errors?.invoice_address} />
          <label class={errors?.timezone ? 'field invalid' : 'field'}>
            <span>{v.t('clients.timezone')}</span>
            <input id="field-timezone" name="timezone" value={values.timezone} list="tz-list" aria-invalid={errors?.timezone ? 'true' : undefined} />
            <datalist id="tz-list">{KZ_ZONES.map((z) => <option value={z} />)}</datalist>
            {errors?.timezone ? <small class="error">{errors.timezone}</small> : null}
          </label>
          {canSetTotp ? (
            <label class="field checkbox">
              <input type="hidden" name="require_totp_present" value="1" />
              <input type="checkbox" name="require_totp" checked={values.require_totp} /> {v.t('clients.require_totp')}
            </label>
          ) : null}
          <fieldset class={errors?.contact_persons ? 'field invalid' : 'field'}>
            <legend>{v.t('clients.contact_persons')}</legend>
            <input type="hidden" name="contact_persons_present" value="1" />
            <div id="persons">
              {values.persons.map((p) => <PersonRow v={v} p={p} />)}
              <PersonRow v={v} />
            </div>
            <button type="button" class="small" hx-get="/clients/new/person-row" hx-target="#persons" hx-swap="beforeend">{v.t('clients.add_person')}</button>
            {errors?.contact_persons ? <small class="error">{errors.contact_persons}</small> : null}
          </fieldset>
          <p class="actions">
            <button type="submit">{creating ? v.t('common.create') : v.t('common.save')}</button>
            <a href={creating ? '/clients' : `/clients/${client.slug}`}>{v.t('common.cancel')}</a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
