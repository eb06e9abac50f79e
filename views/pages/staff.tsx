import { Layout, Field, Csrf } from '../layout.tsx';
import { SelectField, OneTimePassword, ActionButton } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { User } from '../../src/auth/index.ts';

export interface StaffView {
  staff: User[];
  selfId: string;
  values?: { email: string; name: string; role: string };
  errors?: Record<string, string>;
  issued?: { email: string; password: string };
}

export function StaffPage({ v, d }: { v: ViewContext; d: StaffView }) {
  return (
    <Layout v={v} title={v.t('staff.title')}>
      <h1>{v.t('staff.title')}</h1>
      {d.issued ? <OneTimePassword v={v} email={d.issued.email} password={d.issued.password} /> : null}
      {d.errors?.user ? <p class="error" role="alert">{d.errors.user}</p> : null}
      <table>
        <thead><tr><th>{v.t('members.email')}</th><th>{v.t('members.name')}</th><th>{v.t('members.role')}</th><th>{v.t('members.status')}</th><th>{v.t('staff.totp')}</th><th>{v.t('members.created_at')}</th><th></th></tr></thead>
        <tbody>
          {d.staff.map((u) => (
            <tr>
              <td>{u.email}</td>
              <td>{u.name}</td>
              <td>{v.t(`role.${u.role}`)}</td>
              <td>{u.disabled ? <span class="badge off">{v.t('members.disabled')}</span> : <span class="badge on">{v.t('members.active')}</span>}</td>
              <td>{u.totpEnabled ? v.t('common.yes') : v.t('common.no')}</td>
              <td>{v.time(u.createdAt)}</td>
              <td class="actions">
                {u.id !== d.selfId ? <ActionButton v={v} action={`/staff/${u.id}/${u.disabled ? 'enable' : 'disable'}`} label={v.t(u.disabled ? 'members.enable' : 'members.disable')} danger={!u.disabled} /> : null}
                {u.id !== d.selfId ? <ActionButton v={v} action={`/staff/${u.id}/reset-password`} label={v.t('members.reset_password')} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="card">
        <h2>{v.t('staff.add')}</h2>
        <form method="post" action="/staff">
          <Csrf v={v} />
          <div class="grid2">
            <Field label={v.t('members.email')} name="email" type="email" value={d.values?.email} error={d.errors?.email} required />
            <Field label={v.t('members.name')} name="name" value={d.values?.name} error={d.errors?.name} />
          </div>
          <SelectField label={v.t('members.role')} name="role" value={d.values?.role ?? 'support'} error={d.errors?.role}
            options={[['support', v.t('role.support')], ['admin', v.t('role.admin')]]} />
          <p class="muted">{v.t('members.otp_hint')}</p>
          <button type="submit">{v.t('common.create')}</button>
        </form>
      </section>
    </Layout>
  );
}
