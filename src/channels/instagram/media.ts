import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { isStoredMessage, MAX_ATTACHMENT_BYTES, storeAttachment, type AttachmentMeta, type InboundEvent } from '../../messaging/index.ts';
import { GraphError, type GraphClient } from './graph-client.ts';

export interface MediaDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  dataDir: string;
  graph: GraphClient;
}

const fetchable = (a: AttachmentMeta) => !a.id && !!a.url && a.mime !== 'text/uri-list';

/**
 * An incoming message's files fetched at once (Meta's CDN URLs expire) and stored, so ingest links
 * them to the message in its transaction. A file that fails or is too large keeps Meta's URL and
 * says why it was not stored (the thread shows it translated). A message already stored (a
 * redelivery) fetches nothing.
 */
export async function withStoredMedia(deps: MediaDeps, clientId: string, event: InboundEvent): Promise<InboundEvent> {
  const files = event.attachments ?? [];
  if (!files.some(fetchable)) return event;
  if (await isStoredMessage(deps.db, event.channelAccountId, event.platformMessageId)) return event;
  const attachments = await Promise.all(files.map(async (a) => {
    if (!fetchable(a)) return a;
    try {
      const got = await deps.graph.download(a.url!, MAX_ATTACHMENT_BYTES);
      const mime = got.mime && got.mime !== 'application/octet-stream' ? got.mime : a.mime;
      const stored = await storeAttachment(deps.db, deps.clock, deps.dataDir, { clientId, fileName: a.name, mime, bytes: got.bytes });
      return stored;
    } catch (err) {
      deps.log.warn('channel', 'instagram media download failed', { channel_account_id: event.channelAccountId, error: (err as Error).message.slice(0, 120) });
      return { ...a, notStored: err instanceof GraphError && err.kind === 'too_large' ? 'too_large' as const : 'download_failed' as const };
    }
  }));
  return { ...event, attachments };
}
