import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

export interface DashboardData {
  clients?: { slug: string; name: string; status: string }[];
  client?: { slug: string; name: string };
  userCount?: number;
  /** The client's open privacy requests due by `by` (a week from today). */
  privacyDue?: { count: number; by: string };
}

export function DashboardPage({ v, data }: { v: ViewContext; data: DashboardData }) {
  return (
    <Layout v={v} title={v.t('dashboard.title')}>
      <h1>{v.t('dashboard.welcome', { name: v.user?.name || v.user?.email || '' })}</h1>
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
      {data.client ? (
        <section class="card">
          <h2>{v.t('dashboard.your_client')}</h2>
          <p><a href={`/clients/${data.client.slug}`}>{data.client.name}</a></p>
        </section>
      ) : null}
    </Layout>
  );
}
