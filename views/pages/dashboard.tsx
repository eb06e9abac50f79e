import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

export interface DashboardData {
  clients?: { slug: string; name: string; status: string }[];
  client?: { slug: string; name: string };
  userCount?: number;
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
      {data.client ? (
        <section class="card">
          <h2>{v.t('dashboard.your_client')}</h2>
          <p><a href={`/clients/${data.client.slug}`}>{data.client.name}</a></p>
        </section>
      ) : null}
    </Layout>
  );
}
