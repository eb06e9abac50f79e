import { Hono } from 'hono';
import { aiReport, formatUsd, getAiSettings, runPlayground, usageByDay } from '../../ai/index.ts';
import { PlaygroundPage, SAMPLE_SCRIPT } from '../../../views/pages/ai-playground.tsx';
import { UsagePage } from '../../../views/pages/ai-usage.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { html, viewContext } from '../render.tsx';
import { scopedClient } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

const PLAYGROUND_ROLES = ['admin', 'owner', 'representative'];

/** The AI playground (a made-up conversation → the exact request, reply, tokens, cost) and the usage page with the AI report. */
export function aiToolsRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/ai/playground', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: PLAYGROUND_ROLES, what: 'ai.playground' });
    const s = await getAiSettings(c.get('ctx').db, client.id);
    return html(c, <PlaygroundPage v={viewContext(c, { timezone: client.timezone })} d={{ client, provider: s.provider, script: SAMPLE_SCRIPT }} />);
  });

  app.post('/clients/:slug/ai/playground', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: PLAYGROUND_ROLES, what: 'ai.playground' });
    const f = await readForm(c);
    const script = (f.script ?? '').slice(0, 20_000);
    const s = await getAiSettings(ctx.db, client.id);
    const v = viewContext(c, { timezone: client.timezone });
    if (!script.trim()) return html(c, <PlaygroundPage v={v} d={{ client, provider: s.provider, script, error: v.t('ai.playground.script') }} />, 422);
    const r = await runPlayground(ctx, { clientId: client.id, businessName: client.name, script, dryRun: f.mode === 'dry' });
    return html(c, <PlaygroundPage v={v} d={{ client, provider: s.provider, script, result: { ...r, cost: formatUsd(r.usage?.costMicros ?? 0) } }} />);
  });

  app.get('/clients/:slug/ai/usage', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { what: 'ai.usage' });
    const days = [7, 30, 90].includes(Number(c.req.query('days'))) ? Number(c.req.query('days')) : 30;
    const to = new Date(ctx.clock.now().getTime() + 60_000).toISOString();
    const from = new Date(ctx.clock.now().getTime() - days * 86_400_000).toISOString();
    const rows = await usageByDay(ctx.db, client.id, from, to, client.timezone);
    const sum = (k: 'calls' | 'failures' | 'tokensIn' | 'tokensOut' | 'costMicros') => rows.reduce((n, r) => n + r[k], 0);
    const d = {
      client, days, rows: rows.map((r) => ({ ...r, cost: formatUsd(r.costMicros) })), report: await aiReport(ctx.db, client.id, from, to),
      total: { calls: sum('calls'), failures: sum('failures'), tokensIn: sum('tokensIn'), tokensOut: sum('tokensOut'), cost: formatUsd(sum('costMicros')) },
    };
    return html(c, <UsagePage v={viewContext(c, { timezone: client.timezone })} d={d} />);
  });

  return app;
}
