// One assistant turn: from the bounded context to an answer, a handoff or a failure. Checks the
// transfer consent right before the call, minimises the text, calls the provider (or the
// offline FAQ), restores placeholders in the reply, and records the call's usage.
import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { isAppError } from '../lib/errors.ts';
import { openApiKey, setProviderStatus, type AiSettings } from './ai-settings.ts';
import { assertTransferAllowed } from './consent.ts';
import { buildChatMessages, type ChatMessage, type ThreadMessage } from './context.ts';
import { GREETING, pickLanguageLine } from './defaults.ts';
import { faqIndexFor } from './faq-responder.ts';
import { AiProviderError, chatComplete, chatRequestBody, type CallOptions, type ProviderTarget } from './openai-client.ts';
import { MAX_REPLY_TOKENS, systemPrompt } from './prompt.ts';
import { NoRedaction, Redactor } from './redact.ts';
import { estimateCostMicros } from './pricing.ts';
import { detectLanguage } from './text-normalise.ts';
import { recordAiCall } from './usage.ts';

export interface EngineDeps {
  db: Db;
  vault: Vault;
  clock: Clock;
  log: Logger;
  /** Retries, timeouts and the deadline of provider calls. */
  callOptions?: CallOptions;
}

export interface TurnInput {
  clientId: string;
  conversationId: string | null;
  businessName: string;
  settings: AiSettings;
  window: ThreadMessage[];
  summary: string | null;
  /** A made-up conversation: nothing is billed. */
  playground?: boolean;
}

export interface TurnUsage {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  costMicros: number;
}

export type TurnOutcome =
  | { kind: 'answer'; text: string }
  | { kind: 'handoff'; reason: 'tool' | 'no_match' | 'plan_quota'; detail: string }
  | { kind: 'failed'; code: string; message: string };

export interface TurnResult {
  outcome: TurnOutcome;
  /** The exact body that left (or would have left) the appliance, after minimisation. Null for the FAQ. */
  request: ReturnType<typeof chatRequestBody> | null;
  usage: TurnUsage | null;
  /** How many personal values were replaced with placeholders. */
  redacted: number;
}

/** The customer's latest unanswered words (several quick messages are one question). */
function pendingQuestion(window: ThreadMessage[]): string {
  const out: string[] = [];
  for (let i = window.length - 1; i >= 0 && window[i].role === 'customer'; i--) out.unshift(window[i].text);
  return out.join('\n');
}

/** Builds the minimised chat request for a turn (what the playground shows). */
export function buildRequest(input: TurnInput, redactor: Redactor): { target: Omit<ProviderTarget, 'apiKey'>; messages: ChatMessage[]; body: ReturnType<typeof chatRequestBody> } {
  const s = input.settings;
  const system = redactor.redact(systemPrompt(s, input.businessName));
  const summary = input.summary ? redactor.redact(input.summary) : null;
  const window = input.window.map((m) => ({ ...m, text: redactor.redact(m.text) }));
  const messages = buildChatMessages(system, summary, window);
  const target = { provider: s.provider as 'openai' | 'compatible', baseUrl: s.baseUrl, model: s.model };
  return { target, messages, body: chatRequestBody({ ...target, apiKey: null }, messages, MAX_REPLY_TOKENS[s.replyLength]) };
}

function faqTurn(input: TurnInput): TurnResult {
  const question = pendingQuestion(input.window);
  const lang = detectLanguage(question, input.settings.languages[0] ?? 'ru');
  const r = faqIndexFor(input.settings.faq, input.settings.faqSynonyms).match(question);
  // An answer may carry a line per language ("ru: …\nkk: …\nen: …"): the customer's one.
  const outcome: TurnOutcome = r.kind === 'answer' ? { kind: 'answer', text: pickLanguageLine(r.answer, lang) }
    : r.kind === 'small_talk' ? { kind: 'answer', text: pickLanguageLine(GREETING, lang) }
      : { kind: 'handoff', reason: 'no_match', detail: `best confidence ${r.confidence.toFixed(2)}` };
  return { outcome, request: null, usage: { provider: 'faq', model: 'bm25', tokensIn: 0, tokensOut: 0, latencyMs: 0, costMicros: 0 }, redacted: 0 };
}

/** Runs one turn. Never throws for provider trouble: failures come back as an outcome. */
export async function runTurn(deps: EngineDeps, input: TurnInput): Promise<TurnResult> {
  const s = input.settings;
  if (s.provider === 'faq') {
    const started = performance.now();
    const r = faqTurn(input);
    r.usage!.latencyMs = Math.round(performance.now() - started);
    await recordAiCall(deps.db, deps.clock, {
      clientId: input.clientId, conversationId: input.conversationId, kind: 'faq', provider: 'faq', model: 'bm25', tokensIn: 0, tokensOut: 0,
      latencyMs: r.usage!.latencyMs, outcome: r.outcome.kind === 'answer' ? 'answered' : 'no_match', playground: input.playground,
    });
    return r;
  }
  const redactor = s.redact ? new Redactor() : new NoRedaction();
  const { target, messages, body } = buildRequest(input, redactor);
  const redacted = Object.values(redactor.counts).reduce((a, b) => a + b, 0);
  const base = { clientId: input.clientId, conversationId: input.conversationId, kind: 'chat' as const, provider: s.provider, model: s.model, playground: input.playground };
  try {
    // Checked right before every call: a withdrawal takes effect at once.
    await assertTransferAllowed(deps.db, input.clientId, s);
  } catch (err) {
    if (!isAppError(err)) throw err;
    await recordAiCall(deps.db, deps.clock, { ...base, tokensIn: 0, tokensOut: 0, latencyMs: 0, outcome: 'blocked_consent', errorCode: err.code });
    return { outcome: { kind: 'failed', code: err.code, message: err.message }, request: body, usage: null, redacted };
  }
  const apiKey = await openApiKey(deps.db, deps.vault, input.clientId);
  try {
    const r = await chatComplete({ ...target, apiKey }, messages, MAX_REPLY_TOKENS[s.replyLength], deps.callOptions);
    const usage: TurnUsage = { provider: s.provider, model: r.model, tokensIn: r.tokensIn, tokensOut: r.tokensOut, latencyMs: r.latencyMs, costMicros: estimateCostMicros(s.provider, r.model, r.tokensIn, r.tokensOut) };
    const outcome: TurnOutcome = r.handoff ? { kind: 'handoff', reason: 'tool', detail: r.handoff.reason } : { kind: 'answer', text: redactor.restore(r.text!) };
    await recordAiCall(deps.db, deps.clock, { ...base, model: r.model, tokensIn: r.tokensIn, tokensOut: r.tokensOut, latencyMs: r.latencyMs, attempts: r.attempts, outcome: outcome.kind === 'answer' ? 'answered' : 'handoff', costMicros: usage.costMicros });
    if (s.providerStatus !== 'ok' && !input.playground) await setProviderStatus(deps.db, deps.clock, input.clientId, null);
    return { outcome, request: body, usage, redacted };
  } catch (err) {
    const e = err instanceof AiProviderError ? err : new AiProviderError('connection', (err as Error).message);
    deps.log.warn('ai', 'provider call failed', { client_id: input.clientId, conversation_id: input.conversationId, code: e.code, attempts: e.attempts, provider: s.provider });
    await recordAiCall(deps.db, deps.clock, { ...base, tokensIn: 0, tokensOut: 0, latencyMs: 0, attempts: e.attempts, outcome: 'failed', errorCode: e.code, costMicros: 0 });
    if (e.needsAttention) await setProviderStatus(deps.db, deps.clock, input.clientId, `${e.code}: ${e.message}`);
    return { outcome: { kind: 'failed', code: e.code, message: e.message }, request: body, usage: null, redacted };
  }
}
