import http from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface CwInbox { id: number; name: string; channel_type: string; webhook_url: string; secret: string }
export interface CwContact { id: number; name: string; identifier: string | null; phone_number: string | null }
export interface CwConversation { id: number; inbox_id: number; contact_id: number; status: string; additional_attributes: Record<string, unknown>; labels: string[] }
export interface CwMessage {
  id: number; conversation_id: number; content: string; message_type: 'incoming' | 'outgoing'; private: boolean; source_id: string | null;
  content_attributes: Record<string, unknown>; sender: { id: number; name: string; type: 'user' | 'contact' | 'agent_bot' };
  attachments: Array<{ file_name: string; file_type: string; size: number; data_url?: string }>;
}

// Chatwoot's own signing (sha256=HMAC-SHA256(key, "{timestamp}.{body}")), written out here rather
// than borrowed from the receiver, so a mistake in our check cannot be echoed by the stand-in.
const signAsChatwoot = (key: string, timestamp: string, body: string) =>
  'sha256=' + createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');

/**
 * A local Chatwoot (real HTTP on 127.0.0.1) serving the Application API endpoints Habar calls, with
 * Chatwoot's payload shapes and `api_access_token` auth. Like the real one it posts a
 * message_created webhook to an API inbox's webhook_url for EVERY message created there (ours
 * included), signed per inbox (4.13+) or not at all (older versions); it can go down (503 from a
 * proxy, or no listener at all), slow down (answering after the caller gave up, having done the
 * work), answer a create with 500 after saving it (the reply lost), and send every webhook twice.
 */
export class ChatwootStandIn {
  token = 'cw-token-1';
  accountId = 7;
  /** ok; down: a proxy answers 503 with an HTML page. */
  mode: 'ok' | 'down' = 'ok';
  /** inbox: sign with the inbox's secret; mismatch: sign with a key other than the one the API returned (chatwoot#13809); none: older versions. */
  signing: 'inbox' | 'mismatch' | 'none' = 'inbox';
  /** The key signatures use in `mismatch` mode (what the owner must paste). */
  readonly hiddenKey = 'the-key-chatwoot-really-signs-with';
  /** Each webhook is posted twice (same X-Chatwoot-Delivery). */
  duplicateWebhooks = false;
  /** The next message create is saved, then answered 500 (as if the reply were lost). */
  loseNextCreateReply = false;
  /** Each API write (not a read) waits this long before it is handled, and is handled even if the caller gave up. */
  delayMs = 0;
  /** The time the webhooks are stamped with (a test passes its clock). */
  now: () => number = () => Date.now();

  inboxes: CwInbox[] = [];
  contacts: CwContact[] = [];
  contactInboxes: Array<{ contact_id: number; inbox_id: number; source_id: string }> = [];
  conversations: CwConversation[] = [];
  messages: CwMessage[] = [];
  toggles: Array<{ conversation_id: number; status: string }> = [];
  deletedContacts: number[] = [];
  agents: Array<{ id: number; name: string; email: string }> = [{ id: 5, name: 'Aigerim', email: 'aigerim@example.kz' }];
  assignments: Array<{ conversation_id: number; assignee_id: number | null }> = [];
  /** Requests by "METHOD /path" (without the account prefix), to assert what was called. */
  calls: string[] = [];
  /** Webhook posts made and what Habar answered. */
  webhookResults: Array<{ event: string; status: number }> = [];
  url = '';
  private port = 0;
  private nextId = 100;
  /** Files agents attached, served at their data_url (like Active Storage). */
  private blobs = new Map<string, { mime: string; bytes: Uint8Array }>();
  private server: http.Server | undefined;
  private inFlight = new Set<Promise<unknown>>();

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  /** No listener at all (connection refused) until `start()` again, on the same port. */
  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Waits for the webhook posts under way. */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private id(): number {
    return this.nextId++;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (this.mode === 'down') {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body><h1>503 Service Unavailable</h1>secret internal hostname cw-backend-3</body></html>');
      return;
    }
    const blob = this.blobs.get((req.url ?? '').split('?')[0]);
    if (req.method === 'GET' && blob) {
      res.writeHead(200, { 'content-type': blob.mime }).end(Buffer.from(blob.bytes));
      return;
    }
    const m = /^\/api\/v1\/accounts\/(\d+)(\/.*)$/.exec((req.url ?? '').split('?')[0]);
    if (!m) return send(404, { error: 'Not Found' });
    if (req.headers.api_access_token !== this.token) return send(401, { error: 'You need to sign in or sign up before continuing.' });
    if (Number(m[1]) !== this.accountId) return send(401, { error: 'You are not authorized to access this account' });
    const path = m[2];
    this.calls.push(`${req.method} ${path}`);
    let body: Record<string, unknown> = {};
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('application/json') && raw.length) body = JSON.parse(raw.toString('utf8'));
    else if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      body = { content: form.get('content'), message_type: form.get('message_type'), private: form.get('private') === 'true', source_id: form.get('source_id'), files: form.getAll('attachments[]') };
    }
    if (this.delayMs && req.method !== 'GET') await new Promise((r) => setTimeout(r, this.delayMs));
    try {
      const out = await this.route(req.method ?? 'GET', path, body);
      send(out[0], out[1]);
    } catch (err) {
      send(500, { error: (err as Error).message });
    }
  }

  private async route(method: string, path: string, b: Record<string, unknown>): Promise<[number, unknown]> {
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/inboxes') return [200, { payload: this.inboxes.map((i) => this.inboxJson(i)) }];
    if (method === 'POST' && path === '/inboxes') {
      const ch = b.channel as { type?: string; webhook_url?: string };
      if (ch?.type !== 'api') return [422, { message: 'Channel type is not supported' }];
      const inbox: CwInbox = { id: this.id(), name: String(b.name), channel_type: 'Channel::Api', webhook_url: ch.webhook_url ?? '', secret: `inbox-secret-${randomUUID()}` };
      this.inboxes.push(inbox);
      return [200, this.inboxJson(inbox)];
    }
    if (method === 'PATCH' && (m = /^\/inboxes\/(\d+)$/.exec(path))) {
      const inbox = this.inboxes.find((i) => i.id === Number(m![1]));
      if (!inbox) return [404, { error: 'Resource could not be found' }];
      inbox.webhook_url = (b.channel as { webhook_url?: string })?.webhook_url ?? inbox.webhook_url;
      return [200, this.inboxJson(inbox)];
    }
    if (method === 'POST' && path === '/contacts/filter') {
      const f = (b.payload as Array<{ attribute_key: string; values: string[] }>)[0];
      const hits = this.contacts.filter((c) => f.attribute_key === 'identifier' && f.values.includes(c.identifier ?? ''));
      return [200, { meta: { count: hits.length }, payload: hits }];
    }
    if (method === 'POST' && path === '/contacts') {
      if (b.identifier && this.contacts.some((c) => c.identifier === b.identifier)) return [422, { message: 'Identifier has already been taken', attributes: ['identifier'] }];
      const c: CwContact = { id: this.id(), name: String(b.name ?? ''), identifier: (b.identifier as string) ?? null, phone_number: (b.phone_number as string) ?? null };
      this.contacts.push(c);
      const ci = { contact_id: c.id, inbox_id: Number(b.inbox_id), source_id: randomUUID() };
      this.contactInboxes.push(ci);
      return [200, { payload: { contact: c, contact_inbox: { source_id: ci.source_id, inbox_id: ci.inbox_id } } }];
    }
    if (method === 'DELETE' && (m = /^\/contacts\/(\d+)$/.exec(path))) {
      const id = Number(m[1]);
      if (!this.contacts.some((c) => c.id === id)) return [404, { error: 'Resource could not be found' }];
      this.contacts = this.contacts.filter((c) => c.id !== id);
      const gone = new Set(this.conversations.filter((c) => c.contact_id === id).map((c) => c.id));
      this.conversations = this.conversations.filter((c) => !gone.has(c.id));
      this.messages = this.messages.filter((x) => !gone.has(x.conversation_id));
      this.deletedContacts.push(id);
      return [200, {}];
    }
    if (method === 'POST' && (m = /^\/contacts\/(\d+)\/contact_inboxes$/.exec(path))) {
      const ci = { contact_id: Number(m[1]), inbox_id: Number(b.inbox_id), source_id: String(b.source_id) };
      if (this.contactInboxes.some((x) => x.inbox_id === ci.inbox_id && x.source_id === ci.source_id)) return [422, { message: 'Source has already been taken' }];
      this.contactInboxes.push(ci);
      return [200, { source_id: ci.source_id, inbox: { id: ci.inbox_id } }];
    }
    if (method === 'GET' && (m = /^\/contacts\/(\d+)\/conversations$/.exec(path))) {
      return [200, { payload: this.conversations.filter((c) => c.contact_id === Number(m![1])) }];
    }
    if (method === 'POST' && path === '/conversations') {
      const c: CwConversation = { id: this.id(), inbox_id: Number(b.inbox_id), contact_id: Number(b.contact_id), status: String(b.status ?? 'open'), additional_attributes: (b.additional_attributes as Record<string, unknown>) ?? {}, labels: [] };
      this.conversations.push(c);
      return [200, c];
    }
    if (method === 'POST' && (m = /^\/conversations\/(\d+)\/toggle_status$/.exec(path))) {
      const c = this.conversations.find((x) => x.id === Number(m![1]));
      if (!c) return [404, { error: 'Resource could not be found' }];
      this.toggles.push({ conversation_id: c.id, status: String(b.status) });
      this.setStatus(c, String(b.status));
      return [200, { meta: {}, payload: { success: true, current_status: c.status, conversation_id: c.id } }];
    }
    if (method === 'GET' && path === '/agents') return [200, this.agents];
    if (method === 'POST' && (m = /^\/conversations\/(\d+)\/assignments$/.exec(path))) {
      const c = this.conversations.find((x) => x.id === Number(m![1]));
      if (!c) return [404, { error: 'Resource could not be found' }];
      this.assignments.push({ conversation_id: c.id, assignee_id: (b.assignee_id as number | null) ?? null });
      return [200, b.assignee_id ? this.agents.find((a) => a.id === b.assignee_id) ?? {} : {}];
    }
    if (method === 'POST' && (m = /^\/conversations\/(\d+)\/labels$/.exec(path))) {
      const c = this.conversations.find((x) => x.id === Number(m![1]));
      if (!c) return [404, { error: 'Resource could not be found' }];
      c.labels = [...new Set((b.labels as string[]) ?? [])];
      return [200, { payload: c.labels }];
    }
    if (method === 'GET' && (m = /^\/conversations\/(\d+)\/messages$/.exec(path))) {
      return [200, { meta: {}, payload: this.messages.filter((x) => x.conversation_id === Number(m![1])) }];
    }
    if (method === 'POST' && (m = /^\/conversations\/(\d+)\/messages$/.exec(path))) {
      const c = this.conversations.find((x) => x.id === Number(m![1]));
      if (!c) return [404, { error: 'Resource could not be found' }];
      const files = (b.files as File[] | undefined) ?? [];
      const msg = this.addMessage(c, {
        content: String(b.content ?? ''), message_type: b.message_type === 'incoming' ? 'incoming' : 'outgoing', private: b.private === true,
        source_id: (b.source_id as string) ?? null, content_attributes: (b.content_attributes as Record<string, unknown>) ?? {},
        sender: b.message_type === 'incoming' ? { id: c.contact_id, name: 'contact', type: 'contact' } : { id: 1, name: 'Habar API', type: 'user' },
        attachments: files.map((f) => ({ file_name: f.name, file_type: f.type, size: f.size })),
      });
      if (this.loseNextCreateReply) {
        this.loseNextCreateReply = false;
        return [500, { error: 'Internal Server Error' }];
      }
      return [200, msg];
    }
    return [404, { error: `No route ${method} ${path}` }];
  }

  private inboxJson(i: CwInbox) {
    return { id: i.id, name: i.name, channel_type: i.channel_type, webhook_url: i.webhook_url, ...(this.signing === 'none' ? {} : { secret: i.secret }) };
  }

  private addMessage(c: CwConversation, m: Omit<CwMessage, 'id' | 'conversation_id'>): CwMessage {
    const msg: CwMessage = { id: this.id(), conversation_id: c.id, ...m };
    this.messages.push(msg);
    this.webhook(c.inbox_id, { event: 'message_created', ...msg, message_type: msg.message_type, conversation: { id: c.id, status: c.status, inbox_id: c.inbox_id }, inbox: { id: c.inbox_id }, account: { id: this.accountId } });
    return msg;
  }

  private setStatus(c: CwConversation, status: string): void {
    if (c.status === status) return;
    c.status = status;
    this.webhook(c.inbox_id, { event: 'conversation_status_changed', id: c.id, status, inbox_id: c.inbox_id, account: { id: this.accountId } });
  }

  /** An agent writes in Chatwoot (a public reply, or a private note). */
  agentWrites(conversationId: number, content: string, opts: { private?: boolean; agent?: string; inReplyTo?: number; files?: Array<{ name: string; mime: string; bytes: Uint8Array }> } = {}): CwMessage {
    const c = this.conversations.find((x) => x.id === conversationId);
    if (!c) throw new Error(`no conversation ${conversationId}`);
    const attachments = (opts.files ?? []).map((f) => {
      const path = `/rails/active_storage/blobs/${this.id()}/${encodeURIComponent(f.name)}`;
      this.blobs.set(path, { mime: f.mime, bytes: f.bytes });
      return { file_name: f.name, file_type: f.mime.startsWith('image/') ? 'image' : 'file', size: f.bytes.byteLength, data_url: `${this.url}${path}` };
    });
    return this.addMessage(c, {
      content, message_type: 'outgoing', private: !!opts.private, source_id: null, content_attributes: opts.inReplyTo ? { in_reply_to: opts.inReplyTo } : {},
      sender: { id: 5, name: opts.agent ?? 'Aigerim', type: 'user' }, attachments,
    });
  }

  /** An agent resolves, reopens or sets a conversation pending in Chatwoot's UI. */
  agentSetsStatus(conversationId: number, status: 'open' | 'resolved' | 'pending'): void {
    this.setStatus(this.conversations.find((x) => x.id === conversationId)!, status);
  }

  /** Posts an event to an inbox's webhook URL as Chatwoot does (signed per `signing`); resolves with Habar's status. */
  post(inboxId: number, payload: Record<string, unknown>, opts: { delivery?: string; timestamp?: number; key?: string } = {}): Promise<number> {
    const inbox = this.inboxes.find((i) => i.id === inboxId)!;
    const body = JSON.stringify(payload);
    const ts = String(opts.timestamp ?? Math.floor(this.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-chatwoot-delivery': opts.delivery ?? randomUUID() };
    const key = opts.key ?? (this.signing === 'inbox' ? inbox.secret : this.signing === 'mismatch' ? this.hiddenKey : undefined);
    if (key) Object.assign(headers, { 'x-chatwoot-timestamp': ts, 'x-chatwoot-signature': signAsChatwoot(key, ts, body) });
    return fetch(inbox.webhook_url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) }).then(async (r) => {
      await r.arrayBuffer();
      this.webhookResults.push({ event: String(payload.event), status: r.status });
      return r.status;
    });
  }

  private webhook(inboxId: number, payload: Record<string, unknown>): void {
    const inbox = this.inboxes.find((i) => i.id === inboxId);
    if (!inbox?.webhook_url) return;
    const delivery = randomUUID();
    const times = this.duplicateWebhooks ? 2 : 1;
    for (let i = 0; i < times; i++) {
      const p = this.post(inboxId, payload, { delivery }).catch(() => 0);
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }
  }

  conversationOf(habarConversationId: string): CwConversation | undefined {
    return this.conversations.find((c) => c.additional_attributes.habar_conversation_id === habarConversationId);
  }

  messagesIn(conversationId: number): CwMessage[] {
    return this.messages.filter((m) => m.conversation_id === conversationId);
  }
}
