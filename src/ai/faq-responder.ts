// The offline FAQ responder: no provider, no network. Ranks the client's FAQ entries against the
// customer's message with BM25 over three kinds of terms — word stems (ru/en Snowball, our
// Kazakh stripper, transliteration read as Cyrillic), concepts of the cross-language lexicon
// (lexicon.ts: "цена" = "баға" = "price"), and character trigrams (typos, forms the stemmers
// miss) — across all of an entry's phrasings. Below a confidence threshold, calibrated on the
// evaluation set's development half (faq-eval/), it hands off to a person instead of guessing.
import { createHash } from 'node:crypto';
import { buildLexicon, type Lexicon } from './lexicon.ts';
import { detectLanguage, isSmallTalk, skeleton, STOP_WORDS, wordStems, words } from './text-normalise.ts';

export interface FaqEntry {
  question: string;
  /** Other phrasings of the question (other words, other languages). */
  questions?: string[];
  answer: string;
}

export type FaqResult =
  | { kind: 'answer'; answer: string; index: number; score: number; confidence: number }
  | { kind: 'small_talk' }
  | { kind: 'no_match'; score: number; confidence: number; index?: number };

const K1 = 1.2;
const B = 0.4;
/** How much each kind of term counts, per word. */
const WEIGHT = { concept: 2.5, weakConcept: 1, stem: 1, gram: 0.6 };
/** Questions count more than answers: they are phrased like what customers write. */
const QUESTION_WEIGHT = 2;
const ANSWER_WEIGHT = 0.5;
/** Extra weight of a word unknown to every entry, in units of a stem's. */
const UNKNOWN_WORD_WEIGHT = 1;
/** Share of a word's trigrams an entry must hold for the word to count as covered by its letters. */
const FUZZY_SHARE = 0.6;
/** Question words: content for matching, but never a sign of an unknown topic. */
const QUESTION_WORDS = new Set(['when', 'where', 'how', 'why', 'what', 'когда', 'где', 'куда', 'почему', 'зачем', 'сколько', 'скока', 'қашан', 'кашан', 'қайда', 'кайда', 'неге', 'қанша', 'канша', 'нешеде', 'kogda', 'gde', 'skolko']);
/** Share of the message's weight (by IDF) that the best entry must cover. Calibrated with `npm run eval:faq`. */
export const FAQ_CONFIDENCE_THRESHOLD = 0.32;

type Terms = Map<string, number>;

const addTo = (m: Terms, t: string, w: number) => m.set(t, (m.get(t) ?? 0) + w);

function trigrams(word: string): string[] {
  const s = `_${skeleton(word)}_`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= s.length; i++) out.push(s.slice(i, i + 3));
  return out;
}

/** The weighted terms of a text: stems, lexicon concepts and trigrams of its content words. */
export function analyse(text: string, lexicon: Lexicon): Terms {
  const out: Terms = new Map();
  const kk = detectLanguage(text) === 'kk';
  const ws = words(text);
  const stems = ws.map((w) => wordStems(w, kk));
  for (const [c, n] of lexicon.conceptsOf(stems)) addTo(out, `c:${c}`, (c.startsWith('w') ? WEIGHT.weakConcept : WEIGHT.concept) * Math.min(n, 2));
  ws.forEach((w, i) => {
    if (w.length < 2 || STOP_WORDS.has(w)) return;
    // A Latin word is English first; its reading as transliterated Russian counts less.
    const latin = /^[a-z]+$/.test(w) && stems[i].length > 1;
    stems[i].forEach((s, k) => addTo(out, `s:${s}`, latin ? WEIGHT.stem * (k === 0 ? 0.7 : 0.3 / (stems[i].length - 1)) : WEIGHT.stem / stems[i].length));
    if (/^\d+$/.test(w)) return;
    const g = trigrams(w);
    for (const t of g) addTo(out, `g:${t}`, WEIGHT.gram / g.length);
  });
  return out;
}

interface Doc {
  tf: Terms;
  len: number;
}

/** A BM25 index over one client's FAQ; build once per settings version, query many times. */
export class FaqIndex {
  private readonly docs: Doc[];
  private readonly df = new Map<string, number>();
  private readonly avgLen: number;
  private readonly lexicon: Lexicon;

  constructor(readonly entries: FaqEntry[], synonyms: string[][] = []) {
    this.lexicon = buildLexicon(synonyms);
    this.docs = entries.map((e) => {
      const tf: Terms = new Map();
      for (const q of [e.question, ...(e.questions ?? [])]) for (const [t, w] of analyse(q, this.lexicon)) addTo(tf, t, w * QUESTION_WEIGHT);
      for (const [t, w] of analyse(e.answer, this.lexicon)) addTo(tf, t, w * ANSWER_WEIGHT);
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

  private unknownWords(message: string): number {
    const kk = detectLanguage(message) === 'kk';
    return words(message).filter((w) => w.length > 1 && !STOP_WORDS.has(w) && !QUESTION_WORDS.has(w) && !/^\d+$/.test(w)).filter((w) => {
      const stems = wordStems(w, kk);
      if (stems.some((s) => this.df.has(`s:${s}`))) return false;
      // A word of the lexicon whose concept the FAQ has (a city, a synonym) is known too.
      return ![...this.lexicon.conceptsOf([stems]).keys()].some((c) => this.df.has(`c:${c}`));
    }).length;
  }

  /** Every entry's score and the share of the message it covers, best first. */
  rank(message: string): Array<{ index: number; score: number; confidence: number }> {
    const q = analyse(message, this.lexicon);
    const grams = words(message).filter((w) => w.length > 1 && !STOP_WORDS.has(w) && !/^\d+$/.test(w)).map(trigrams);
    let total = 0;
    for (const [t, w] of q) total += w * this.idf(t);
    // A word no entry knows by any stem (a topic the FAQ does not cover) weighs extra.
    total += UNKNOWN_WORD_WEIGHT * this.unknownWords(message) * this.idf('');
    const ranked = this.docs.map((d, index) => {
      let score = 0;
      let covered = 0;
      for (const [t, w] of q) {
        const f = d.tf.get(t);
        if (!f) continue;
        const idf = this.idf(t);
        // A weak concept (a city) helps pick the entry but does not vouch for it; trigrams
        // vouch only for words that mostly match (below).
        if (!t.startsWith('c:w') && !t.startsWith('g:')) covered += w * idf;
        score += (w * idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.len) / this.avgLen));
      }
      // A word vouched for by its letters: most of its trigrams are in the entry (a typo, a
      // form the stemmers miss), not two of them ("cars" in "cards").
      for (const g of grams) {
        const hit = g.filter((t) => d.tf.has(`g:${t}`));
        if (hit.length >= FUZZY_SHARE * g.length) for (const t of hit) covered += (WEIGHT.gram / g.length) * this.idf(`g:${t}`);
      }
      return { index, score, confidence: total > 0 ? covered / total : 0 };
    });
    return ranked.sort((a, b) => b.score - a.score);
  }

  /** The best entry for a message, or why none fits. */
  match(message: string, threshold = FAQ_CONFIDENCE_THRESHOLD): FaqResult {
    if (isSmallTalk(message)) return { kind: 'small_talk' };
    const content = words(message).filter((w) => w.length > 1 && !STOP_WORDS.has(w));
    if (content.length === 0) return { kind: 'small_talk' };
    if (this.docs.length === 0) return { kind: 'no_match', score: 0, confidence: 0 };
    const best = this.rank(message)[0];
    if (best.score <= 0 || best.confidence < threshold) return { kind: 'no_match', score: best.score, confidence: best.confidence, index: best.index };
    return { kind: 'answer', answer: this.entries[best.index].answer, index: best.index, score: best.score, confidence: best.confidence };
  }
}

const INDEX_CACHE_SIZE = 64;
const indexCache = new Map<string, FaqIndex>();

/**
 * The index of this FAQ and these synonyms, built once per content and reused: building one
 * analyses every phrasing (~100 ms for 200 entries) where a query takes a few. Keyed by a hash of
 * the content itself, so an edit is seen at once whatever the clock says. A fixed table derived
 * from its key with no state of its own, like a compiled regular expression: shared, not passed
 * around; the least recently used index goes past INDEX_CACHE_SIZE.
 */
export function faqIndexFor(entries: FaqEntry[], synonyms: string[][] = []): FaqIndex {
  const key = createHash('sha256').update(JSON.stringify([entries, synonyms])).digest('base64');
  let index = indexCache.get(key);
  if (index) indexCache.delete(key); // re-inserted below: the Map's order is the recency order
  else index = new FaqIndex(entries, synonyms);
  indexCache.set(key, index);
  if (indexCache.size > INDEX_CACHE_SIZE) indexCache.delete(indexCache.keys().next().value!);
  return index;
}
