import { Hono } from 'hono';
import { sql } from 'kysely';
import type { Metrics } from '../../lib/metrics.ts';
import { timingSafeEqual } from 'node:crypto';
import { countChannelAccounts } from '../../channels/index.ts';
import { usageTotalsByClient } from '../../billing/index.ts';
import type { ExtraSeries } from '../../lib/metrics.ts';
import type { HttpEnv } from '../env.ts';

/** Liveness, readiness and Prometheus metrics (no session; expose only counts, never data). */
export function opsRoutes(metrics: Metrics) {
  const app = new Hono<HttpEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ctx = c.get('ctx');
    try {
      await sql`SELECT 1`.execute(ctx.db);
    } catch {
      return c.json({ status: 'unavailable', reason: 'database' }, 503);
    }
    if (!ctx.ready()) return c.json({ status: 'unavailable', reason: 'starting' }, 503);
    // Without its job runner the process would accept work it never carries out.
    if (ctx.jobs.startError) return c.json({ status: 'unavailable', reason: 'jobs' }, 503);
    return c.json({ status: 'ready' });
  });
  app.get('/metrics', async (c) => {
    const ctx = c.get('ctx');
    // With HABAR_METRICS_TOKEN set, /metrics answers only its bearer and shows per-client series
    // (labelled by client id only, never a name); without it, those series are left out.
    const token = ctx.config.metricsToken;
    if (token) {
      const given = Buffer.from(/^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '');
      const want = Buffer.from(token);
      if (given.length !== want.length || !timingSafeEqual(given, want)) {
        return c.body('metrics need "Authorization: Bearer <HABAR_METRICS_TOKEN>"\n', 401, { 'WWW-Authenticate': 'Bearer realm="habar-metrics"', 'Content-Type': 'text/plain; charset=utf-8' });
      }
    }
    const perClient: Record<string, ExtraSeries> = token ? {
      habar_client_usage_total: {
        help: 'Usage per client and kind since the first rollup (message_in, message_out, ai_call, ai_tokens_in, ai_tokens_out, api_call); a minute behind at most', type: 'counter',
        samples: (await usageTotalsByClient(ctx.db)).map((x) => ({ labels: { client_id: x.clientId, kind: x.kind }, value: x.quantity })),
      },
    } : {};
    const mem = process.memoryUsage();
    const channels = ctx.channels.stats();
    const body = metrics.render({
      process_resident_memory_bytes: { help: 'Resident set size', value: mem.rss },
      nodejs_heap_used_bytes: { help: 'V8 heap in use', value: mem.heapUsed },
      nodejs_heap_total_bytes: { help: 'V8 heap total', value: mem.heapTotal },
      process_uptime_seconds: { help: 'Seconds since start', value: Math.round(process.uptime()) },
      habar_wal_checkpointer_active: { help: 'Whether the WAL checkpointer thread does the checkpoints (1) or the main thread (0)', value: ctx.checkpointer()?.active ? 1 : 0 },
      habar_wal_checkpointed_frames_total: { help: 'WAL frames copied into the data file by the checkpointer thread', value: ctx.checkpointer()?.stats.frames ?? 0 },
      habar_channel_connect_attempts_total: {
        help: 'Connection attempts of channel accounts (an adapter reporting connecting)', type: 'counter',
        samples: channels.connectAttempts.map((x) => ({ labels: { kind: x.kind }, value: x.value })),
      },
      habar_channel_accounts: {
        help: 'Channel accounts by kind and status (deleted ones left out)',
        samples: (await countChannelAccounts(ctx.db)).map((x) => ({ labels: { kind: x.kind, status: x.status }, value: x.value })),
      },
      habar_channel_messages_total: {
        help: 'Messages through channel accounts: in (stored from the platform) and out (sent to it)', type: 'counter',
        samples: channels.messages.map((x) => ({ labels: { kind: x.kind, direction: x.direction }, value: x.value })),
      },
      ...perClient,
    });
    return c.body(body, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return app;
}
