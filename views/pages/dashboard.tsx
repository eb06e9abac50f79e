import { Layout, Csrf } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';
import { RemoteBackupCard, type RemoteBackupView } from '../remote-backup.tsx';

export interface DashboardData {
  clients?: { slug: string; name: string; status: string }[];
  client?: { slug: string; name: string };
  userCount?: number;
  /** The client's open privacy requests due by `by` (a week from today). */
  privacyDue?: { count: number; by: string };
  firstSteps?: FirstStepsView;
  /** Operator admins: off-site backups and the last restore drill. */
  remoteBackup?: RemoteBackupView;
}

/** One of the first steps: done is derived from the data; href is where to take it. */
export interface FirstStep {
  key: 'chat' | 'whatsapp' | 'ai' | 'invite';
  done: boolean;
  href: string;
  /** Opens outside the admin UI (the customer chat page), in a new tab. */
  external?: boolean;
}

export interface FirstStepsView {
  client: { slug: string; name: string };
  steps: FirstStep[];
}

/** The first steps, each ticked when done, with a form that hides them for this person. */
function FirstSteps({ v, d }: { v: ViewContext; d: FirstStepsView }) {
  const left = d.steps.filter((s) => !s.done).length;
  return (
    <section class="card first-steps" id="first-steps" aria-labelledby="first-steps-title">
      <h2 id="first-steps-title">{v.t('first_steps.title')}</h2>
      <p class="muted">{v.t(left ? 'first_steps.intro' : 'first_steps.all_done', { name: d.client.name, n: left })}</p>
      <ol class="steps">
        {d.steps.map((s) => (
          <li class={s.done ? 'step done' : 'step'} data-step={s.key} data-done={s.done ? 'true' : 'false'}>
            <span class="step-mark" aria-hidden="true">{s.done ? '✓' : '○'}</span>
            <span class="step-text">
              <a href={s.href} target={s.external ? '_blank' : undefined} rel={s.external ? 'noopener' : undefined}>{v.t(`first_steps.${s.key}`)}</a>
              {' '}<span class="visually-hidden">({v.t(s.done ? 'first_steps.done' : 'first_steps.todo')})</span>
              <small class="muted">{v.t(`first_steps.${s.key}_hint`)}</small>
            </span>
          </li>
        ))}
      </ol>
      <form method="post" action="/first-steps/dismiss">
        <Csrf v={v} />
        <button type="submit" class="small">{v.t('first_steps.dismiss')}</button>
      </form>
    </section>
  );
}

export function DashboardPage({ v, data }: { v: ViewContext; data: DashboardData }) {
  return (
    <Layout v={v} title={v.t('dashboard.title')}>
      <h1>{v.t('dashboard.welcome', { name: v.user?.name || v.user?.email || '' })}</h1>
      {data.firstSteps ? <FirstSteps v={v} d={data.firstSteps} /> : null}
      {data.clients ? (
        <section class="card">
          <h2>{v.t('dashboard.clients')} ({data.clients.length})</h2>
          <ul>{data.clients.map((cl) => <li><a href={`/clients/${cl.slug}`}>{cl.name}</a> <small>{cl.slug}</small></li>)}</ul>
        </section>
      ) : null}
      {data.client && data.privacyDue?.count ? (
        <div class="banner warn" role="alert" data-testid="privacy-due">
          <p>{v.t('dashboard.privacy_due', { count: data.privacyDue.count, date: data.privacyDue.by })} <a href={`/clients/${data.client.slug}/privacy`}>{v.t('privacy.register')}</a></p>
        </div>
      ) : null}
      {data.remoteBackup ? <RemoteBackupCard v={v} r={data.remoteBackup} compact /> : null}
      {data.client ? (
        <section class="card">
          <h2>{v.t('dashboard.your_client')}</h2>
          <p><a href={`/clients/${data.client.slug}`}>{data.client.name}</a></p>
        </section>
      ) : null}
    </Layout>
  );
}
