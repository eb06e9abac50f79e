// How long the AI waits for a burst of messages to end before answering. A message that reads as
// a complete question (a question mark; a question word and a few words; a Kazakh question
// particle) is answered after a short quiet time; anything else waits the client's
// `debounce_seconds`. Either way the reply is one for the whole burst: the conversation's one
// pending `ai.reply` job moves with every message (responder.ts scheduleReply).
import { words } from './text-normalise.ts';

/** The quiet time after a complete question, in seconds (never more than debounce_seconds). */
export const COMPLETE_QUIET_SECONDS = 1.5;

const QUESTION_WORDS = new Set([
  'сколько', 'скока', 'когда', 'где', 'куда', 'откуда', 'как', 'какой', 'какая', 'какие', 'какое', 'каких', 'почему', 'зачем', 'можно', 'есть', 'подскажите', 'скажите', 'почем', 'во', 'до', 'кто', 'что', 'чем', 'ли',
  'қанша', 'канша', 'қашан', 'кашан', 'қайда', 'кайда', 'қалай', 'калай', 'қандай', 'кандай', 'неше', 'нешеде', 'неге', 'кім', 'не',
  'how', 'what', 'when', 'where', 'which', 'who', 'why', 'can', 'could', 'do', 'does', 'is', 'are', 'will', 'would',
  'skolko', 'kogda', 'gde', 'kak', 'mozhno', 'est',
]);
const KAZAKH_PARTICLE = /^(ма|ме|ба|бе|па|пе)$/;

/** Whether the message reads as a complete question rather than the start of a burst. */
export function looksComplete(text: string): boolean {
  const t = text.trim();
  if (/[?？]\s*[\p{Emoji_Presentation}\s)]*$/u.test(t)) return true;
  const ws = words(t);
  if (ws.length < 3) return false;
  if (KAZAKH_PARTICLE.test(ws[ws.length - 1])) return true;
  return ws.slice(0, 3).some((w) => QUESTION_WORDS.has(w)) && ws.some((w) => w.length > 3 && !QUESTION_WORDS.has(w));
}

/** The quiet time after this message, in seconds. */
export function quietSeconds(text: string, debounceSeconds: number): number {
  return looksComplete(text) ? Math.min(COMPLETE_QUIET_SECONDS, debounceSeconds) : debounceSeconds;
}
