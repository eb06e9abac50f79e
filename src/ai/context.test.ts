import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildChatMessages, countChatTokens, DEFAULT_BUDGET, foldSummary, selectWindow, type ThreadMessage } from './context.ts';
import { prepareContext, type Turn } from './thread.ts';
import { historyMessage } from '../testing/chat-history.ts';
import { asksForHuman } from './gate.ts';
import { DEFAULT_HANDOFF_KEYWORDS } from './defaults.ts';

const test = suite('bounded context');

const thread = (n: number): Turn[] => Array.from({ length: n }, (_, i) => {
  const m = historyMessage(n - i);
  return { id: String(1_000_000 + i), role: m.direction === 'in' ? 'customer' : 'assistant', text: m.text, authorKind: m.authorKind, direction: m.direction, createdAt: '' };
});

test('the prompt stops growing once the thread is longer than the window', () => {
  const sizes = [10, 20, 48].map((n) => {
    const ctx = prepareContext(thread(n), undefined);
    return countChatTokens(buildChatMessages('You are a shop assistant.', ctx.summary, ctx.window));
  });
  assert.ok(sizes[0] < sizes[1], 'a short thread is cheaper');
  assert.is(sizes[1], sizes[2], `flat: ${sizes.join(', ')}`);
});

test('the newest message is always in the window, cut to the per-message cap if huge', () => {
  const essay: ThreadMessage = { id: '9', role: 'customer', text: 'очень длинное сообщение '.repeat(2000) };
  const { window, older } = selectWindow([{ id: '1', role: 'customer', text: 'привет' }, essay]);
  assert.is(window.at(-1)!.id, '9');
  assert.is(older.length, 0, 'a short greeting still fits beside the cut essay');
  const msgs = buildChatMessages('sys', null, window);
  assert.ok(countChatTokens(msgs) < DEFAULT_BUDGET.messageTokens + 50);
});

test('the rolling summary keeps the newest lines within its budget', () => {
  const older = thread(40).slice(0, 30);
  const s = foldSummary(null, older)!;
  const lines = s.split('\n');
  assert.ok(lines.length < 30);
  assert.ok(lines.at(-1)!.startsWith('Customer:') || lines.at(-1)!.startsWith('Assistant:'));
  // Folding in two steps gives the same summary as folding at once.
  assert.is(foldSummary(foldSummary(null, older.slice(0, 15)), older.slice(15)), s);
});

test('a summary is updated only with messages newer than what it already holds', () => {
  const first = prepareContext(thread(30), undefined);
  assert.ok(first.nextSummary);
  const again = prepareContext(thread(30), { summary: first.nextSummary!.summary, summary_through_id: first.nextSummary!.throughId });
  assert.is(again.nextSummary, null);
  assert.is(again.summary, first.summary);
});

test('handoff keywords match asking for a person, not counting people', () => {
  const asks = (t: string) => asksForHuman(t, DEFAULT_HANDOFF_KEYWORDS);
  assert.ok(asks('Позовите оператора!'));
  assert.ok(asks('хочу поговорить с человеком'));
  assert.ok(asks('Адаммен сөйлескім келеді'));
  assert.ok(asks('Can I talk to a real person?'));
  assert.not.ok(asks('Столик на 10 человек, пожалуйста'));
  assert.not.ok(asks('Бізге 5 адам керек'));
  assert.not.ok(asks('Is it humanly possible to deliver today?'));
});

test.run();
