// The offline FAQ responder: no provider, no network. Ranks the client's FAQ entries against
// the customer's message with BM25 over normalised ru/kk/en terms; below a confidence
// threshold it hands off to a person instead of guessing.
import { isSmallTalk, terms } from './text-normalise.ts';

export interface FaqEntry {
  question: string;
  answer: string;
}

export type FaqResult =
  | { kind: 'answer'; answer: string; index: number; score: number; confidence: number }
  | { kind: 'small_talk' }
  | { kind: 'no_match'; score: number; confidence: number };

const K1 = 1.2;
const B = 0.75;
/** Questions count twice: they are phrased like what customers write. */
const QUESTION_WEIGHT = 2;
/** Share of the message's weight (by IDF) that the best entry must cover. */
const FAQ_CONFIDENCE_THRESHOLD = 0.45;

interface Doc {
  tf: Map<string, number>;
  len: number;
}

/** A BM25 index over one client's FAQ; build once per settings version, query many times. */
export class FaqIndex {
  private readonly docs: Doc[];
  private readonly df = new Map<string, number>();
  private readonly avgLen: number;

  constructor(readonly entries: FaqEntry[]) {
    this.docs = entries.map((e) => {
      const tf = new Map<string, number>();
      const add = (t: string, w: number) => tf.set(t, (tf.get(t) ?? 0) + w);
      for (const t of terms(e.question)) add(t, QUESTION_WEIGHT);
      for (const t of terms(e.answer)) add(t, 1);
      let len = 0;
      for (const v of tf.values()) len += v;
      return { tf, len };
    });
    for (const d of this.docs) for (const t of d.tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.avgLen = this.docs.reduce((n, d) => n + d.len, 0) / Math.max(1, this.docs.length);
  }

  private idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    const N = this.docs.length;
    return Math.log(1 + (N - n + 0.5) / (n + 0.5));
  }

  /** The best entry for a message, or why none fits. */
  match(message: string, threshold = FAQ_CONFIDENCE_THRESHOLD): FaqResult {
    const q = [...new Set(terms(message))];
    if (q.length === 0 || this.docs.length === 0) return isSmallTalk(message) || q.length === 0 ? { kind: 'small_talk' } : { kind: 'no_match', score: 0, confidence: 0 };
    const totalIdf = q.reduce((s, t) => s + this.idf(t), 0);
    let best = -1;
    let bestScore = 0;
    let bestCovered = 0;
    this.docs.forEach((d, i) => {
      let score = 0;
      let covered = 0;
      for (const t of q) {
        const f = d.tf.get(t);
        if (!f) continue;
        const idf = this.idf(t);
        covered += idf;
        score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.len) / this.avgLen));
      }
      if (score > bestScore) {
        best = i;
        bestScore = score;
        bestCovered = covered;
      }
    });
    const confidence = totalIdf > 0 ? bestCovered / totalIdf : 0;
    if (best < 0 || confidence < threshold) return { kind: 'no_match', score: bestScore, confidence };
    return { kind: 'answer', answer: this.entries[best].answer, index: best, score: bestScore, confidence };
  }
}
