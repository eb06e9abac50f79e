import type { AttachmentMeta, InboundEvent, IngestResult } from '../../messaging/index.ts';
import type { GraphClient, GraphHost } from './graph-client.ts';
import { UNSUPPORTED } from './webhook-events.ts';

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

// A message as the Conversations API lists it (developers.facebook.com/docs/graph-api/reference/message):
// its files are the `attachments` edge (image_data / video_data / file_url), a shared post the `shares` edge.
interface ConversationAttachment {
  name?: string;
  mime_type?: string;
  size?: number;
  image_data?: { url?: string };
  video_data?: { url?: string };
  file_url?: string;
}

interface ConversationMessage {
  id: string;
  created_time: string;
  message?: string;
  from?: { id?: string };
  to?: { data?: Array<{ id?: string }> };
  attachments?: { data?: ConversationAttachment[] };
  shares?: { data?: Array<{ link?: string }> };
  is_unsupported?: boolean;
}

/** The message fields a poll asks for: text, sender and recipient, files and shares. */
export const POLLED_MESSAGE_FIELDS = 'id,created_time,message,from,to,attachments{name,mime_type,size,image_data,video_data,file_url},shares{link},is_unsupported';

/** A polled message's files and shares as attachment metadata with Meta's URL (fetched before ingest, as a webhook's are). */
function polledAttachments(m: ConversationMessage): AttachmentMeta[] {
  const out: AttachmentMeta[] = [];
  for (const a of m.attachments?.data ?? []) {
    const url = a.image_data?.url ?? a.video_data?.url ?? a.file_url;
    const mime = a.mime_type ?? (a.image_data ? 'image/jpeg' : a.video_data ? 'video/mp4' : 'application/octet-stream');
    const label = a.name ? undefined : a.image_data ? 'image' : a.video_data ? 'video' : 'file';
    out.push({ name: a.name ?? (label === 'image' ? 'Image' : label === 'video' ? 'Video' : 'File'), ...(label ? { label } : {}), mime, size: a.size ?? 0, ...(url ? { url } : {}) });
  }
  for (const s of m.shares?.data ?? []) if (s.link) out.push({ name: 'Shared post', label: 'share', mime: 'text/uri-list', size: 0, url: s.link });
  if (m.is_unsupported && out.length === 0) out.push(UNSUPPORTED);
  return out;
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
  /** Fetches an event's files before it is stored (Meta's CDN links expire), as the webhook does. */
  withMedia(event: InboundEvent): Promise<InboundEvent>;
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
  // Meta writes times to the second as `+0000`, `since` may be `Z` with milliseconds: compared as
  // instants, and `>=` so that a message in the same second as the last poll's newest is not lost
  // (the mids already stored write nothing).
  const from = Date.parse(since) || 0;
  const fresh = (time: string) => Date.parse(time) >= from;
  // Oldest first, so the inbox receives them in the order they were written.
  const updated = (list.data ?? []).filter((c) => fresh(c.updated_time)).sort((a, b) => Date.parse(a.updated_time) - Date.parse(b.updated_time));
  for (const conv of updated) {
    if (Date.parse(conv.updated_time) > Date.parse(newest)) newest = conv.updated_time;
    const detail = await t.graph.get<{ messages?: { data?: ConversationMessage[] } }>(`/${conv.id}`, {
      token: t.token, host: t.host, query: { fields: `messages.limit(25){${POLLED_MESSAGE_FIELDS}}` },
    });
    for (const m of (detail.messages?.data ?? []).filter((x) => fresh(x.created_time)).reverse()) {
      const fromId = m.from?.id ?? '';
      const echo = fromId === t.igId;
      const customer = echo ? m.to?.data?.[0]?.id : fromId;
      if (!customer) continue;
      const attachments = polledAttachments(m);
      const r = await t.ingest(await t.withMedia({
        channelAccountId: t.accountId, platformMessageId: m.id, from: { identities: [{ kind: 'ig_id', value: customer }] },
        text: (m.message ?? '').slice(0, 4096), ...(attachments.length ? { attachments } : {}), ...(echo ? { direction: 'out' as const } : {}),
      }));
      if (!r.duplicate) stored++;
    }
  }
  return { since: newest, stored };
}
