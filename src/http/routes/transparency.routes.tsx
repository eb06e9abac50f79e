import { Hono } from 'hono';
import { listConsents } from '../../ai/index.ts';
import { acceptedAt, currentAndNextPolicy, dataMapOf, fillDpa, listBreaches } from '../../privacy/index.ts';
import { DataMapPage, DpaPage } from '../../../views/pages/transparency.tsx';
import { requireUser } from '../middleware/session.ts';
import { html, viewContext } from '../render.tsx';
import { scopedClient } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

/** A client's transparency page (data map, policy, consents, breaches) and its DPA, for its managers and the operator. */
export function transparencyRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/data-map', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { what: 'privacy.data_map' });
    const map = await dataMapOf(ctx, client.id);
    const { current, next } = await currentAndNextPolicy(ctx.db, ctx.clock);
    const consents = (await listConsents(ctx.db, client.id)).map((x) => ({
      clientName: client.name, provider: x.provider, destination: x.destination, policyVersion: x.policyVersion, recordedBy: x.recordedByLabel, recordedAt: x.recordedAt, withdrawnAt: x.withdrawnAt,
    }));
    const breaches = (await listBreaches(ctx.db, { clientId: client.id, limit: 200 })).data;
    return html(c, <DataMapPage v={viewContext(c, { timezone: client.timezone })} d={{
      client, categories: map.categories, recipients: map.recipients, purgeAfterDays: map.purgeAfterDays, consents, breaches,
      policy: {
        current: current ? { id: current.id, effectiveDate: current.effectiveDate, acceptedAt: await acceptedAt(ctx.db, client.id, current.id) } : null,
        next: next ? { id: next.id, effectiveDate: next.effectiveDate } : null,
      },
    }} />);
  });

  app.get('/clients/:slug/dpa', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { what: 'privacy.dpa' });
    const v = viewContext(c, { timezone: client.timezone });
    const dpa = await fillDpa(ctx, client.id, v.lang, {
      category: (n) => v.t(`datamap.category.${n}`), purpose: (n) => v.t(`datamap.purpose.${n}`),
      retention: (d, purge) => (d === null ? v.t('datamap.while_active', { days: purge }) : v.t('datamap.days', { n: d })),
      where: (abroad) => (abroad ? v.t('datamap.abroad') : v.t('datamap.in_kz')), kind: (k) => v.t(`datamap.kind.${k}`), noRecipients: v.t('datamap.no_recipients'),
    });
    return html(c, <DpaPage v={v} d={{ ...dpa, slug: client.slug }} />);
  });

  return app;
}
