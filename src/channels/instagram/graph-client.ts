import { createHmac } from 'node:crypto';
import type { ChannelStatus } from '../../messaging/index.ts';
import type { MetaConfig } from './meta-config.ts';

/** What went wrong with a Graph call, as Habar acts on it. */
export type GraphErrorKind =
  | 'token' // the token expired, was revoked or never worked: reconnect
  | 'permission' // the app lacks a permission the call needs: reconnect and grant it
  | 'rate_limit' // try again later
  | 'window' // outside the messaging window: this message cannot be sent
  | 'recipient' // the customer cannot be reached (blocked, deleted)
  | 'invalid' // the request itself is wrong (bad id, bad attachment URL)
  | 'server' // Meta's own failure: try again
  | 'timeout' // no answer in time: the request may or may not have taken effect
  | 'network' // never reached Meta
  | 'too_large'; // a file above the size cap (download)

/** A Graph API error: Meta's code and message kept (the message may be shown to the person who caused it). */
export class GraphError extends Error {
  override name = 'GraphError';
  constructor(
    readonly kind: GraphErrorKind,
    message: string,
    readonly status: number,
    readonly code?: number,
    readonly subcode?: number,
  ) {
    super(message);
  }

  /** Whether trying the same call later may succeed. */
  get transient(): boolean {
    return this.kind === 'rate_limit' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network';
  }
}

// Meta's error codes (developers.facebook.com/docs/graph-api/guides/error-handling and the Messenger
// Platform's send API errors).
const TOKEN_CODES = new Set([102, 190, 463, 467]);
const RATE_CODES = new Set([4, 17, 32, 613, 80002, 80006]);
const WINDOW_SUBCODES = new Set([2018278, 2534022]);
const RECIPIENT_SUBCODES = new Set([2018001, 2534014, 1545041]);

/** Classifies Meta's `{"error": {code, error_subcode, message}}` answer. */
export function classifyGraphError(status: number, body: unknown): GraphError {
  const e = (body as { error?: { code?: number; error_subcode?: number; message?: string; type?: string } } | null)?.error;
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const subcode = typeof e?.error_subcode === 'number' ? e.error_subcode : undefined;
  const message = typeof e?.message === 'string' && e.message ? e.message.slice(0, 500) : `Graph API answered HTTP ${status}`;
  let kind: GraphErrorKind;
  if (code !== undefined && TOKEN_CODES.has(code)) kind = 'token';
  else if (subcode !== undefined && WINDOW_SUBCODES.has(subcode)) kind = 'window';
  else if (subcode !== undefined && RECIPIENT_SUBCODES.has(subcode)) kind = 'recipient';
  else if ((code !== undefined && RATE_CODES.has(code)) || status === 429) kind = 'rate_limit';
  else if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) kind = 'permission';
  else if (status >= 500 || code === 1 || code === 2) kind = 'server';
  else kind = 'invalid';
  return new GraphError(kind, message, status, code, subcode);
}

/** The channel status a failed call calls for (undefined: the account stays as it is). */
export function channelStatusFor(err: GraphError): ChannelStatus | undefined {
  return err.kind === 'token' || err.kind === 'permission' ? 'reconnect_needed' : undefined;
}

/** `appsecret_proof`: HMAC-SHA256 of the access token keyed by the app secret, which Meta checks when the app requires it. */
export function appSecretProof(token: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(token).digest('hex');
}

export interface GraphClientOptions {
  fetch?: typeof fetch;
  /** Per attempt. */
  timeoutMs?: number;
  /** Further attempts after a 5xx or rate-limit answer. */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type GraphHost = 'graph' | 'instagram' | 'instagram_token';

export interface GraphRequest {
  /** Which host: the Graph API (Facebook Login tokens), Instagram's (Instagram Login tokens), or Instagram Login's code exchange. */
  host?: GraphHost;
  /** The path is not under the Graph version (Instagram Login's token endpoints). */
  unversioned?: boolean;
  /** Sent as application/x-www-form-urlencoded (Instagram Login's code exchange). */
  form?: Record<string, string>;
  token?: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: Record<string, unknown>;
  /**
   * Whether a 5xx or rate-limit answer is tried again here. A send is retried too: such an answer
   * means Meta did not take the message. A timeout is never retried here (the outcome is unknown).
   */
  retry?: boolean;
}

/**
 * The one way Habar speaks Meta's HTTP: every host from the `meta.*` settings (so a proxy or a
 * stand-in can take their place), the configured Graph version, a timeout per attempt, capped
 * retries with backoff on 5xx and rate limits, `appsecret_proof` with every token, and Meta's
 * error codes turned into GraphError kinds. Tokens never reach a log or an error message.
 */
export class GraphClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly config: MetaConfig, opts: GraphClientOptions = {}) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.retries = opts.retries ?? 2;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get<T>(path: string, req: GraphRequest = {}): Promise<T> {
    return this.call<T>('GET', path, { retry: true, ...req });
  }

  post<T>(path: string, req: GraphRequest = {}): Promise<T> {
    return this.call<T>('POST', path, { retry: true, ...req });
  }

  /**
   * A file Meta's CDN serves (an incoming attachment: its URL expires soon), at most `maxBytes`;
   * a larger one, an error answer or no answer in time is a GraphError (nothing half-read is kept).
   */
  async download(url: string, maxBytes: number): Promise<{ bytes: Uint8Array; mime?: string }> {
    if (!/^https?:\/\//i.test(url)) throw new GraphError('invalid', 'Not an http(s) URL', 0);
    let res: Response;
    try {
      res = await this.fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'follow' });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new GraphError('timeout', `The file did not arrive within ${this.timeoutMs} ms`, 0);
      throw new GraphError('network', 'The file could not be fetched', 0);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new GraphError(res.status >= 500 ? 'server' : 'invalid', `The file's host answered HTTP ${res.status}`, res.status);
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    const tooLarge = () => new GraphError('too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, res.status);
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body ?? []) {
        size += chunk.byteLength;
        if (size > maxBytes) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof GraphError) throw err;
      throw new GraphError('timeout', `The file did not arrive within ${this.timeoutMs} ms`, res.status);
    }
    const mime = res.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
    return { bytes: Buffer.concat(chunks), ...(mime ? { mime } : {}) };
  }

  /** A full URL of a Graph path on the chosen host (under the configured version unless `unversioned`). */
  url(path: string, host: GraphHost = 'graph', unversioned = false): URL {
    const base = host === 'instagram' ? this.config.instagramUrl : host === 'instagram_token' ? this.config.instagramTokenUrl : this.config.graphUrl;
    return new URL(`${base}${unversioned ? '' : `/${this.config.graphVersion}`}${path.startsWith('/') ? path : `/${path}`}`);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, req: GraphRequest): Promise<T> {
    const url = this.url(path, req.host, req.unversioned);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    if (req.token) {
      url.searchParams.set('access_token', req.token);
      // graph.facebook.com takes the proof; Instagram Login's host does not document it.
      if ((req.host ?? 'graph') === 'graph' && this.config.appSecret) url.searchParams.set('appsecret_proof', appSecretProof(req.token, this.config.appSecret));
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, url, req.body, req.form);
      } catch (err) {
        const retryable = err instanceof GraphError && (err.kind === 'server' || err.kind === 'rate_limit');
        if (!req.retry || !retryable || attempt >= this.retries) throw err;
        await this.sleep(Math.min(250 * 2 ** attempt, 2_000));
      }
    }
  }

  private async once<T>(method: string, url: URL, body?: Record<string, unknown>, form?: Record<string, string>): Promise<T> {
    let res: Response;
    try {
      res = await this.fetch(url, {
        method, signal: AbortSignal.timeout(this.timeoutMs),
        ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
        ...(form ? { body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
      });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new GraphError('timeout', `Meta did not answer within ${this.timeoutMs} ms`, 0);
      throw new GraphError('network', `Meta could not be reached (${url.host})`, 0);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new GraphError('timeout', `Meta's answer did not arrive within ${this.timeoutMs} ms`, res.status);
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (!res.ok || (json as { error?: unknown } | undefined)?.error) throw classifyGraphError(res.status, json);
    if (json === undefined) throw new GraphError('server', 'Meta answered with something other than JSON', res.status);
    return json as T;
  }
}
