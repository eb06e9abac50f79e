// Chat-history retention (policy 5.2: data kept only as long as needed): per client, messages older
// than N days are deleted by a daily job. Off by default (the setting unset).
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { JobHandler } from '../jobs/index.ts';
import { recordAudit, SYSTEM_ACTOR } from '../audit/index.ts';
import { pruneHistoryBefore } from '../messaging/index.ts';
import { forgetSummaries } from '../ai/index.ts';
import { deleteClientDeliveriesBefore } from '../webhooks/index.ts';

/** The client setting: delete chat history older than this many days (unset: keep it). */
export const RETENTION_DAYS_SETTING = 'privacy.retention_days';
export const RETENTION_KIND = 'privacy.retention';
export const RETENTION_EVERY_MS = 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

export interface RetentionResult {
  clientId: string;
  cutoff: string;
  messages: number;
  conversations: number;
  attachments: number;
  deliveries: number;
  summaries: number;
}

/** The clients whose retention rule is on, with their number of days. */
async function clientsWithRetention(db: Db): Promise<Array<{ clientId: string; days: number }>> {
  const rows = await db.selectFrom('settings').innerJoin('clients', 'clients.id', 'settings.client_id')
    .select(['settings.client_id', 'settings.value']).where('settings.key', '=', RETENTION_DAYS_SETTING).execute();
  return rows.map((r) => ({ clientId: r.client_id, days: Number(r.value) })).filter((r) => Number.isInteger(r.days) && r.days > 0);
}

/**
 * Applies every client's retention rule once: chat history created more than N days before now
 * goes (messages, their files, emptied conversations, AI summaries that retold them, the stored
 * webhook payloads of that time). A client that lost something gets one audit entry with counts.
 */
export async function applyRetention(deps: { db: Db; clock: Clock; dataDir: string }): Promise<RetentionResult[]> {
  const out: RetentionResult[] = [];
  const now = deps.clock.now().getTime();
  for (const { clientId, days } of await clientsWithRetention(deps.db)) {
    const cutoff = new Date(now - days * DAY_MS).toISOString();
    const pruned = await pruneHistoryBefore(deps.db, deps.dataDir, clientId, cutoff);
    const summaries = await forgetSummaries(deps.db, pruned.touchedConversationIds);
    const deliveries = await deleteClientDeliveriesBefore(deps.db, clientId, cutoff);
    const r = { clientId, cutoff, messages: pruned.messages, conversations: pruned.conversations, attachments: pruned.attachments, deliveries, summaries };
    if (r.messages || r.conversations || r.attachments || r.deliveries) {
      await recordAudit(deps.db, deps.clock, {
        actor: SYSTEM_ACTOR, action: 'chat_history.retention_applied', clientId, targetType: 'client', targetId: clientId,
        details: { days, messages: r.messages, conversations: r.conversations, attachments: r.attachments, deliveries: r.deliveries },
      });
    }
    out.push(r);
  }
  return out;
}

/** The daily job applying the retention rules. */
export function retentionHandler(deps: { db: Db; clock: Clock; log: Logger; config: { dataDir: string } }): JobHandler {
  return {
    kind: RETENTION_KIND,
    async run() {
      const results = await applyRetention({ db: deps.db, clock: deps.clock, dataDir: deps.config.dataDir });
      const messages = results.reduce((n, r) => n + r.messages, 0);
      if (messages) deps.log.info('privacy', 'chat history retention', { clients: results.length, messages });
    },
  };
}
