import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { JobHandler } from '../jobs/index.ts';
import { getChatwootSettings, type ChatwootSettings } from './accounts.ts';
import { inboxSummary } from './inboxes.ts';
import { pruneSeen } from './webhook.ts';

export const CHATWOOT_PRUNE_KIND = 'chatwoot.prune';
export const CHATWOOT_PRUNE_EVERY_MS = 6 * 3600_000;

export interface ChatwootStatusView {
  settings: ChatwootSettings;
  inboxes: number;
  /** `signed`: deliveries are checked against a secret; `unsigned`: the URL token alone authenticates. */
  signing: 'signed' | 'unsigned';
  /** Mirror steps and received events not done yet (waiting or being retried). */
  backlog: number;
  /** Steps that gave up (shown on the jobs screen, retryable there). */
  dead: number;
}

/** The status page's figures: connection, signing, backlog, the last error. */
export async function chatwootStatus(db: Db, clientId: string): Promise<ChatwootStatusView> {
  const settings = await getChatwootSettings(db, clientId);
  const inboxes = await inboxSummary(db, clientId);
  const counts = await db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('client_id', '=', clientId).where('kind', 'like', 'chatwoot.%').where('status', 'in', ['pending', 'running', 'dead']).groupBy('status').execute();
  const n = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  return {
    settings, inboxes: inboxes.count, signing: settings.webhookSecretSet || inboxes.signed > 0 ? 'signed' : 'unsigned',
    backlog: n('pending') + n('running'), dead: n('dead'),
  };
}

/** The periodic job that forgets old webhook dedupe rows. */
export function chatwootPruneHandler(deps: { db: Db; clock: Clock }): JobHandler {
  return { kind: CHATWOOT_PRUNE_KIND, async run() { await pruneSeen(deps.db, deps.clock); } };
}
