// Customer keywords that match their word forms: «оператор» is found in «позовите оператора»,
// «соедините с оператором», «операторға жазыңыз», «операторды»; a phrase matches when its
// words appear in a row, each in some form. A keyword written in an inflected form matches only
// that form's own inflections: «адаммен» (with a person) is not found in «5 адам» (5 people),
// and words of up to three letters («с», «на») match only as they are, so «с человеком» is not
// found in «на 10 человек». Used for handoff words, STOP/START, and later rule conditions.
import { stemmer as russianStem } from '@orama/stemmers/russian';
import { kazakhStems } from './kazakh-stem.ts';
import { words } from './text-normalise.ts';

const KAZAKH_LETTERS = /[әғқңөұүһі]/;

/**
 * The stems isFormOf computes, kept for one text matched against many keywords (the automation
 * rules: hundreds of keywords per message); the same answers as without it.
 */
export class StemMemo {
  private readonly russian = new Map<string, string>();
  private readonly kazakh = new Map<string, string[]>();
  /** A long-lived memo stays small: past `max` entries it starts over. */
  constructor(private readonly max = 20_000) {}
  russianStem(s: string): string {
    if (this.russian.size > this.max) this.russian.clear();
    let r = this.russian.get(s);
    if (r === undefined) this.russian.set(s, r = russianStem(s));
    return r;
  }
  kazakhStems(s: string): string[] {
    if (this.kazakh.size > this.max) this.kazakh.clear();
    let r = this.kazakh.get(s);
    if (r === undefined) this.kazakh.set(s, r = kazakhStems(s));
    return r;
  }
}

/** Whether `word` (from a message) is a form of the keyword's word `kw`. */
export function isFormOf(word: string, kw: string, memo?: StemMemo): boolean {
  if (word === kw) return true;
  if (kw.length <= 3 || word.length < kw.length - 2) return false;
  // English keywords: the plural only («operators»); Snowball's stems join too much («operation»).
  if (/^[a-z]+$/.test(kw)) return word === `${kw}s` || word === `${kw}es` || (kw.endsWith('y') && word === `${kw.slice(0, -1)}ies`);
  // Kazakh forms: the keyword is one of the word's readings («операторға» → «оператор»).
  if ((memo ? memo.kazakhStems(word) : kazakhStems(word)).includes(kw)) return true;
  // Russian forms: one stem, and the keyword is not itself a Kazakh inflection of something shorter.
  if (KAZAKH_LETTERS.test(kw) || KAZAKH_LETTERS.test(word)) return false;
  const stem = (x: string) => (memo ? memo.russianStem(x) : russianStem(x));
  return stem(word) === stem(kw) && stem(kw).length >= 3;
}

/** The first keyword (a word or a phrase) found in the text in any of its forms, or undefined. */
export function findKeyword(text: string, keywords: string[]): string | undefined {
  const ws = words(text);
  return keywords.find((k) => containsWords(ws, words(k)));
}

/** Whether the words `kws` of one keyword (`words(keyword)`) appear in a row in `ws`, each in some form. */
export function containsWords(ws: string[], kws: string[], memo?: StemMemo): boolean {
  if (kws.length === 0 || kws.length > ws.length) return false;
  for (let i = 0; i + kws.length <= ws.length; i++) {
    if (kws.every((kw, j) => isFormOf(ws[i + j], kw, memo))) return true;
  }
  return false;
}

/** At most this many words besides the keyword: «СТОП», «хочу отписаться», not a long message that mentions a stop. */
const COMMAND_EXTRA_WORDS = 3;

/** Whether the message is a short command made of one of the keywords (STOP, START). */
export function isCommand(text: string, keywords: string[]): boolean {
  const k = findKeyword(text, keywords);
  return !!k && words(text).length - words(k).length <= COMMAND_EXTRA_WORDS;
}
