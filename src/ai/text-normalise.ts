// Text normalisation for matching customer messages in Russian, Kazakh and English: lower case,
// ё→е, punctuation stripped, words stemmed — Russian and English by @orama/stemmers (Snowball),
// Kazakh by our suffix stripper (kazakh-stem.ts) — and Latin transliteration of Russian or
// Kazakh ("skolko stoit") read as Cyrillic too.
import { stemmer as russianStem } from '@orama/stemmers/russian';
import { stemmer as englishStem } from '@orama/stemmers/english';
import { kazakhStems } from './kazakh-stem.ts';

export type Language = 'ru' | 'kk' | 'en';

const KAZAKH_LETTERS = /[әғқңөұүһі]/i;
const KAZAKH_WORDS = /(^|\s)(сәлем|салем|рахмет|қалай|қанша|канша|бар ма|жоқ|керек|бағасы|кашан|қашан|калай|кайда|қайда|ма|ме|ба|бе|бола|болады|бастау|тоқта)(\s|$)/i;

/** The customer's language from their text: Kazakh-only letters or words, else Cyrillic, else Latin. */
export function detectLanguage(text: string, fallback: Language = 'ru'): Language {
  if (KAZAKH_LETTERS.test(text)) return 'kk';
  const t = normalise(text);
  if (KAZAKH_WORDS.test(t)) return 'kk';
  const cyr = (text.match(/[а-яё]/gi) ?? []).length;
  const lat = (text.match(/[a-z]/gi) ?? []).length;
  if (cyr === 0 && lat === 0) return fallback;
  return cyr >= lat ? 'ru' : 'en';
}

/** Lower case, ё→е, every run of non-letters/digits one space, trimmed. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The words of a text, normalised. */
export function words(text: string): string[] {
  const t = normalise(text);
  return t ? t.split(' ') : [];
}

export const STOP_WORDS = new Set([
  // ru
  'и', 'в', 'во', 'не', 'на', 'я', 'с', 'со', 'а', 'то', 'у', 'к', 'ко', 'по', 'за', 'из', 'о', 'об', 'от', 'до', 'же', 'ли', 'бы', 'но', 'да', 'вы', 'мы', 'мне', 'меня', 'вас', 'вам', 'ваш', 'ваши', 'вашей', 'ваша', 'ваше', 'вашего', 'еще', 'это', 'этот', 'эта', 'как', 'так', 'что', 'чтобы', 'есть', 'можно', 'пожалуйста', 'пжл', 'плиз', 'подскажите', 'скажите', 'подскажи', 'скажи', 'хочу', 'хотел', 'хотела', 'здравствуйте', 'здрасте', 'привет', 'добрый', 'день', 'вечер', 'утро', 'спасибо', 'он', 'она', 'оно', 'они', 'мой', 'моя', 'мое', 'мои', 'его', 'ее', 'их', 'ты', 'тебя', 'для', 'при', 'про', 'без', 'уже', 'только', 'очень', 'там', 'тут', 'здесь', 'а', 'ну', 'вообще', 'вот', 'всё', 'все', 'какой', 'какая', 'какие', 'какое', 'каким', 'у', 'нас', 'сейчас', 'тоже', 'просто', 'ещё', 'интересует', 'узнать', 'вопрос', 'сегодня', 'седня', 'завтра', 'щас', 'сейчас', 'потом',
  // kk
  'және', 'мен', 'сен', 'сіз', 'сіздің', 'сіздер', 'сіздерде', 'сіздерге', 'сізде', 'сізге', 'біз', 'ол', 'бұл', 'да', 'де', 'та', 'те', 'ма', 'ме', 'ба', 'бе', 'па', 'пе', 'ғой', 'қой', 'сәлем', 'салем', 'сәлеметсіз', 'саламатсыз', 'сәлеметсіздер', 'рахмет', 'бар', 'еді', 'керек', 'айтыңызшы', 'айтып', 'жіберіңізші', 'қандай', 'кандай', 'ғана', 'енді', 'осы', 'мына', 'маған', 'менің', 'бізге', 'ия', 'иә', 'жоқ', 'бе', 'деген', 'білгім', 'келеді', 'білейін', 'бүгін', 'ертең', 'қазір', 'деп', 'едім', 'болама',
  // en
  'the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'is', 'are', 'do', 'does', 'i', 'you', 'we', 'me', 'my', 'your', 'it', 'this', 'that', 'can', 'could', 'please', 'pls', 'plz', 'hi', 'hello', 'hey', 'there', 'what', 'be', 'with', 'at', 'about', 'tell', 'thanks', 'thank', 'would', 'like', 'want', 'u', 'ur', 'im', 'any', 'is', 'have', 'has', 'there', 'get', 'will', 'if', 'so', 'just', 'know', 'need', 'guys', 'yours', 'one', 'some', 'its', 'today', 'tomorrow', 'now', 'r', 'd', 'who', 'which', 'whose', 'whom', 'did', 'was', 'were', 'am',
  // transliterated ru/kk
  'vy', 'vas', 'vam', 'li', 'est', 'mozhno', 'mojno', 'pozhaluista', 'pojaluista', 'pozhalusta', 'zdravstvuite', 'privet', 'spasibo', 'skazhite', 'podskazhite', 'podskajite', 'kak', 'chto', 'eto', 'ne', 'na', 'v', 's', 'k', 'po', 'za', 'iz', 'do', 'ot', 'a', 'no', 'da', 'salem', 'rakhmet', 'rahmet', 'siz', 'sizde', 'bar', 'ma', 'me', 'ba', 'be',
]);

// Latin → Cyrillic for customers who type Russian or Kazakh in Latin letters ("skolko stoit").
const TRANSLIT: Array<[RegExp, string]> = [
  [/shch/g, 'щ'], [/sch/g, 'щ'], [/zh/g, 'ж'], [/kh/g, 'х'], [/ch/g, 'ч'], [/sh/g, 'ш'], [/ts/g, 'ц'], [/yu/g, 'ю'], [/ya/g, 'я'], [/yo/g, 'е'], [/ye/g, 'е'],
  [/ia/g, 'ия'], [/j/g, 'ж'], [/q/g, 'к'], [/w/g, 'у'], [/x/g, 'кс'], [/c/g, 'к'], [/y$/g, 'й'],
];
const LATIN_TO_CYR: Record<string, string> = {
  a: 'а', b: 'б', v: 'в', g: 'г', d: 'д', e: 'е', z: 'з', i: 'и', y: 'ы', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', u: 'у', f: 'ф', h: 'х',
};

/** A Latin word read as transliterated Russian/Kazakh. */
export function transliterate(word: string): string {
  let w = word;
  for (const [re, to] of TRANSLIT) w = w.replace(re, to);
  return [...w].map((ch) => LATIN_TO_CYR[ch] ?? ch).join('');
}

const isLatin = (w: string) => /^[a-z]+$/.test(w);
const isCyrillic = (w: string) => /[а-яәғқңөұүһі]/.test(w);

/**
 * The stems a word may have. Latin words: the English stem and the Russian stem of the word read
 * as transliteration; Cyrillic words with Kazakh letters (or in a Kazakh message): the Kazakh
 * readings and the Russian stem; other Cyrillic words: the Russian stem.
 */
export function wordStems(word: string, kazakhContext = false): string[] {
  if (/^\d+$/.test(word)) return [word];
  if (isLatin(word)) {
    const cyr = transliterate(word);
    return [...new Set([englishStem(word), russianStem(cyr), ...(kazakhContext ? kazakhStems(cyr) : [])])];
  }
  if (!isCyrillic(word)) return [word];
  const ru = russianStem(word);
  if (KAZAKH_LETTERS.test(word) || kazakhContext) return [...new Set([...kazakhStems(word), ru])];
  return [ru];
}

/** Normalised, stemmed terms of a text (stop words and one-letter words dropped): the shortest stem of each word. */
export function terms(text: string): string[] {
  const kk = detectLanguage(text) === 'kk';
  return words(text).filter((w) => w.length > 1 && !STOP_WORDS.has(w)).map((w) => wordStems(w, kk).reduce((a, b) => (b.length < a.length ? b : a)));
}

/** The letters of a word reduced for fuzzy comparison: Cyrillic (Latin transliterated), no soft/hard signs, й as и. */
export function skeleton(word: string): string {
  const w = word;
  return w.replace(/[ьъ]/g, '').replace(/й/g, 'и').replace(/[ұү]/g, 'у').replace(/[қ]/g, 'к').replace(/ғ/g, 'г').replace(/ң/g, 'н').replace(/ө/g, 'о').replace(/ә/g, 'а').replace(/і/g, 'и').replace(/һ/g, 'х');
}

const SMALL_TALK = /^(ку|хай|салам|салют|сәлеметсіздер|ассалаумағалейкум|рахмет|благодарю|ok|ок|okay|ясно|понятно|хорошо|жақсы|түсінікті|good|great|cool|thx|bye|пока|сау|болыңыз)$/;

/** True when the text is only a greeting or thanks (nothing to look up). */
export function isSmallTalk(text: string): boolean {
  const ws = words(text);
  return ws.length > 0 && ws.length <= 4 && ws.every((w) => STOP_WORDS.has(w) || SMALL_TALK.test(w));
}
