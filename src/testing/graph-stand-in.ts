// A local Meta Graph API for tests: real HTTP on 127.0.0.1 speaking Graph's wire format for what
// Habar calls (account lookup, subscribed_apps, the send API), with Meta's error shapes on demand
// (expired token, outside the window, rate limit, 5xx, a hang). It records every request, and
// signs webhook deliveries the way Meta does (X-Hub-Signature-256).
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface GraphRequestRecord {
  method: string;
  /** The path without the version, e.g. "/17841400000000001/messages". */
  path: string;
  query: Record<string, string>;
  json?: Record<string, unknown>;
  /** A form-encoded body (Instagram Login's code exchange). */
  form?: Record<string, string>;
}

export interface StandInAccount {
  igId: string;
  username: string;
  name?: string;
  token: string;
}

/** A Facebook Page with its linked Instagram professional account (Facebook Login's way in). */
export interface StandInPage {
  pageId: string;
  name: string;
  pageToken: string;
  igId: string;
  username: string;
  /** System-user tokens (Meta Business Suite) given access to this Page: `/me/accounts` lists it for them. */
  systemUserTokens?: string[];
}

/** Meta's error answer: `{"error": {message, type, code, error_subcode, fbtrace_id}}` with an HTTP status. */
export interface GraphFault {
  status: number;
  code?: number;
  subcode?: number;
  message?: string;
  /** Never answers (the client's timeout must end it). */
  hang?: boolean;
}

export const EXPIRED_TOKEN: GraphFault = { status: 400, code: 190, subcode: 463, message: 'Error validating access token: Session has expired.' };
export const OUTSIDE_WINDOW: GraphFault = { status: 400, code: 10, subcode: 2534022, message: 'This message is sent outside of allowed window.' };
export const RATE_LIMITED: GraphFault = { status: 400, code: 4, message: 'Application request limit reached' };

/** `sha256=<hex HMAC-SHA256(app secret, raw body)>`: Meta's X-Hub-Signature-256. */
export function metaSignature(appSecret: string, raw: string): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(raw).digest('hex');
}

/** A file on a message the Conversations API lists (served by the stand-in's CDN under its name). */
export interface ConversationFile { name: string; mime: string; size: number }

export class GraphStandIn {
  readonly requests: GraphRequestRecord[] = [];
  readonly accounts = new Map<string, StandInAccount>();
  /** What the send endpoint took, in order. */
  readonly sent: Array<{ igId: string; body: Record<string, unknown>; messageId: string }> = [];
  /** Files Meta's CDN serves at `<url>/cdn/<name>` (incoming attachments). */
  readonly files = new Map<string, { mime: string; bytes: Uint8Array }>();
  /** Customers' profiles (`/{igsid}?fields=name,username`), readable with any account's token. */
  readonly profiles = new Map<string, { name?: string; username?: string }>();
  /** Subscribed fields per account (subscribed_apps). */
  readonly subscriptions = new Map<string, string>();
  /** Runs when a send is taken, before the answer goes back (e.g. to deliver its echo first). */
  onSend?: (sent: { igId: string; recipientId: string; text?: string; messageId: string }) => Promise<void>;
  /** The app secret the token endpoints expect (the app's meta.app_secret). */
  appSecret = '';
  /** Instagram Login: its app's secret, and the account the next person logs in as. */
  instagramAppSecret = '';
  instagramLogin?: StandInAccount;
  /** The Pages the next person to log in manages. */
  readonly pages: StandInPage[] = [];
  /** Codes handed out by the consent page, and the user tokens made from them. */
  private readonly codes = new Set<string>();
  private readonly userTokens = new Map<string, 'short' | 'long'>();
  /** Conversations the Conversations API lists (polling mode), newest message last. */
  readonly conversations: Array<{ id: string; igId: string; customerId: string; updated: string; messages: Array<{ id: string; created_time: string; from: string; text: string; files?: ConversationFile[] }> }> = [];
  private faults: Array<{ path: RegExp; fault: GraphFault }> = [];
  private server?: http.Server;
  private hanging: http.ServerResponse[] = [];
  private seq = 0;
  url = '';

  addAccount(a: StandInAccount): this {
    this.accounts.set(a.igId, a);
    return this;
  }

  /** A Page the logging-in person manages; its Page token also works for its Instagram account. */
  addPage(p: StandInPage): this {
    this.pages.push(p);
    if (!this.accounts.has(p.igId)) this.accounts.set(p.igId, { igId: p.igId, username: p.username, token: p.pageToken });
    return this;
  }

  /** Whether a token opens an Instagram account: its own, its Page's, or a system user's with access to the Page. */
  private opens(account: StandInAccount, token: string | undefined): boolean {
    if (!token) return false;
    return account.token === token || this.pages.some((p) => p.igId === account.igId && (p.pageToken === token || !!p.systemUserTokens?.includes(token)));
  }

  /** A message in an account's conversation with a customer, as the Conversations API will list it (`fromBusiness`: sent by the account). */
  addConversationMessage(igId: string, customerId: string, text: string, at: Date, fromBusiness = false, files?: ConversationFile[]): string {
    let conv = this.conversations.find((c) => c.igId === igId && c.customerId === customerId);
    if (!conv) {
      conv = { id: `aWdfconv${++this.seq}`, igId, customerId, updated: at.toISOString(), messages: [] };
      this.conversations.push(conv);
    }
    const id = `aWdfmsg${++this.seq}`;
    conv.messages.push({ id, created_time: at.toISOString(), from: fromBusiness ? igId : customerId, text, ...(files ? { files } : {}) });
    conv.updated = at.toISOString();
    return id;
  }

  /** A long-lived user token the stand-in knows (as if a person had logged in earlier). */
  addUserToken(token: string): this {
    this.userTokens.set(token, 'long');
    return this;
  }

  /** The next request whose path matches answers with this fault (once per call). */
  fail(path: RegExp, fault: GraphFault): this {
    this.faults.push({ path, fault });
    return this;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname.replace(/^\/v\d+\.\d+/, '');
    const record: GraphRequestRecord = { method: req.method ?? 'GET', path, query: Object.fromEntries(u.searchParams) };
    if (raw && (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
      record.form = Object.fromEntries(new URLSearchParams(raw));
    } else if (raw) {
      try { record.json = JSON.parse(raw); } catch { /* recorded without json */ }
    }
    this.requests.push(record);
    const i = this.faults.findIndex((f) => f.path.test(path));
    if (i >= 0) {
      const [{ fault }] = this.faults.splice(i, 1);
      if (fault.hang) {
        this.hanging.push(res);
        return;
      }
      return this.error(res, fault);
    }
    if (path.startsWith('/cdn/')) {
      const file = this.files.get(path.slice(5));
      res.writeHead(file ? 200 : 404, { 'content-type': file?.mime ?? 'text/plain' });
      res.end(file ? Buffer.from(file.bytes) : 'not found');
      return;
    }
    if (path === '/oauth/authorize') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(this.consentPage(record.query));
      return;
    }
    const ig = this.instagramRoute(record);
    if (ig) {
      res.writeHead(ig.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ig.body));
      return;
    }
    if (path === '/dialog/oauth') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(this.consentPage(record.query));
      return;
    }
    const answer = path === '/oauth/access_token' ? this.token(record.query) : path === '/me/accounts' ? this.meAccounts(record.query)
      : path === '/me' ? this.mePage(record.query) ?? { status: 400, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } } }
      : await this.route(record);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }

  /** Facebook's login dialog, reduced to its outcome: Allow returns a code, Cancel an error, both with the state. */
  private consentPage(q: Record<string, string>): string {
    const code = `code-${++this.seq}`;
    this.codes.add(code);
    const back = (params: Record<string, string>) => `${q.redirect_uri}?${new URLSearchParams({ ...params, state: q.state ?? '' })}`.replaceAll('&', '&amp;');
    return `<!DOCTYPE html><title>Log in with Facebook</title><p>App ${q.client_id} asks for ${q.scope}</p>`
      + `<a id="allow" href="${back({ code })}">Continue</a> <a id="deny" href="${back({ error: 'access_denied', error_reason: 'user_denied', error_description: 'Permissions error' })}">Cancel</a>`;
  }

  /** The code exchange and the long-lived token exchange of /oauth/access_token. */
  private token(q: Record<string, string>): { status: number; body: unknown } {
    const oauthError = (message: string) => ({ status: 400, body: { error: { message, type: 'OAuthException', code: 100, error_subcode: 36009 } } });
    if (q.client_secret !== this.appSecret) return oauthError('Error validating client secret.');
    if (q.grant_type === 'fb_exchange_token') {
      // A short-lived token becomes long-lived; a long-lived one still valid is exchanged for a fresh one.
      if (!this.userTokens.has(q.fb_exchange_token)) return oauthError('Invalid OAuth access token.');
      const long = `long-user-${++this.seq}`;
      this.userTokens.set(long, 'long');
      return { status: 200, body: { access_token: long, token_type: 'bearer', expires_in: 5184000 } };
    }
    if (!this.codes.delete(q.code)) return oauthError('This authorization code has been used.');
    const short = `short-user-${++this.seq}`;
    this.userTokens.set(short, 'short');
    return { status: 200, body: { access_token: short, token_type: 'bearer', expires_in: 5400 } };
  }

  /** Instagram Login's code exchange (a form POST), its long-lived exchange and refresh, and /me. */
  private instagramRoute(r: GraphRequestRecord): { status: number; body: unknown } | undefined {
    const a = this.instagramLogin;
    const invalid = { status: 400, body: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 } } };
    if (r.method === 'POST' && r.path === '/oauth/access_token') {
      const f = r.form ?? {};
      if (f.client_secret !== this.instagramAppSecret || !this.codes.delete(f.code) || !a) return { status: 400, body: { error_type: 'OAuthException', code: 400, error_message: 'Invalid authorization code' } };
      return { status: 200, body: { data: [{ access_token: `ig-short-${++this.seq}`, user_id: a.igId, permissions: 'instagram_business_basic,instagram_business_manage_messages' }] } };
    }
    if (r.path === '/access_token' && r.query.grant_type === 'ig_exchange_token') {
      if (r.query.client_secret !== this.instagramAppSecret || !r.query.access_token?.startsWith('ig-short-') || !a) return invalid;
      return { status: 200, body: { access_token: a.token, token_type: 'bearer', expires_in: 5183944 } };
    }
    if (r.path === '/refresh_access_token') {
      const known = [...this.accounts.values()].find((x) => x.token === r.query.access_token);
      if (!known) return invalid;
      known.token = `${known.token.replace(/-r\d+$/, '')}-r${++this.seq}`;
      return { status: 200, body: { access_token: known.token, token_type: 'bearer', expires_in: 5183944 } };
    }
    if (r.path === '/me' && a && r.query.access_token === a.token) {
      if (r.method === 'GET') return { status: 200, body: { user_id: a.igId, username: a.username } };
    }
    if (r.path === '/me/subscribed_apps' && a && r.query.access_token === a.token) {
      this.subscriptions.set(a.igId, r.query.subscribed_fields ?? '');
      return { status: 200, body: { success: true } };
    }
    return undefined;
  }

  private meAccounts(q: Record<string, string>): { status: number; body: unknown } {
    const systemUser = this.pages.some((p) => p.systemUserTokens?.includes(q.access_token));
    if (!this.userTokens.has(q.access_token) && !systemUser) return { status: 400, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } } };
    // A system user sees the Pages it was given; the person logging in, the Pages they manage themselves.
    const pages = this.pages.filter((p) => (systemUser ? p.systemUserTokens?.includes(q.access_token) : !p.systemUserTokens));
    return {
      status: 200,
      body: { data: pages.map((p) => ({ id: p.pageId, name: p.name, access_token: p.pageToken, instagram_business_account: { id: p.igId, username: p.username } })) },
    };
  }

  /** `/me` with a Page token is the Page (with its linked Instagram account). */
  private mePage(q: Record<string, string>): { status: number; body: unknown } | undefined {
    const p = this.pages.find((x) => x.pageToken === q.access_token);
    return p ? { status: 200, body: { id: p.pageId, name: p.name, instagram_business_account: { id: p.igId } } } : undefined;
  }

  private error(res: http.ServerResponse, f: GraphFault): void {
    res.writeHead(f.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: f.message ?? 'An unknown error occurred', type: f.code === 190 ? 'OAuthException' : 'GraphMethodException', code: f.code ?? 1, error_subcode: f.subcode, fbtrace_id: 'AbCdEf' } }));
  }

  private async route(r: GraphRequestRecord): Promise<{ status: number; body: unknown }> {
    const token = r.query.access_token;
    const conv = this.conversations.find((c) => r.path === `/${c.id}`);
    if (conv) {
      const owner = this.accounts.get(conv.igId);
      if (!owner || !this.opens(owner, token)) return { status: 400, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } } };
      // Newest first, as Meta lists them; `to` names the other side.
      // Like Meta, the attachments edge only when the fields ask for it; a file's URL is the stand-in's CDN.
      const withFiles = /attachments\{/.test(r.query.fields ?? '');
      const data = [...conv.messages].reverse().map((m) => ({
        id: m.id, created_time: m.created_time, message: m.text, from: { id: m.from }, to: { data: [{ id: m.from === conv.igId ? conv.customerId : conv.igId }] },
        ...(withFiles && m.files ? {
          attachments: { data: m.files.map((f) => ({ name: f.name, mime_type: f.mime, size: f.size, [f.mime.startsWith('image/') ? 'image_data' : 'file_url']: f.mime.startsWith('image/') ? { url: `${this.url}/cdn/${f.name}` } : `${this.url}/cdn/${f.name}` })) },
        } : {}),
      }));
      return { status: 200, body: { id: conv.id, messages: { data } } };
    }
    const profile = r.method === 'GET' ? this.profiles.get(r.path.slice(1)) : undefined;
    if (profile) {
      if (![...this.accounts.values()].some((a) => a.token === token)) return { status: 400, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } } };
      return { status: 200, body: { id: r.path.slice(1), ...profile } };
    }
    const m = /^\/(\w+)(?:\/(\w+))?$/.exec(r.path);
    const page = m ? this.pages.find((p) => p.pageId === m[1]) : undefined;
    const account = m ? (page ? this.accounts.get(page.igId) : this.accounts.get(m[1])) : undefined;
    const invalid = { status: 400, body: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'AbCdEf' } } };
    if (!m || !account) return { status: 400, body: { error: { message: `Unsupported get request. Object with ID '${m?.[1] ?? ''}' does not exist`, type: 'GraphMethodException', code: 100, error_subcode: 33 } } };
    // The Page's own calls (its Send API, its subscription) take the Page's token only.
    if (page ? token !== page.pageToken : !this.opens(account, token)) return invalid;
    if (r.method === 'GET' && m[2] === 'conversations') {
      const data = this.conversations.filter((c) => c.igId === account.igId).sort((a, b) => b.updated.localeCompare(a.updated)).map((c) => ({ id: c.id, updated_time: c.updated }));
      return { status: 200, body: { data } };
    }
    if (r.method === 'GET' && !m[2]) return { status: 200, body: { id: account.igId, username: account.username, name: account.name ?? account.username } };
    if (r.method === 'POST' && m[2] === 'subscribed_apps') {
      // On the Graph API the subscription is the Page's; an Instagram account node has no such edge.
      if (!page) return { status: 400, body: { error: { message: '(#100) Tried accessing nonexisting field (subscribed_apps) on node type (InstagramBusinessAccount)', type: 'OAuthException', code: 100 } } };
      this.subscriptions.set(account.igId, r.query.subscribed_fields ?? '');
      return { status: 200, body: { success: true } };
    }
    if (r.method === 'POST' && m[2] === 'messages') {
      const body = r.json ?? {};
      const recipientId = String((body.recipient as { id?: string } | undefined)?.id ?? '');
      if (!recipientId) return { status: 400, body: { error: { message: '(#100) The parameter recipient is required', type: 'OAuthException', code: 100 } } };
      const messageId = `aWdfZAG1f${++this.seq}`;
      const text = (body.message as { text?: string } | undefined)?.text;
      this.sent.push({ igId: account.igId, body, messageId });
      await this.onSend?.({ igId: account.igId, recipientId, text, messageId });
      return { status: 200, body: { recipient_id: recipientId, message_id: messageId } };
    }
    return { status: 400, body: { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } } };
  }
}
