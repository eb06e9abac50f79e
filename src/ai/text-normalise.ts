// Text normalisation for matching customer messages in Russian, Kazakh and English:
// lower case, ё→е, Kazakh letters kept, punctuation stripped, stop words dropped, light
// suffix stemming (enough to match "доставка"/"доставку"/"доставки", "бағасы"/"бағасын").

export type Language = 'ru' | 'kk' | 'en';

const KAZAKH_LETTERS = /[әғқңөұүһі]/i;

/** The customer's language from their text: Kazakh-only letters, else Cyrillic, else Latin. */
export function detectLanguage(text: string, fallback: Language = 'ru'): Language {
  if (KAZAKH_LETTERS.test(text)) return 'kk';
  if (/\b(сәлем|салем|рахмет|қалай|қанша|бар ма|жоқ|керек|бағасы)\b/i.test(text)) return 'kk';
  const cyr = (text.match(/[а-яё]/gi) ?? []).length;
  const lat = (text.match(/[a-z]/gi) ?? []).length;
  if (cyr === 0 && lat === 0) return fallback;
  return cyr >= lat ? 'ru' : 'en';
}

const STOP = new Set([
  // ru
  'и', 'в', 'во', 'не', 'на', 'я', 'с', 'со', 'а', 'то', 'у', 'к', 'ко', 'по', 'за', 'из', 'о', 'об', 'от', 'до', 'же', 'ли', 'бы', 'но', 'да', 'вы', 'мы', 'мне', 'меня', 'вас', 'вам', 'ваш', 'ваши', 'вашей', 'ещё', 'еще', 'это', 'этот', 'эта', 'как', 'так', 'что', 'чтобы', 'есть', 'ли', 'можно', 'пожалуйста', 'подскажите', 'скажите', 'хочу', 'хотел', 'хотела', 'бы', 'здравствуйте', 'привет', 'добрый', 'день', 'вечер', 'утро', 'спасибо', 'он', 'она', 'оно', 'они', 'мой', 'моя', 'мое', 'мои', 'его', 'ее', 'их', 'ты', 'тебя', 'для', 'при', 'про', 'без', 'через', 'уже', 'только', 'очень', 'там', 'тут', 'здесь',
  // kk
  'және', 'мен', 'сен', 'сіз', 'сіздің', 'біз', 'ол', 'бұл', 'да', 'де', 'ма', 'ме', 'ба', 'бе', 'па', 'пе', 'ғой', 'қой', 'сәлем', 'салем', 'сәлеметсіз', 'саламатсыз', 'рахмет', 'бар', 'ме', 'еді', 'керек', 'айтыңызшы',
  // en
  'the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'is', 'are', 'do', 'does', 'i', 'you', 'we', 'me', 'my', 'your', 'it', 'this', 'that', 'can', 'could', 'please', 'hi', 'hello', 'hey', 'there', 'what', 'how', 'be', 'with', 'at', 'about', 'tell', 'thanks', 'thank', 'would', 'like', 'want',
]);

// Longest first; a suffix is removed only when a stem of at least 3 letters remains.
const RU_SUFFIXES = [
  'иями', 'ями', 'ами', 'ого', 'его', 'ому', 'ему', 'ыми', 'ими', 'ая', 'яя', 'ое', 'ее', 'ые', 'ие', 'ый', 'ий', 'ой',
  'ую', 'юю', 'ом', 'ем', 'ам', 'ям', 'ах', 'ях', 'ов', 'ев', 'ей', 'ии', 'ия', 'ию', 'ть', 'ешь', 'ете', 'ите', 'ит', 'ет', 'ут', 'ют', 'ат', 'ят',
  'ся', 'сь', 'а', 'я', 'о', 'е', 'ы', 'и', 'у', 'ю', 'ь', 'й',
].sort((a, b) => b.length - a.length);

const KK_SUFFIXES = [
  'лардың', 'лердің', 'дардың', 'дердің', 'тардың', 'тердің', 'ларға', 'лерге', 'ларда', 'лерде', 'лардан', 'лерден',
  'лары', 'лері', 'дары', 'дері', 'тары', 'тері', 'лар', 'лер', 'дар', 'дер', 'тар', 'тер',
  'ның', 'нің', 'дың', 'дің', 'тың', 'тің', 'нан', 'нен', 'дан', 'ден', 'тан', 'тен', 'мен', 'бен', 'пен',
  'ға', 'ге', 'қа', 'ке', 'да', 'де', 'та', 'те', 'ды', 'ді', 'ты', 'ті', 'ны', 'ні', 'сы', 'сі', 'сын', 'сін', 'ын', 'ін', 'ым', 'ім', 'ың', 'ің', 'ы', 'і',
].sort((a, b) => b.length - a.length);

const EN_SUFFIXES = ['ing', 'ed', 'es', 's', 'ly'];

function stem(word: string): string {
  const list = KAZAKH_LETTERS.test(word) ? KK_SUFFIXES.concat(RU_SUFFIXES) : /[а-я]/.test(word) ? RU_SUFFIXES.concat(KK_SUFFIXES) : EN_SUFFIXES;
  for (const s of list) {
    if (word.endsWith(s) && word.length - s.length >= 3) return word.slice(0, -s.length);
  }
  return word;
}

/** Normalised, stemmed terms of a text (stop words and one-letter words dropped). */
export function terms(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map(stem);
}

/** True when the text is only a greeting or thanks (nothing to look up). */
export function isSmallTalk(text: string): boolean {
  const words = text.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);
  return words.length > 0 && words.length <= 4 && words.every((w) => STOP.has(w) || /^(ку|хай|салам|салют|сәлеметсіздер|ассалаумағалейкум|рахмет|благодарю|ok|ок|okay)$/.test(w));
}
