import type { AiSettings, ReplyLength } from './ai-settings.ts';
import { truncateTokens } from './tokenizer.ts';

const LANG_NAMES = { ru: 'Russian', kk: 'Kazakh', en: 'English' } as const;

const LENGTH_RULE: Record<ReplyLength, string> = {
  short: 'Answer in one or two short sentences.',
  medium: 'Answer in at most four sentences.',
  long: 'Answer fully but stay under ten sentences.',
};

/** Reply tokens allowed per reply length (the request's max tokens). */
export const MAX_REPLY_TOKENS: Record<ReplyLength, number> = { short: 150, medium: 350, long: 700 };

/** Caps for the client's own texts inside the prompt (the settings allow more characters). */
const INSTRUCTION_TOKENS = 1200;
const FACT_TOKENS = 2000;

/**
 * The system text: persona and instructions, business facts, and the rules every assistant
 * keeps (language, length, handoff, placeholders). Its size is capped whatever the settings hold.
 */
export function systemPrompt(s: Pick<AiSettings, 'instructions' | 'facts' | 'languages' | 'replyLength'>, businessName: string): string {
  const langs = s.languages.map((l) => LANG_NAMES[l]).join(', ');
  const parts = [
    s.instructions.trim()
      ? truncateTokens(s.instructions.trim(), INSTRUCTION_TOKENS)
      : `You are the customer assistant of ${businessName} in a messaging chat. Be friendly, precise and honest.`,
  ];
  if (s.facts.trim()) parts.push(`Facts about the business (use only these; do not invent prices, times or promises):\n${truncateTokens(s.facts.trim(), FACT_TOKENS)}`);
  parts.push([
    `Reply in the customer's language when it is one of: ${langs}; otherwise in ${LANG_NAMES[s.languages[0] ?? 'ru']}.`,
    LENGTH_RULE[s.replyLength],
    'Plain text only, no Markdown.',
    'Call the handoff_to_human tool when the customer asks for a person, is upset, or needs something you cannot do or that is outside these instructions. Do not guess.',
    'Tokens like [PHONE_1], [EMAIL_1], [IIN_1], [CARD_1] stand for the customer\'s personal data; repeat them exactly when needed and never ask what they hide.',
  ].join(' '));
  return parts.join('\n\n');
}
