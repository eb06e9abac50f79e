import { Hono } from 'hono';
import { activeConsent, listConsents, OFFSITE_BACKUP, recordTransferConsent, withdrawTransferConsent } from '../../ai/index.ts';
import { readRemoteSettings } from '../../backups/index.ts';
import { readForm } from '../forms.ts';
import { flashUrl } from '../flash.ts';
import { acceptedAt, currentAndNextPolicy, dataMapOf, fillDpa, listBreaches } from '../../privacy/index.ts';
import { DataMapPage, DpaPage } from '../../../views/pages/transparency.tsx';
import { requireUser } from '../middleware/session.ts';
import { html, viewContext } from '../render.tsx';
import { principalOf, scopedClient } from '../client-scope.ts';
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
    const secondLocation = { asked: !!(await activeConsent(ctx.db, client.id, OFFSITE_BACKUP)), mayChange: c.get('user')!.role === 'owner' };
    return html(c, <DataMapPage v={viewContext(c, { timezone: client.timezone })} d={{
      client, categories: map.categories, recipients: map.recipients, purgeAfterDays: map.purgeAfterDays, consents, breaches, secondLocation,
      policy: {
        current: current ? { id: current.id, effectiveDate: current.effectiveDate, acceptedAt: await acceptedAt(ctx.db, client.id, current.id) } : null,
        next: next ? { id: next.id, effectiveDate: next.effectiveDate } : null,
      },
    }} />);
  });

  // The owner asks for (or withdraws) copies of the client's data in a second location: the off-site
  // backups (policy §5.1). Recorded in the consent and transfer register; the operator's settings warn
  // about clients without one.
  app.post('/clients/:slug/data-map/second-location', requireUser(['owner']), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: ['owner'], what: 'privacy.second_location' });
    const f = await readForm(c);
    const by = principalOf(c.get('user')!);
    if (f.action === 'withdraw') await withdrawTransferConsent(ctx.db, ctx.clock, by, { clientId: client.id, provider: OFFSITE_BACKUP, ip: c.get('ip') });
    else if (!(await activeConsent(ctx.db, client.id, OFFSITE_BACKUP))) {
      const s = await readRemoteSettings(ctx.db, ctx.vault);
      await recordTransferConsent(ctx.db, ctx.clock, by, { clientId: client.id, provider: OFFSITE_BACKUP, destination: s.endpoint ? new URL(s.endpoint).host : '', ip: c.get('ip') });
    }
    return c.redirect(flashUrl(c, `/clients/${client.slug}/data-map#second-location`, f.action === 'withdraw' ? 'datamap.second_location.withdrawn' : 'datamap.second_location.recorded'), 303);
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
