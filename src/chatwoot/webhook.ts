import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { AppError, badRequest, notFound } from '../lib/errors.ts';
import { enqueueJob } from '../jobs/index.ts';
import { verifyDelivery } from '../webhooks/index.ts';
import { SECRET_CONTEXT } from './accounts.ts';
import { inboxByToken } from './inboxes.ts';

export const CHATWOOT_INBOUND_KIND = 'chatwoot.inbound';
/** Chatwoot's headers (4.11.2 and later; the inbox webhooks of API channels are signed from 4.13). */
export const SIGNATURE_HEADER = 'x-chatwoot-signature';
export const TIMESTAMP_HEADER = 'x-chatwoot-timestamp';
export const DELIVERY_HEADER = 'x-chatwoot-delivery';
/** A signed delivery older (or newer) than this is refused: a replay. */
export const MAX_SKEW_SECONDS = 300;

const unsigned = (message: string) => new AppError('invalid_signature', message, 401);

export interface WebhookHeaders { signature?: string; timestamp?: string; delivery?: string }

/** The events acted on; every other one is acknowledged and dropped. */
interface Payload {
  event?: string;
  id?: number;
  message_type?: string | number;
  private?: boolean;
  source_id?: string | null;
  content?: string | null;
  status?: string;
  sender?: { id?: number; name?: string; available_name?: string; type?: string };
  conversation?: { id?: number };
  content_attributes?: { deleted?: boolean; in_reply_to?: number | string } | null;
  attachments?: Array<{ data_url?: string; file_type?: string }>;
}

/** Whether an event is one we act on: an agent's public reply (not our own echo) or its deletion, a status change. */
function wanted(p: Payload): boolean {
  if (p.event === 'message_created') {
    const outgoing = p.message_type === 'outgoing' || p.message_type === 1;
    return outgoing && !p.private && p.sender?.type === 'user' && !String(p.source_id ?? '').startsWith('habar:');
  }
  // An agent deleted a message: only one of theirs that we carried to the customer can matter.
  if (p.event === 'message_updated') return !!p.content_attributes?.deleted && !p.private && !String(p.source_id ?? '').startsWith('habar:');
  return p.event === 'conversation_status_changed';
}

/**
 * Chatwoot's webhook for one inbox (the unguessable token in its URL names it). With a secret, the
 * inbox's own (Chatwoot 4.13+) or the one the owner pasted (chatwoot#13809: the secret the API
 * returns may not be the one it signs with), the signature must match and the timestamp be
 * recent; without one, the URL token alone authenticates (the status page says "unsigned"). A
 * delivery is deduped by X-Chatwoot-Delivery and by message id, and what it asks is queued as a
 * job in one transaction with the dedupe rows; the caller wakes the runner and answers at once.
 */
export async function receiveChatwootWebhook(
  deps: { db: Db; vault: Vault; clock: Clock }, token: string, raw: string, h: WebhookHeaders,
): Promise<{ outcome: 'queued' | 'duplicate' | 'ignored' }> {
  const inbox = await inboxByToken(deps.db, deps.vault, token);
  if (!inbox) throw notFound('No such Chatwoot inbox');
  const account = await deps.db.selectFrom('chatwoot_accounts').select(['webhook_secret', 'connected_at']).where('client_id', '=', inbox.clientId).executeTakeFirst();
  const secrets = [inbox.secret, account?.webhook_secret ? deps.vault.open(account.webhook_secret, SECRET_CONTEXT) : null].filter((s): s is string => !!s);
  if (secrets.length) {
    if (!h.signature || !h.timestamp || !/^\d{1,12}$/.test(h.timestamp)) throw unsigned('The delivery is not signed (X-Chatwoot-Signature and X-Chatwoot-Timestamp)');
    if (Math.abs(deps.clock.now().getTime() / 1000 - Number(h.timestamp)) > MAX_SKEW_SECONDS) throw unsigned('The delivery’s timestamp is stale');
    // Chatwoot signs as our own webhooks do: sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>.
    if (!secrets.some((s) => verifyDelivery(s, h.timestamp!, raw, h.signature!))) throw unsigned('The signature does not match');
  }
  let p: Payload;
  try {
    p = JSON.parse(raw) as Payload;
  } catch {
    throw badRequest('The body is not JSON', undefined, 'invalid_json');
  }
  if (!p || typeof p !== 'object' || !account?.connected_at || !wanted(p)) return { outcome: 'ignored' };
  const byId = p.event === 'message_created' ? 'message' : p.event === 'message_updated' ? 'deleted' : null;
  const keys = [h.delivery ? `delivery:${h.delivery.slice(0, 100)}` : null, byId && p.id ? `${byId}:${p.id}` : null].filter((k): k is string => !!k);
  const now = deps.clock.now().toISOString();
  const remoteConversation = p.event === 'conversation_status_changed' ? p.id : p.conversation?.id;
  return deps.db.transaction().execute(async (trx) => {
    for (const key of keys) {
      const r = await trx.insertInto('chatwoot_seen').values({ client_id: inbox.clientId, key, seen_at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return { outcome: 'duplicate' as const };
    }
    await enqueueJob(trx, deps.clock, {
      kind: CHATWOOT_INBOUND_KIND, clientId: inbox.clientId, maxAttempts: 20,
      queueKey: `chatwoot-in:${inbox.clientId}:${remoteConversation ?? 'none'}`,
      payload: {
        channel_account_id: inbox.channelAccountId, event: p.event, id: p.id ?? null, conversation_id: remoteConversation ?? null,
        content: p.content ?? '', status: p.status ?? null, sender_name: p.sender?.available_name ?? p.sender?.name ?? null,
        in_reply_to: p.content_attributes?.in_reply_to ?? null,
        attachments: (p.attachments ?? []).slice(0, 10).map((a) => a.data_url).filter((u): u is string => typeof u === 'string'),
      },
    });
    return { outcome: 'queued' as const };
  });
}

/** Forgets dedupe rows older than a week (Chatwoot retries a delivery for minutes, not days). */
export async function pruneSeen(db: Db, clock: Clock): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - 7 * 24 * 3600_000).toISOString();
  return Number((await db.deleteFrom('chatwoot_seen').where('seen_at', '<', cutoff).executeTakeFirst()).numDeletedRows);
}
