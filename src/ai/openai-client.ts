// The one module that speaks the `openai` SDK (the lint enforces it): chat completions with the
// handoff tool, audio transcription, and our own retries within a deadline. The SDK's retries
// are off (maxRetries: 0) so that the deadline, Retry-After and error mapping are ours.
import OpenAI, { toFile } from 'openai';
import type { ChatMessage } from './context.ts';
import { countChatTokens, countTokens } from './tokenizer.ts';

export interface ProviderTarget {
  provider: 'openai' | 'compatible';
  /** null: OpenAI's own endpoint. */
  baseUrl: string | null;
  apiKey: string | null;
  model: string;
}

export type ProviderErrorCode = 'auth' | 'quota' | 'model_not_found' | 'rate_limited' | 'server' | 'timeout' | 'connection' | 'bad_request' | 'empty_reply' | 'deadline';

/** A provider failure mapped to our codes. `needsAttention`: a person must fix the settings (key, quota, model). */
export class AiProviderError extends Error {
  override name = 'AiProviderError';
  constructor(readonly code: ProviderErrorCode, message: string, readonly attempts = 1, readonly status?: number) {
    super(message);
  }
  get needsAttention(): boolean {
    return this.code === 'auth' || this.code === 'quota' || this.code === 'model_not_found';
  }
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'server' || this.code === 'timeout' || this.code === 'connection';
  }
}

export interface CallOptions {
  /** The whole call, retries included, ends by then (ms). */
  deadlineMs?: number;
  /** One attempt's timeout (ms). */
  attemptTimeoutMs?: number;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt (jittered). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS: Required<Omit<CallOptions, 'sleep'>> = { deadlineMs: 30_000, attemptTimeoutMs: 20_000, maxAttempts: 4, backoffMs: 500 };

export const HANDOFF_TOOL = 'handoff_to_human';

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [{
  type: 'function',
  function: {
    name: HANDOFF_TOOL,
    description: 'Pass the conversation to a human colleague: the customer asks for a person, is upset, or needs something you cannot do or that is outside your instructions.',
    parameters: {
      type: 'object',
      properties: { reason: { type: 'string', description: 'Why, in a few words' } },
      required: ['reason'],
      additionalProperties: false,
    },
  },
}];

export interface ChatResult {
  text: string | null;
  handoff: { reason: string } | null;
  tokensIn: number;
  tokensOut: number;
  /** False when the server sent no usage figures and we counted them ourselves. */
  usageFromProvider: boolean;
  latencyMs: number;
  attempts: number;
  model: string;
}

/** The exact JSON body a chat call sends (the playground shows it). */
export function chatRequestBody(target: ProviderTarget, messages: ChatMessage[], maxTokens: number): OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming {
  return {
    model: target.model,
    messages,
    tools: TOOLS,
    tool_choice: 'auto',
    temperature: 0.3,
    // OpenAI's newer models take max_completion_tokens; compatible servers (vLLM, Ollama, llama.cpp) know max_tokens.
    ...(target.provider === 'openai' ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens }),
  };
}

function client(target: ProviderTarget, timeoutMs: number): OpenAI {
  return new OpenAI({
    // Local servers often need no key; the SDK insists on one, so a placeholder goes in its place.
    apiKey: target.apiKey || 'no-key',
    baseURL: target.baseUrl ?? 'https://api.openai.com/v1',
    // Explicit, so no OPENAI_* environment variable changes where or how we call.
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    logLevel: 'off',
    timeout: timeoutMs,
    maxRetries: 0,
  });
}

/** Maps an SDK error (or anything thrown) to our codes. */
function mapError(err: unknown, attempts = 1): AiProviderError {
  if (err instanceof AiProviderError) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new AiProviderError('timeout', 'The provider did not answer in time', attempts);
  if (err instanceof OpenAI.APIConnectionError) return new AiProviderError('connection', 'Could not connect to the provider', attempts);
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    const code = String(err.code ?? '');
    const msg = (err.message || '').slice(0, 300);
    if (status === 401 || status === 403) return new AiProviderError('auth', `The provider refused the API key (${status})`, attempts, status);
    if (status === 429 && /insufficient_quota|billing/.test(code + msg)) return new AiProviderError('quota', 'The provider account has no quota left', attempts, status);
    if (status === 429) return new AiProviderError('rate_limited', 'The provider is rate limiting requests', attempts, status);
    if (status === 404) return new AiProviderError('model_not_found', `The model or endpoint was not found: ${msg}`, attempts, status);
    if (status >= 500) return new AiProviderError('server', `The provider failed (${status})`, attempts, status);
    return new AiProviderError('bad_request', `The provider rejected the request (${status}): ${msg}`, attempts, status);
  }
  return new AiProviderError('connection', (err as Error)?.message?.slice(0, 200) ?? 'Unknown provider failure', attempts);
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms, in ms. */
function retryAfterMs(err: unknown): number | undefined {
  const headers = err instanceof OpenAI.APIError ? (err.headers as Headers | undefined) : undefined;
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (ms > 0) return ms;
  const v = headers.get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  if (!Number.isNaN(s)) return s * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `attempt` with retries on 429 (Retry-After respected), 5xx, timeouts and connection errors, within the deadline. */
async function withRetries<T>(attempt: (timeoutMs: number) => Promise<T>, opts: CallOptions = {}): Promise<{ value: T; attempts: number }> {
  const o = { ...DEFAULTS, ...opts };
  const sleep = opts.sleep ?? realSleep;
  // Wall time, not the Clock: this bounds real waiting on a remote server.
  const end = performance.now() + o.deadlineMs;
  for (let n = 1; ; n++) {
    const left = end - performance.now();
    try {
      return { value: await attempt(Math.max(1, Math.min(o.attemptTimeoutMs, left))), attempts: n };
    } catch (err) {
      const e = mapError(err, n);
      if (!e.retryable || n >= o.maxAttempts) throw e;
      const wait = retryAfterMs(err) ?? Math.round(o.backoffMs * 2 ** (n - 1) * (0.5 + Math.random() / 2));
      // Waiting past the deadline would only fail later: give up now with the real cause.
      if (performance.now() + wait + 50 >= end) throw new AiProviderError(e.code, `${e.message}; no time left to retry`, n, e.status);
      await sleep(wait);
    }
  }
}

/** One chat completion with the handoff tool. Tokens come from the provider's usage figures. */
export async function chatComplete(target: ProviderTarget, messages: ChatMessage[], maxTokens: number, opts: CallOptions = {}): Promise<ChatResult> {
  const body = chatRequestBody(target, messages, maxTokens);
  const started = performance.now();
  const { value: res, attempts } = await withRetries((timeout) => client(target, timeout).chat.completions.create(body), opts);
  const latencyMs = performance.now() - started;
  const msg = res.choices?.[0]?.message;
  const call = msg?.tool_calls?.find((t) => t.type === 'function' && t.function.name === HANDOFF_TOOL);
  let handoff: ChatResult['handoff'] = null;
  if (call && call.type === 'function') {
    let reason = 'model asked for a person';
    try { reason = String(JSON.parse(call.function.arguments || '{}').reason ?? reason).slice(0, 200); } catch { /* keep the default reason */ }
    handoff = { reason };
  }
  const text = msg?.content?.trim() || null;
  if (!text && !handoff) throw new AiProviderError('empty_reply', 'The provider answered with no text', attempts);
  const usage = res.usage;
  return {
    text, handoff, latencyMs, attempts, model: res.model || target.model,
    tokensIn: usage?.prompt_tokens ?? countChatTokens(messages),
    tokensOut: usage?.completion_tokens ?? countTokens(text ?? ''),
    usageFromProvider: !!usage,
  };
}

/** Transcribes a voice note through the provider's audio endpoint. */
export async function transcribeAudio(target: ProviderTarget, audio: { data: Uint8Array; fileName: string; mime: string }, model: string, opts: CallOptions = {}): Promise<{ text: string; latencyMs: number; attempts: number }> {
  const started = performance.now();
  const { value, attempts } = await withRetries(async (timeout) => {
    const file = await toFile(audio.data, audio.fileName, { type: audio.mime });
    return client(target, timeout).audio.transcriptions.create({ file, model });
  }, opts);
  return { text: (value.text ?? '').trim(), latencyMs: Math.round(performance.now() - started), attempts };
}
