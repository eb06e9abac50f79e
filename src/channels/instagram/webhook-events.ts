import type { AttachmentMeta, InboundEvent } from '../../messaging/index.ts';

// Meta's Instagram messaging webhook payload (developers.facebook.com/docs/instagram-platform/webhooks):
// {"object":"instagram","entry":[{"id":"<IG account id>","time":…,"messaging":[{sender,recipient,timestamp,message|reaction|postback|read}]}]}

interface IgAttachment {
  type?: string;
  payload?: { url?: string; title?: string };
}

export interface IgMessaging {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: {
    mid?: string;
    text?: string;
    is_echo?: boolean;
    is_deleted?: boolean;
    is_unsupported?: boolean;
    attachments?: IgAttachment[];
    reply_to?: { mid?: string; story?: { url?: string; id?: string } };
  };
  reaction?: { mid?: string; action?: 'react' | 'unreact'; reaction?: string; emoji?: string };
  postback?: { mid?: string; title?: string; payload?: string };
  read?: { mid?: string };
}

export interface IgEntry {
  id?: string;
  time?: number;
  messaging?: IgMessaging[];
  changes?: unknown[];
}

/**
 * What one messaging item becomes: an event to ingest, a customer's unsent message (its mid), a
 * read receipt for our messages (up to its mid), or a reason it was left alone (logged).
 */
export type ItemOutcome = { event: InboundEvent } | { unsent: string } | { read: string; at?: string } | { skipped: string };

// The file types Meta names, as MIME types (the URL's own type is unknown until fetched).
const MIME: Record<string, string> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mp4', file: 'application/octet-stream' };
const SHARES = new Set(['share', 'ig_reel', 'reel', 'ig_post', 'story_mention']);
/** An attachment type Habar does not know (the thread shows "unsupported", translated). */
export const UNSUPPORTED: AttachmentMeta = { name: 'Unsupported attachment', label: 'unsupported', mime: 'application/octet-stream', size: 0 };
const LABEL: Record<string, string> = {
  image: 'Image', video: 'Video', audio: 'Audio', file: 'File', share: 'Shared post', ig_reel: 'Shared reel', reel: 'Shared reel',
  ig_post: 'Shared post', story_mention: 'Story mention',
};

/**
 * Files on an Instagram message, as metadata with Meta's URL (not fetched here: the thread links
 * to it while Meta keeps it). An attachment type Habar does not know is kept as "unsupported".
 */
function attachmentsOf(m: NonNullable<IgMessaging['message']>): AttachmentMeta[] {
  const out: AttachmentMeta[] = [];
  if (m.reply_to?.story?.url) out.push({ name: 'Story reply', label: 'story_reply', mime: 'text/uri-list', size: 0, url: m.reply_to.story.url });
  for (const a of m.attachments ?? []) {
    const type = a.type ?? '';
    const url = a.payload?.url;
    if (MIME[type]) out.push({ name: LABEL[type], label: type, mime: MIME[type], size: 0, ...(url ? { url } : {}) });
    else if (SHARES.has(type)) out.push({ name: LABEL[type], label: type, mime: 'text/uri-list', size: 0, ...(url ? { url } : {}) });
    else out.push(UNSUPPORTED);
  }
  if (m.is_unsupported && out.length === 0) out.push(UNSUPPORTED);
  return out;
}

/**
 * One messaging item of an entry for the channel account `accountId` (whose Instagram id is
 * `igId`) as a normalised event: a customer's message (direction in), or an echo of what the
 * business account sent (direction out, addressed by the customer it went to). Reactions and
 * postbacks are the customer's messages too; an unsent message and a read receipt change what is stored.
 */
export function eventOfItem(accountId: string, igId: string, item: IgMessaging): ItemOutcome {
  const sender = item.sender?.id;
  const recipient = item.recipient?.id;
  if (!sender || !recipient) return { skipped: 'no sender or recipient' };
  if (item.message) {
    const m = item.message;
    if (!m.mid) return { skipped: 'message without mid' };
    if (m.is_deleted) return { unsent: m.mid };
    const echo = !!m.is_echo || sender === igId;
    const customer = echo ? recipient : sender;
    const attachments = attachmentsOf(m);
    return {
      event: {
        channelAccountId: accountId, platformMessageId: m.mid, from: { identities: [{ kind: 'ig_id', value: customer }] },
        text: (m.text ?? '').slice(0, 4096), ...(attachments.length ? { attachments } : {}), ...(echo ? { direction: 'out' as const } : {}),
      },
    };
  }
  if (item.reaction) {
    const r = item.reaction;
    if (r.action !== 'react' || !r.mid) return { skipped: 'reaction removed' };
    return {
      event: {
        channelAccountId: accountId, platformMessageId: `reaction:${r.mid}:${item.timestamp ?? 0}`,
        from: { identities: [{ kind: 'ig_id', value: sender }] }, text: r.emoji || r.reaction || '❤',
      },
    };
  }
  if (item.postback?.mid) {
    return {
      event: {
        channelAccountId: accountId, platformMessageId: item.postback.mid, from: { identities: [{ kind: 'ig_id', value: sender }] },
        text: (item.postback.title ?? item.postback.payload ?? '').slice(0, 4096),
      },
    };
  }
  if (item.read?.mid) return { read: item.read.mid, ...(item.timestamp ? { at: new Date(item.timestamp).toISOString() } : {}) };
  return { skipped: 'unknown messaging item' };
}
