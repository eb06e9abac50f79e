import { Hono } from 'hono';
import { sql } from 'kysely';
import type { Metrics } from '../../lib/metrics.ts';
import { countChannelAccounts } from '../../channels/index.ts';
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
    });
    return c.body(body, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return app;
}
