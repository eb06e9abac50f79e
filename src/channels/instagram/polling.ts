import type { InboundEvent, IngestResult } from '../../messaging/index.ts';
import type { GraphClient, GraphHost } from './graph-client.ts';

/** How often a polling account asks the Conversations API (well inside its rate limits). */
export const POLL_EVERY_MS = 30_000;

/** Where messages come from: Meta's webhooks, or (without a public HTTPS URL Meta can reach) polling. */
export type DeliveryMode = { mode: 'webhook' } | { mode: 'polling'; reason: 'not_https' | 'private_address' };

const PRIVATE_HOST = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|\[?::1\]?$|\[?f[cd])|\.local$|\.internal$|\.lan$/i;

/**
 * The delivery mode the server's public URL allows: Meta delivers webhooks only to a public
 * HTTPS address, so an on-prem server behind NAT (http, or a private address) polls instead.
 */
export function deliveryMode(publicUrl: string): DeliveryMode {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return { mode: 'polling', reason: 'not_https' };
  }
  if (url.protocol !== 'https:') return { mode: 'polling', reason: 'not_https' };
  if (PRIVATE_HOST.test(url.hostname)) return { mode: 'polling', reason: 'private_address' };
  return { mode: 'webhook' };
}

interface ConversationMessage {
  id: string;
  created_time: string;
  message?: string;
  from?: { id?: string };
  to?: { data?: Array<{ id?: string }> };
}

export interface PollTarget {
  graph: GraphClient;
  host: GraphHost;
  token: string;
  accountId: string;
  igId: string;
  /** The object whose conversations are listed (the Page for Facebook Login, else the account). */
  owner: string;
  ingest(event: InboundEvent): Promise<IngestResult>;
}

/**
 * One poll of the Conversations API: the conversations updated since `since` (an ISO time; none:
 * the last 24 hours), and in each its messages since then, oldest first, through the host's
 * ingest (a mid already stored writes nothing; the account's own messages are echoes, direction
 * out). Returns the newest update time seen, for the next poll.
 */
export async function pollConversations(t: PollTarget, since: string): Promise<{ since: string; stored: number }> {
  const list = await t.graph.get<{ data?: Array<{ id: string; updated_time: string }> }>(`/${t.owner}/conversations`, {
    token: t.token, host: t.host, query: { platform: 'instagram', fields: 'id,updated_time', limit: '25' },
  });
  let newest = since;
  let stored = 0;
  // Oldest first, so the inbox receives them in the order they were written.
  const updated = (list.data ?? []).filter((c) => c.updated_time > since).sort((a, b) => a.updated_time.localeCompare(b.updated_time));
  for (const conv of updated) {
    if (conv.updated_time > newest) newest = conv.updated_time;
    const detail = await t.graph.get<{ messages?: { data?: ConversationMessage[] } }>(`/${conv.id}`, {
      token: t.token, host: t.host, query: { fields: 'messages.limit(25){id,created_time,message,from,to}' },
    });
    const fresh = (detail.messages?.data ?? []).filter((m) => m.created_time > since).reverse();
    for (const m of fresh) {
      const fromId = m.from?.id ?? '';
      const echo = fromId === t.igId;
      const customer = echo ? m.to?.data?.[0]?.id : fromId;
      if (!customer) continue;
      const r = await t.ingest({
        channelAccountId: t.accountId, platformMessageId: m.id, from: { identities: [{ kind: 'ig_id', value: customer }] },
        text: (m.message ?? '').slice(0, 4096), ...(echo ? { direction: 'out' as const } : {}),
      });
      if (!r.duplicate) stored++;
    }
  }
  return { since: newest, stored };
}
