import { Layout, Field, Csrf } from '../layout.tsx';
import { SelectField, OneTimePassword, ActionButton, ClientTabs } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { User } from '../../src/auth/index.ts';
import type { Client } from '../../src/tenants/index.ts';

export interface MemberFormValues {
  email: string;
  name: string;
  role: string;
}

export interface MembersView {
  client: Client;
  members: User[];
  /** Member roles the viewer may create and manage (empty: read only). */
  manageable: string[];
  mayReset: boolean;
  selfId: string;
  values?: MemberFormValues;
  errors?: Record<string, string>;
  /** A one-time password just issued: shown on this response only. */
  issued?: { email: string; password: string };
}

export function MembersPage({ v, d }: { v: ViewContext; d: MembersView }) {
  const base = `/clients/${d.client.slug}/members`;
  return (
    <Layout v={v} title={`${v.t('members.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('members.title')}</h1>
      {d.issued ? <OneTimePassword v={v} email={d.issued.email} password={d.issued.password} /> : null}
      {d.errors?.user ? <p class="error" role="alert">{d.errors.user}</p> : null}
      <table>
        <thead><tr><th>{v.t('members.email')}</th><th>{v.t('members.name')}</th><th>{v.t('members.role')}</th><th>{v.t('members.status')}</th><th>{v.t('members.created_at')}</th><th></th></tr></thead>
        <tbody>
          {d.members.map((m) => {
            const manage = d.manageable.includes(m.role) && m.id !== d.selfId;
            return (
              <tr>
                <td>{m.email}</td>
                <td>{m.name}</td>
                <td>{v.t(`role.${m.role}`)}</td>
                <td>{m.disabled ? <span class="badge off">{v.t('members.disabled')}</span> : <span class="badge on">{v.t('members.active')}</span>}</td>
                <td>{v.time(m.createdAt)}</td>
                <td class="actions">
                  {manage ? <a href={`${base}/${m.id}`}>{v.t('common.edit')}</a> : null}
                  {manage ? <ActionButton v={v} action={`${base}/${m.id}/${m.disabled ? 'enable' : 'disable'}`} label={v.t(m.disabled ? 'members.enable' : 'members.disable')} danger={!m.disabled} /> : null}
                  {d.mayReset && m.id !== d.selfId ? <ActionButton v={v} action={`${base}/${m.id}/reset-password`} label={v.t('members.reset_password')} /> : null}
                  {manage ? (
                    <form method="post" action={`${base}/${m.id}/erase`} class="inline" hx-confirm={v.t('members.erase_confirm', { email: m.email })}>
                      <input type="hidden" name="_csrf" value={v.csrf} /><button type="submit" class="small danger">{v.t('members.erase')}</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {d.manageable.length ? (
        <section class="card">
          <h2>{v.t('members.add')}</h2>
          <form method="post" action={base}>
            <Csrf v={v} />
            <div class="grid2">
              <Field label={v.t('members.email')} name="email" type="email" value={d.values?.email} error={d.errors?.email} required />
              <Field label={v.t('members.name')} name="name" value={d.values?.name} error={d.errors?.name} />
            </div>
            <SelectField label={v.t('members.role')} name="role" value={d.values?.role ?? d.manageable[d.manageable.length - 1]} error={d.errors?.role}
              options={d.manageable.map((r) => [r, v.t(`role.${r}`)])} />
            <p class="muted">{v.t('members.otp_hint')}</p>
            <button type="submit">{v.t('common.create')}</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

export function MemberEditPage({ v, client, member, roles, values, errors }: { v: ViewContext; client: Client; member: User; roles: string[]; values: MemberFormValues; errors?: Record<string, string> }) {
  const base = `/clients/${client.slug}/members`;
  return (
    <Layout v={v} title={v.t('members.edit_title')}>
      <ClientTabs v={v} slug={client.slug} name={client.name} />
      <section class="card">
        <h1>{v.t('members.edit_title')}</h1>
        {errors && Object.keys(errors).length ? <p class="error" role="alert">{Object.values(errors)[0]}</p> : null}
        <form method="post" action={`${base}/${member.id}`}>
          <Csrf v={v} />
          <Field label={v.t('members.email')} name="email" type="email" value={values.email} error={errors?.email} required />
          <Field label={v.t('members.name')} name="name" value={values.name} error={errors?.name} />
          <SelectField label={v.t('members.role')} name="role" value={values.role} error={errors?.role} options={roles.map((r) => [r, v.t(`role.${r}`)])} />
          <p class="actions">
            <button type="submit">{v.t('common.save')}</button>
            <a href={base}>{v.t('common.cancel')}</a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
