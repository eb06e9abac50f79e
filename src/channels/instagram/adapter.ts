import { PermanentJobError } from '../../jobs/index.ts';
import {
  findConversation, findMessage, mayReplyNow, publicMediaToken, PUBLIC_MEDIA_TTL_MS, replyWindowNow, SendOutcomeUnknownError,
  type ChannelRules, type OutboundMessage, type SendResult,
} from '../../messaging/index.ts';
import { writeCredentials, type ChannelAccount } from '../accounts.ts';
import type { ChannelAdapter, ChannelHost } from '../channel.ts';
import { channelStatusFor, GraphClient, GraphError } from './graph-client.ts';
import { lookUpAccount } from './connect.ts';
import { graphHostOf, igAccountIdOf, pageIdOf, readInstagramCredentials, type InstagramCredentials } from './instagram-accounts.ts';
import { loadMetaConfig } from './meta-config.ts';
import { withStoredMedia } from './media.ts';
import { deliveryMode, pollConversations, POLL_EVERY_MS } from './polling.ts';

/** The client setting that lets people answer past the 24-hour window with Meta's HUMAN_AGENT tag. */
export const HUMAN_AGENT_SETTING = 'instagram.human_agent_tag';

/** A long-lived user token is exchanged for a fresh one this long before it expires (they last 60 days). */
const REFRESH_BEFORE_MS = 10 * 24 * 3600_000;

// Meta's attachment types, by the MIME type prefix of the file.
const ATTACHMENT_TYPE: Array<[string, string]> = [['image/', 'image'], ['video/', 'video'], ['audio/', 'audio']];

/**
 * The Send API's message body for one outbound message (text, or one file by URL: a stored file's
 * is a signed, expiring link to Habar that `fileUrl` makes), or why it cannot be sent.
 */
function messageBody(m: OutboundMessage, maxText: number, fileUrl: (id: string) => string): Record<string, unknown> {
  if (m.text.length > maxText) throw new PermanentJobError(`Instagram takes at most ${maxText} characters in one message`, { key: 'send.text_too_long', params: { max: maxText } });
  if (m.attachments.length === 0) return { text: m.text };
  const [file] = m.attachments;
  const type = ATTACHMENT_TYPE.find(([prefix]) => file.mime.startsWith(prefix))?.[1];
  if (m.attachments.length > 1 || m.text.trim() || !(file.url || file.id) || !type) {
    throw new PermanentJobError('Instagram takes one image, video or audio file by its public URL, without text, per message', { key: 'send.one_file_by_url' });
  }
  return { attachment: { type, payload: { url: file.url ?? fileUrl(file.id!) } } };
}

/**
 * An Instagram account's adapter: sends through the Graph Send API within the messaging window
 * (the driver's rules: 24 hours from the customer's last message; then only a person's reply,
 * tagged HUMAN_AGENT, up to 7 days where the client allows it), and turns a token Meta no longer
 * accepts into "reconnect needed". Messages arrive through the webhook (InstagramWebhook).
 */
export function createInstagramAdapter(account: ChannelAccount, host: ChannelHost, rules: ChannelRules, opts: { pollEveryMs?: number } = {}): ChannelAdapter {
  const igId = igAccountIdOf(account) ?? '';
  // Connected through a Page (Facebook Login): the Send API is the Page's.
  const sender = pageIdOf(account) ?? igId;
  const graphHost = graphHostOf(account);

  async function graphAndToken(): Promise<{ graph: GraphClient; token: string } | undefined> {
    const creds = await readInstagramCredentials(host.db, host.vault, account.id);
    if (!creds) return undefined;
    return { graph: new GraphClient(await loadMetaConfig(host.db, host.vault)), token: creds.access_token };
  }

  /** A stored file at a signed link Meta can fetch: only where Habar has a public HTTPS address. */
  function fileUrl(attachmentId: string): string {
    const publicUrl = host.publicUrl?.();
    if (!publicUrl || deliveryMode(publicUrl).mode === 'polling') {
      throw new PermanentJobError('Instagram fetches a file from a public HTTPS address, and this server has none (polling mode): set --public-url to one to send files', { key: 'send.no_public_url' });
    }
    const token = publicMediaToken(host.vault, attachmentId, new Date(host.clock.now().getTime() + PUBLIC_MEDIA_TTL_MS));
    return `${publicUrl.replace(/\/$/, '')}/media/${token}`;
  }

  /** A refusal Meta gave: the account's status follows it (an expired token: reconnect needed). */
  async function reportFailure(err: GraphError): Promise<void> {
    const status = channelStatusFor(err);
    if (status) await host.setStatus(account.id, status, err.message);
    host.log.warn('channel', 'instagram call failed', { channel_account_id: account.id, kind: err.kind, code: err.code, subcode: err.subcode });
  }

  async function checkWindow(m: OutboundMessage): Promise<string | undefined> {
    const [conversation, stored] = await Promise.all([findConversation(host.db, m.conversationId), findMessage(host.db, m.messageId)]);
    if (!conversation || !stored) throw new PermanentJobError('The conversation no longer exists', { key: 'send.conversation_gone' });
    const may = mayReplyNow(await replyWindowNow(host, rules, conversation), stored.authorKind);
    if (!may.ok) throw new PermanentJobError(may.reason, { key: may.key });
    return may.tag;
  }

  /**
   * A fresh long-lived token in place of one that expires soon (Facebook Login: the user token the
   * Page token came from; Instagram Login: the account's own token); the credentials as they are now.
   */
  async function refreshed(graph: GraphClient, creds: InstagramCredentials): Promise<InstagramCredentials> {
    const { appId, appSecret } = graph.config;
    const expires = creds.expires_at ? new Date(creds.expires_at).getTime() : undefined;
    if (expires === undefined || expires - host.clock.now().getTime() > REFRESH_BEFORE_MS) return creds;
    const expiresAt = (s?: number) => (s ? new Date(host.clock.now().getTime() + s * 1000).toISOString() : null);
    let next: InstagramCredentials;
    if (graphHost === 'instagram') {
      const long = await graph.get<{ access_token: string; expires_in?: number }>('/refresh_access_token', {
        host: 'instagram', unversioned: true, query: { grant_type: 'ig_refresh_token', access_token: creds.access_token },
      });
      next = { ...creds, access_token: long.access_token, expires_at: expiresAt(long.expires_in) };
    } else {
      if (!creds.user_token || !appId || !appSecret) return creds;
      const long = await graph.get<{ access_token: string; expires_in?: number }>('/oauth/access_token', {
        query: { grant_type: 'fb_exchange_token', client_id: appId, client_secret: appSecret, fb_exchange_token: creds.user_token },
      });
      next = { ...creds, user_token: long.access_token, expires_at: expiresAt(long.expires_in) };
    }
    await writeCredentials(host.db, host.clock, host.vault, account.id, JSON.stringify(next));
    host.log.info('channel', 'instagram token refreshed', { channel_account_id: account.id });
    return next;
  }

  async function upkeep(): Promise<void> {
    const api = await graphAndToken();
    const creds = await readInstagramCredentials(host.db, host.vault, account.id);
    if (!api || !creds) return host.setStatus(account.id, 'reconnect_needed', 'No token is stored: connect the account again');
    try {
      const fresh = await refreshed(api.graph, creds);
      await lookUpAccount(api.graph, igId, fresh.access_token, graphHost);
      await host.setStatus(account.id, 'connected');
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      await reportFailure(err);
    }
  }

  // Polling mode (no public HTTPS URL for Meta's webhooks): the Conversations API every 30 s (`opts.pollEveryMs`).
  let timer: NodeJS.Timeout | undefined;
  let since = new Date(host.clock.now().getTime() - 24 * 3600_000).toISOString();
  let polling: Promise<void> | undefined;
  async function poll(): Promise<void> {
    const api = await graphAndToken();
    if (!api) return;
    try {
      const media = { db: host.db, clock: host.clock, log: host.log, dataDir: host.dataDir, graph: api.graph };
      const r = await pollConversations({
        graph: api.graph, host: graphHost, token: api.token, accountId: account.id, igId, owner: sender, ingest: host.ingest,
        withMedia: (event) => withStoredMedia(media, account.clientId, event),
      }, since);
      since = r.since;
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      await reportFailure(err);
    }
  }

  return {
    idempotent: false,
    // Both refresh a token that expires soon, then check it still opens the account (else: reconnect needed).
    async start() {
      await upkeep();
      if (!host.publicUrl || deliveryMode(host.publicUrl()).mode !== 'polling') return;
      host.log.info('channel', 'instagram polling mode: the public URL cannot take Meta\'s webhooks', { channel_account_id: account.id });
      timer = setInterval(() => {
        polling ??= poll().catch((err) => host.log.error('channel', 'instagram poll failed', { channel_account_id: account.id, error: err as Error })).finally(() => (polling = undefined));
      }, opts.pollEveryMs ?? POLL_EVERY_MS);
      timer.unref();
    },
    maintain: () => upkeep(),
    async stop() {
      if (timer) clearInterval(timer);
      await polling;
    },
    async send(m: OutboundMessage): Promise<SendResult> {
      const recipient = m.to.find((i) => i.kind === 'ig_id')?.value;
      if (!recipient) throw new PermanentJobError('This contact has no Instagram id on this account', { key: 'send.no_recipient' });
      const message = messageBody(m, rules.limits.maxTextLength, fileUrl);
      const tag = await checkWindow(m);
      const api = await graphAndToken();
      if (!api) throw new PermanentJobError('No token is stored for this Instagram account: connect it again', { key: 'send.reconnect' });
      try {
        const r = await api.graph.post<{ message_id?: string }>(`/${sender}/messages`, {
          token: api.token, host: graphHost, body: { recipient: { id: recipient }, message, ...(tag ? { messaging_type: 'MESSAGE_TAG', tag } : {}) },
        });
        if (!r.message_id) throw new SendOutcomeUnknownError('Meta answered without a message id');
        return { platformMessageId: r.message_id };
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
        await reportFailure(err);
        if (err.kind === 'timeout') throw new SendOutcomeUnknownError(err.message);
        if (err.transient) throw err;
        if (channelStatusFor(err)) throw new PermanentJobError(`Meta refused the account's token (${err.message}): connect the account again`, { key: 'send.reconnect' });
        throw new PermanentJobError(`Instagram refused the message: ${err.message}`, { key: 'send.platform_refused', params: { error: err.message } });
      }
    },
  };
}
