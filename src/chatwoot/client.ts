// The only speaker of Chatwoot's HTTP (its Application API, authenticated by `api_access_token`).
// One client per call site, built from a client's connection: timeouts on every call, a quick
// retry of reads on a network error or a 5xx, and one error type that carries Chatwoot's own
// reason (its JSON `message`, never the raw body of whatever answered).
import type { AttachmentMeta } from '../messaging/index.ts';

export interface ChatwootCredentials {
  /** Base URL without a trailing slash, e.g. https://chat.example.kz */
  url: string;
  accountId: number;
  apiToken: string;
}

export interface ClientOptions {
  timeoutMs?: number;
  /** Extra attempts of a read (GET) after a network error or a 5xx. Creates are never repeated here: the jobs reconcile by source_id. */
  readRetries?: number;
  fetch?: typeof fetch;
}

/** A failed call: `status` null when nothing answered; `reason` is Chatwoot's message (safe to show). */
export class ChatwootError extends Error {
  override name = 'ChatwootError';
  constructor(readonly status: number | null, readonly reason: string) {
    super(status ? `Chatwoot answered HTTP ${status}: ${reason}` : reason);
  }
  /** Whether trying again later can help (Chatwoot down, slow, rate limiting). */
  get retryable(): boolean {
    return this.status === null || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export type ChatwootStatus = 'open' | 'pending' | 'resolved' | 'snoozed';

export interface RemoteInbox { id: number; name: string; webhook_url?: string | null; secret?: string | null }
export interface RemoteContact { id: number; name?: string; identifier?: string | null; phone_number?: string | null }
export interface RemoteConversation { id: number; inbox_id: number; status: ChatwootStatus; additional_attributes?: Record<string, unknown> }
export interface RemoteMessage { id: number; content: string | null; message_type: number | string; private: boolean; source_id?: string | null }

export interface NewMessage {
  content: string;
  messageType: 'incoming' | 'outgoing';
  private?: boolean;
  /** Our id for it: Chatwoot keeps it, so a retry finds the message it created before. */
  sourceId?: string;
  contentAttributes?: Record<string, unknown>;
  /** Files to upload (multipart), each with its bytes. */
  files?: Array<AttachmentMeta & { bytes: Uint8Array }>;
}

/** Chatwoot's reason from an error body: `message`, `error`, or the first of `errors`; else a generic text. */
function reasonOf(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as { message?: unknown; error?: unknown; errors?: unknown };
    const pick = [j.message, j.error, Array.isArray(j.errors) ? j.errors[0] : undefined].find((x) => typeof x === 'string' && x.trim());
    if (pick) return String(pick).slice(0, 300);
  } catch { /* not JSON: its body is never quoted */ }
  return status === 401 ? 'The access token was refused' : status === 404 ? 'Not found (check the URL and the account id)' : 'The server gave no reason';
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ChatwootClient {
  private readonly timeoutMs: number;
  private readonly readRetries: number;
  private readonly doFetch: typeof fetch;

  constructor(private readonly creds: ChatwootCredentials, opts: ClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.readRetries = opts.readRetries ?? 1;
    this.doFetch = opts.fetch ?? fetch;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.creds.url}/api/v1/accounts/${this.creds.accountId}${path}`;
    const headers: Record<string, string> = { api_access_token: this.creds.apiToken, accept: 'application/json' };
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const attempts = method === 'GET' ? 1 + this.readRetries : 1;
    for (let i = 1; ; i++) {
      try {
        return await this.once<T>(method, url, headers, payload);
      } catch (err) {
        if (i >= attempts || !(err instanceof ChatwootError) || !err.retryable) throw err;
        await wait(200 * i);
      }
    }
  }

  private async once<T>(method: string, url: string, headers: Record<string, string>, body: string | FormData | undefined): Promise<T> {
    let res: Response;
    try {
      res = await this.doFetch(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new ChatwootError(null, `Chatwoot did not answer within ${this.timeoutMs / 1000} s`);
      throw new ChatwootError(null, `Could not connect to Chatwoot: ${e.cause?.code ?? e.message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new ChatwootError(res.status, reasonOf(res.status, text));
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ChatwootError(res.status, 'The answer was not Chatwoot’s JSON (check the URL)');
    }
  }

  /** Lists the account's inboxes: also the credentials check (token and account id). */
  async listInboxes(): Promise<RemoteInbox[]> {
    const r = await this.call<{ payload?: RemoteInbox[] }>('GET', '/inboxes');
    if (!Array.isArray(r?.payload)) throw new ChatwootError(200, 'The answer was not Chatwoot’s JSON (check the URL)');
    return r.payload;
  }

  createInbox(name: string, webhookUrl: string): Promise<RemoteInbox> {
    return this.call('POST', '/inboxes', { name, channel: { type: 'api', webhook_url: webhookUrl } });
  }

  updateInboxWebhook(inboxId: number, webhookUrl: string): Promise<RemoteInbox> {
    return this.call('PATCH', `/inboxes/${inboxId}`, { channel: { webhook_url: webhookUrl } });
  }

  async findContactByIdentifier(identifier: string): Promise<RemoteContact | undefined> {
    const r = await this.call<{ payload: RemoteContact[] }>('POST', '/contacts/filter', {
      payload: [{ attribute_key: 'identifier', filter_operator: 'equal_to', values: [identifier], query_operator: null }],
    });
    return r.payload.find((c) => c.identifier === identifier);
  }

  async createContact(input: { inboxId: number; name: string; identifier: string; phone?: string | null }): Promise<RemoteContact> {
    const r = await this.call<{ payload: { contact?: RemoteContact } & RemoteContact }>('POST', '/contacts', {
      inbox_id: input.inboxId, name: input.name, identifier: input.identifier, ...(input.phone ? { phone_number: input.phone } : {}),
    });
    return r.payload.contact ?? r.payload;
  }

  createContactInbox(contactId: number, inboxId: number, sourceId: string): Promise<{ source_id: string }> {
    return this.call('POST', `/contacts/${contactId}/contact_inboxes`, { inbox_id: inboxId, source_id: sourceId });
  }

  async contactConversations(contactId: number): Promise<RemoteConversation[]> {
    return (await this.call<{ payload: RemoteConversation[] }>('GET', `/contacts/${contactId}/conversations`)).payload;
  }

  createConversation(input: { sourceId: string; inboxId: number; contactId: number; status: ChatwootStatus; attributes: Record<string, unknown> }): Promise<RemoteConversation> {
    return this.call('POST', '/conversations', {
      source_id: input.sourceId, inbox_id: input.inboxId, contact_id: input.contactId, status: input.status, additional_attributes: input.attributes,
    });
  }

  toggleStatus(conversationId: number, status: ChatwootStatus): Promise<unknown> {
    return this.call('POST', `/conversations/${conversationId}/toggle_status`, { status });
  }

  /** The account's agents (id, name, e-mail). */
  async listAgents(): Promise<Array<{ id: number; name?: string; email?: string }>> {
    return this.call('GET', '/agents');
  }

  /** Assigns the conversation to an agent (null: nobody). */
  assign(conversationId: number, agentId: number | null): Promise<unknown> {
    return this.call('POST', `/conversations/${conversationId}/assignments`, { assignee_id: agentId });
  }

  /** Sets the conversation's labels (Chatwoot replaces the whole set). */
  setLabels(conversationId: number, labels: string[]): Promise<unknown> {
    return this.call('POST', `/conversations/${conversationId}/labels`, { labels });
  }

  async createMessage(conversationId: number, m: NewMessage): Promise<RemoteMessage> {
    const path = `/conversations/${conversationId}/messages`;
    if (!m.files?.length) {
      return this.call('POST', path, {
        content: m.content, message_type: m.messageType, private: !!m.private,
        ...(m.sourceId ? { source_id: m.sourceId } : {}), ...(m.contentAttributes ? { content_attributes: m.contentAttributes } : {}),
      });
    }
    const form = new FormData();
    form.set('content', m.content);
    form.set('message_type', m.messageType);
    form.set('private', String(!!m.private));
    if (m.sourceId) form.set('source_id', m.sourceId);
    if (m.contentAttributes) form.set('content_attributes', JSON.stringify(m.contentAttributes));
    for (const f of m.files) form.append('attachments[]', new Blob([f.bytes], { type: f.mime }), f.name);
    return this.call('POST', path, form);
  }

  async listMessages(conversationId: number): Promise<RemoteMessage[]> {
    return (await this.call<{ payload: RemoteMessage[] }>('GET', `/conversations/${conversationId}/messages`)).payload;
  }

  /**
   * Downloads a file an agent attached (its data_url), only from Chatwoot's own origin and at most
   * `maxBytes`; the name from the URL's last segment.
   */
  async download(url: string, maxBytes: number): Promise<{ bytes: Uint8Array; mime: string; name: string }> {
    let u: URL;
    try { u = new URL(url, this.creds.url); } catch { throw new ChatwootError(null, 'The attachment URL is not valid'); }
    if (u.origin !== new URL(this.creds.url).origin) throw new ChatwootError(400, 'The attachment is not on the Chatwoot server');
    let res: Response;
    try {
      res = await this.doFetch(u, { headers: { api_access_token: this.creds.apiToken }, signal: AbortSignal.timeout(this.timeoutMs * 3) });
    } catch (err) {
      throw new ChatwootError(null, `Could not download the attachment: ${(err as Error).message}`);
    }
    if (!res.ok) throw new ChatwootError(res.status, 'The attachment could not be downloaded');
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw new ChatwootError(413, 'The attachment is too large');
    const name = decodeURIComponent(u.pathname.split('/').pop() || 'file');
    return { bytes, mime: (res.headers.get('content-type') ?? 'application/octet-stream').split(';')[0].trim(), name };
  }

  deleteContact(contactId: number): Promise<unknown> {
    return this.call('DELETE', `/contacts/${contactId}`);
  }
}
