// Estimated cost of a call from the provider's token counts. Prices are OpenAI's list prices
// in US dollars per million tokens (input, output); an estimate, shown as such. Local
// (compatible) endpoints and the FAQ responder cost nothing per call.

const PER_MILLION: Array<[RegExp, number, number]> = [
  [/^gpt-4o-mini/, 0.15, 0.6],
  [/^gpt-4o/, 2.5, 10],
  [/^gpt-4\.1-nano/, 0.1, 0.4],
  [/^gpt-4\.1-mini/, 0.4, 1.6],
  [/^gpt-4\.1/, 2, 8],
  [/^gpt-5-nano/, 0.05, 0.4],
  [/^gpt-5-mini/, 0.25, 2],
  [/^gpt-5/, 1.25, 10],
  [/^o4-mini|^o3-mini/, 1.1, 4.4],
];
const UNKNOWN_OPENAI: [number, number] = [2.5, 10];

/** Estimated cost in millionths of a US dollar (integer, for exact sums). */
export function estimateCostMicros(provider: string, model: string, tokensIn: number, tokensOut: number): number {
  if (provider !== 'openai') return 0;
  const row = PER_MILLION.find(([re]) => re.test(model));
  const [pin, pout] = row ? [row[1], row[2]] : UNKNOWN_OPENAI;
  // $ per 1M tokens = µ$ per token.
  return Math.round(tokensIn * pin + tokensOut * pout);
}

/** Whisper-style transcription: $0.006 per minute. */
export function transcriptionCostMicros(provider: string, seconds: number): number {
  return provider === 'openai' ? Math.round((seconds / 60) * 6000) : 0;
}

export const formatUsd = (micros: number) => `$${(micros / 1_000_000).toFixed(micros < 10_000 ? 4 : 2)}`;
