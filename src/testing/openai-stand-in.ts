// A local OpenAI-compatible server for tests: real HTTP on 127.0.0.1 speaking the wire format
// of /v1/chat/completions and /v1/audio/transcriptions. It records every request and answers
// from a script: text, tool calls, usage figures, 429 with Retry-After, 500, 401, a delay.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countChatTokens, countTokens, warmTokenizer } from '../ai/tokenizer.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body as text (multipart for transcriptions). */
  raw: string;
  /** The parsed JSON body (chat completions). */
  json?: { model: string; messages: Array<{ role: string; content: string }>; tools?: unknown[]; [k: string]: unknown };
}

export type Behaviour =
  | { text: string; usage?: { prompt_tokens: number; completion_tokens: number } | null; delayMs?: number }
  | { toolCall: { name: string; arguments: Record<string, unknown> }; delayMs?: number }
  | { status: number; retryAfter?: string; code?: string; message?: string; delayMs?: number }
  | { hang: true };

/** A behaviour computed from the request (e.g. echo the placeholders it received). */
export type Script = Behaviour | ((req: RecordedRequest) => Behaviour);

export class OpenAiStandIn {
  readonly requests: RecordedRequest[] = [];
  private queue: Script[] = [];
  private fallback: Script = { text: 'Stand-in reply' };
  transcript = 'Transcribed voice note';
  private server?: http.Server;
  url = '';

  /** Answers the next requests with these behaviours, in order; then with the default. */
  next(...scripts: Script[]): this {
    this.queue.push(...scripts);
    return this;
  }

  /** The behaviour once the queue is empty. */
  always(script: Script): this {
    this.fallback = script;
    return this;
  }

  get chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  async start(): Promise<string> {
    warmTokenizer(); // counting usage must not eat into the client's timeout on the first call
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw };
    if ((req.headers['content-type'] ?? '').includes('application/json')) {
      try { rec.json = JSON.parse(raw); } catch { /* recorded raw */ }
    }
    this.requests.push(rec);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (rec.path.endsWith('/audio/transcriptions')) return send(200, { text: this.transcript });
    if (!rec.path.endsWith('/chat/completions')) return send(404, { error: { message: 'Unknown path', type: 'invalid_request_error', code: 'unknown_url' } });
    const script = this.queue.shift() ?? this.fallback;
    const b = typeof script === 'function' ? script(rec) : script;
    if ('hang' in b) return; // never answers: the client's timeout must fire
    if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
    if ('status' in b) {
      return send(b.status, { error: { message: b.message ?? `Stand-in error ${b.status}`, type: b.status === 429 ? 'requests' : 'server_error', code: b.code ?? null } }, b.retryAfter ? { 'retry-after': b.retryAfter } : {});
    }
    const messages = rec.json?.messages ?? [];
    const prompt = countChatTokens(messages);
    const base = { id: `chatcmpl-${this.requests.length}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: rec.json?.model ?? 'stand-in' };
    if ('toolCall' in b) {
      return send(200, { ...base, choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: b.toolCall.name, arguments: JSON.stringify(b.toolCall.arguments) } }] } }], usage: { prompt_tokens: prompt, completion_tokens: 12, total_tokens: prompt + 12 } });
    }
    const usage = b.usage === null ? undefined : b.usage ?? { prompt_tokens: prompt, completion_tokens: countTokens(b.text) };
    return send(200, { ...base, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: b.text } }], ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}) });
  }
}

/** Starts a stand-in; remember to stop() it. */
export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const s = new OpenAiStandIn();
  await s.start();
  return s;
}
