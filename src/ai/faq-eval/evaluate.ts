// Runs the offline FAQ responder over the labelled questions: top-1 accuracy on answerable
// questions and answers given to out-of-scope ones, per language and half.
import { FaqIndex, FAQ_CONFIDENCE_THRESHOLD } from '../faq-responder.ts';
import type { Language } from '../text-normalise.ts';
import { FAQ_SETS, type FaqSetName } from './faq-sets.ts';
import { EVAL_QUESTIONS, FRESH_QUESTIONS, type EvalQuestion } from './questions.ts';

export interface EvalLine {
  half: EvalQuestion['half'];
  lang: Language;
  answerable: number;
  correct: number;
  /** Answerable questions answered with another entry. */
  wrong: number;
  /** Answerable questions handed off. */
  abstained: number;
  outOfScope: number;
  /** Out-of-scope questions answered with an entry (must be 0). */
  outOfScopeAnswered: number;
}

export interface EvalMiss {
  question: EvalQuestion;
  got: string | null;
  confidence: number;
}

export function evaluateFaq(threshold = FAQ_CONFIDENCE_THRESHOLD): { lines: EvalLine[]; misses: EvalMiss[] } {
  const indexes = Object.fromEntries(Object.entries(FAQ_SETS).map(([k, v]) => [k, new FaqIndex(v)])) as Record<FaqSetName, FaqIndex>;
  const lines = new Map<string, EvalLine>();
  const misses: EvalMiss[] = [];
  for (const q of [...EVAL_QUESTIONS, ...FRESH_QUESTIONS]) {
    const key = `${q.half} ${q.lang}`;
    const line = lines.get(key) ?? { half: q.half, lang: q.lang, answerable: 0, correct: 0, wrong: 0, abstained: 0, outOfScope: 0, outOfScopeAnswered: 0 };
    lines.set(key, line);
    const r = indexes[q.set].match(q.text, threshold);
    const got = r.kind === 'answer' ? FAQ_SETS[q.set][r.index].key : null;
    const confidence = r.kind === 'small_talk' ? 0 : r.confidence;
    if (q.entry === null) {
      line.outOfScope++;
      if (got) { line.outOfScopeAnswered++; misses.push({ question: q, got, confidence }); }
    } else {
      line.answerable++;
      if (got === q.entry) line.correct++;
      else {
        if (got) line.wrong++; else line.abstained++;
        misses.push({ question: q, got, confidence });
      }
    }
  }
  const order = (l: EvalLine) => `${['dev', 'test', 'fresh'].indexOf(l.half)}${['ru', 'kk', 'en'].indexOf(l.lang)}`;
  return { lines: [...lines.values()].sort((a, b) => order(a).localeCompare(order(b))), misses };
}
