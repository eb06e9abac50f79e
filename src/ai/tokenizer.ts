// Token counting with a real tokenizer (js-tiktoken, the o200k_base encoding that current
// OpenAI models use), so budgets are in the provider's own unit. The ranks ship inside the
// package: nothing is fetched.
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

// Building the encoder parses ~2 MB of ranks (~0.7 s), so it is made once, on first use.
// It is an immutable lookup table, not state: sharing it changes no behaviour.
let encoder: Tiktoken | undefined;
const getEncoder = () => (encoder ??= new Tiktoken(o200kBase));

const CACHE_MAX = 5000;
const cache = new Map<string, number>();

/** Tokens of a text (memoised: thread messages are counted once, not on every reply). */
export function countTokens(text: string): number {
  if (!text) return 0;
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const n = getEncoder().encode(text).length;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(text, n);
  return n;
}

/** The first `max` tokens of a text (whole characters; a cut mid-word gets an ellipsis). */
export function truncateTokens(text: string, max: number): string {
  if (countTokens(text) <= max) return text; // the common case, answered from the cache
  const enc = getEncoder();
  const ids = enc.encode(text);
  if (ids.length <= max) return text;
  // Decoding a prefix can end inside a multi-byte character: drop the replacement char.
  return enc.decode(ids.slice(0, Math.max(0, max - 1))).replace(/\uFFFD+$/, '') + '…';
}

/** Chat-format overhead per message (role and separators), as OpenAI's cookbook counts it. */
export const TOKENS_PER_MESSAGE = 4;

/** Prompt tokens of a chat request: each message's content plus its framing, plus the reply primer. */
export function countChatTokens(messages: Array<{ content: string | null }>): number {
  return messages.reduce((n, m) => n + TOKENS_PER_MESSAGE + countTokens(m.content ?? ''), 3);
}

/** Loads the encoder ahead of the first reply (called when AI work starts, not at import). */
export function warmTokenizer(): void {
  getEncoder();
}
