import { ZxcvbnFactory, type OptionsGraph } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/** zxcvbn's score (0–4) a new password must reach: 3 is "safely unguessable" against an offline attack on a slow hash. */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Words people here build passwords from, in Russian and Kazakh (and their usual Latin spellings,
 * and "пароль" typed on an English layout). zxcvbn's own lists are English only.
 */
const RU_KK_WORDS = [
  'пароль', 'парол', 'gfhjkm', 'parol', 'privet', 'привет', 'любовь', 'lyubov', 'lubov', 'люблю', 'lublu', 'солнце', 'solnce', 'солнышко', 'котик',
  'котенок', 'kotik', 'зайка', 'zaika', 'zaya', 'малыш', 'ангел', 'angel', 'наташа', 'natasha', 'настя', 'анастасия', 'екатерина', 'катя', 'марина', 'ольга',
  'александр', 'сергей', 'андрей', 'дмитрий', 'максим', 'владимир', 'москва', 'moskva', 'россия', 'rossiya', 'russia', 'алматы', 'almaty', 'алма-ата',
  'астана', 'astana', 'нурсултан', 'казахстан', 'kazakhstan', 'qazaqstan', 'шымкент', 'караганда', 'сәлем', 'салем', 'salem', 'махаббат', 'mahabbat',
  'құпиясөз', 'купиясоз', 'kupiyasoz', 'жаным', 'zhanym', 'бақыт', 'бакыт', 'bakyt', 'айгерим', 'aigerim', 'нурлан', 'nurlan', 'ерлан', 'асель',
  'айдана', 'данияр', 'арман', 'мама', 'папа', 'семья', 'компьютер', 'админ', 'администратор', 'привет123', 'qwerty', 'йцукен', 'фыва', 'ячсмит', 'хабар', 'habar',
];

/**
 * The Russian ЙЦУКЕН layout as an adjacency graph: the same key positions as zxcvbn's QWERTY graph
 * (the keys sit where they sit on a Russian PC keyboard), each character carried over to the
 * Cyrillic one printed on that key. Without it "йцукен123" counts as random letters.
 */
function jcukenGraph(qwerty: OptionsGraph[string]): OptionsGraph[string] {
  const from = '`~@#$^&qwertyuiop[]QWERTYUIOP{}|asdfghjkl;\'ASDFGHJKL:"zxcvbnm,./ZXCVBNM<>?';
  const to = 'ёЁ"№;:?йцукенгшщзхъЙЦУКЕНГШЩЗХЪ/фывапролджэФЫВАПРОЛДЖЭячсмитьбю.ЯЧСМИТЬБЮ,';
  const map = new Map([...from].map((ch, i) => [ch, to[i]]));
  const carry = (s: string) => [...s].map((ch) => map.get(ch) ?? ch).join('');
  const out: OptionsGraph[string] = {};
  for (const [key, neighbours] of Object.entries(qwerty)) out[carry(key)] = neighbours.map((n) => (n === null ? null : carry(n)));
  return out;
}

export interface PasswordVerdict {
  /** 0 (trivial) to 4 (very strong). */
  score: number;
  /** zxcvbn's feedback keys (translated in our catalogs as `password.feedback.<key>`). */
  warning: string | null;
  suggestions: string[];
}

let factory: ZxcvbnFactory | undefined;
// Built once per process on first use (the dictionaries take ~100 ms to rank): a fixed table, like a
// compiled regular expression, with no state of its own, so it is shared rather than passed around.
const zxcvbn = () => (factory ??= new ZxcvbnFactory({
  dictionary: { ...commonDictionary, ...englishDictionary, 'ru-kk': RU_KK_WORDS },
  graphs: { ...adjacencyGraphs, jcuken: jcukenGraph(adjacencyGraphs.qwerty as OptionsGraph[string]) },
  // Bounds the work per check (it grows with the square of the length, and l33t variants multiply it):
  // a 200-character password would otherwise take seconds. The first 64 characters decide.
  l33tMaxSubstitutions: 5,
  maxLength: 64,
}));

/** How guessable `password` is; `userInputs` (e-mail, name) count as known to an attacker. */
export function passwordStrength(password: string, userInputs: string[] = []): PasswordVerdict {
  // An e-mail or a full name is matched word by word ("aigerim", "nurlanova"), not only as a whole.
  const words = userInputs.flatMap((s) => [s, ...s.toLowerCase().split(/[^\p{L}\p{N}]+/u)]).filter((w) => w.length >= 3);
  const r = zxcvbn().check(password, words);
  return { score: r.score, warning: r.feedback.warning || null, suggestions: r.feedback.suggestions };
}

/** The feedback as English sentences (CLI and API messages; the web forms translate the keys: views/i18n/passwords.ts). */
export function feedbackInEnglish(v: PasswordVerdict): string {
  const warnings: Record<string, string> = translations.warnings;
  const suggestions: Record<string, string> = translations.suggestions;
  return [v.warning && warnings[v.warning], ...v.suggestions.map((s) => suggestions[s])].filter(Boolean).join(' ');
}
