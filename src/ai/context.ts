// Bounded context: the prompt is the system text (instructions, facts, rules), a rolling
// summary of older turns, and the most recent turns that fit a token budget. Its size is capped
// by constants, not by the thread's length.
import { countChatTokens, countTokens, truncateTokens } from './tokenizer.ts';

export interface ThreadMessage {
  id: string;
  /** customer: the contact; assistant: the AI or a rule; agent: a person of the business. */
  role: 'customer' | 'assistant' | 'agent';
  text: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ContextBudget {
  /** Tokens for the recent turns. */
  historyTokens: number;
  /** At most this many recent turns, whatever their size. */
  maxMessages: number;
  /** Tokens for the rolling summary of older turns. */
  summaryTokens: number;
  /** One turn is cut to this many tokens (a pasted essay cannot take the whole window). */
  messageTokens: number;
  /** One summary line is cut to this many tokens. */
  summaryLineTokens: number;
}

export const DEFAULT_BUDGET: ContextBudget = {
  historyTokens: 900,
  maxMessages: 10,
  summaryTokens: 240,
  messageTokens: 300,
  summaryLineTokens: 40,
};

/** How many turns to load for one reply: enough to fill the window and feed the summary. */
export const LOAD_LIMIT = 48;

const messageTokens = (m: ThreadMessage, b: ContextBudget) => Math.min(countTokens(m.text), b.messageTokens) + 4;

/**
 * Splits turns (oldest first) into the recent window that fits the budget and the older ones
 * to fold into the summary. The newest turn is always in the window.
 */
export function selectWindow(turns: ThreadMessage[], budget: ContextBudget = DEFAULT_BUDGET): { window: ThreadMessage[]; older: ThreadMessage[] } {
  let used = 0;
  let start = turns.length;
  while (start > 0 && turns.length - start < budget.maxMessages) {
    const cost = messageTokens(turns[start - 1], budget);
    if (start < turns.length && used + cost > budget.historyTokens) break;
    used += cost;
    start--;
  }
  return { window: turns.slice(start), older: turns.slice(0, start) };
}

const LABEL: Record<ThreadMessage['role'], string> = { customer: 'Customer', assistant: 'Assistant', agent: 'Operator' };

/** One summary line per older turn: who said it and the start of what they said. */
function summaryLine(m: ThreadMessage, budget: ContextBudget = DEFAULT_BUDGET): string {
  // A token is rarely longer than 8 characters: cutting first keeps tokenizing a pasted essay cheap.
  const flat = m.text.slice(0, budget.summaryLineTokens * 8).replace(/\s+/g, ' ').trim();
  return `${LABEL[m.role]}: ${truncateTokens(flat, budget.summaryLineTokens)}`;
}

/**
 * The rolling summary: the previous summary plus lines for newly folded turns, cut from the
 * oldest end to the summary budget. Deterministic, local, and free (no extra provider call).
 */
export function foldSummary(previous: string | null, folded: ThreadMessage[], budget: ContextBudget = DEFAULT_BUDGET): string | null {
  const lines = [...(previous ? previous.split('\n').filter(Boolean) : []), ...folded.map((m) => summaryLine(m, budget))];
  let total = lines.reduce((n, l) => n + countTokens(l) + 1, 0);
  while (lines.length && total > budget.summaryTokens) total -= countTokens(lines.shift()!) + 1;
  return lines.length ? lines.join('\n') : null;
}

/** The chat request's messages: system text (+ summary), then the window as user/assistant turns. */
export function buildChatMessages(system: string, summary: string | null, window: ThreadMessage[], budget: ContextBudget = DEFAULT_BUDGET): ChatMessage[] {
  const head = summary ? `${system}\n\nEarlier in this conversation (summary, oldest first):\n${summary}` : system;
  const out: ChatMessage[] = [{ role: 'system', content: head }];
  for (const m of window) {
    const text = truncateTokens(m.text, budget.messageTokens);
    const prev = out[out.length - 1];
    const role = m.role === 'customer' ? 'user' : 'assistant';
    const content = m.role === 'agent' ? `(operator) ${text}` : text;
    // Consecutive turns of one side are merged: several quick messages are one question.
    if (prev.role === role && prev !== out[0]) prev.content += `\n${content}`;
    else out.push({ role, content });
  }
  return out;
}

export { countChatTokens };
