import type { Language } from './text-normalise.ts';

// Built-in texts. A text may hold one line per language ("ru: …", "kk: …", "en: …"): the
// customer gets the line in their language (see pickLanguageLine).

export const DEFAULT_DISCLOSURE = [
  'ru: Вы общаетесь с ИИ-ассистентом. Напишите «оператор», чтобы связаться с человеком.',
  'kk: Сіз ЖИ-көмекшімен сөйлесіп отырсыз. Адаммен сөйлесу үшін «оператор» деп жазыңыз.',
  "en: You are chatting with an AI assistant. Write 'operator' to reach a person.",
].join('\n');

export const DEFAULT_FALLBACK = [
  'ru: Спасибо за сообщение! Сейчас подключим сотрудника, он ответит вам в ближайшее время.',
  'kk: Хабарламаңызға рахмет! Қазір қызметкер қосылып, жақын арада жауап береді.',
  'en: Thank you for your message! A member of our team will reply to you shortly.',
].join('\n');

export const GREETING = [
  'ru: Здравствуйте! Чем могу помочь?',
  'kk: Сәлеметсіз бе! Қалай көмектесе аламын?',
  'en: Hello! How can I help you?',
].join('\n');

/**
 * Words that ask for a person, matched in any of their word forms («оператор» finds «оператора»,
 * «операторға»; keywords.ts). Bare «человек» and «адам» also mean "people" («на 10 человек»,
 * «5 адам»), so only their asking forms are listed: an inflected keyword matches only its own forms.
 */
export const DEFAULT_HANDOFF_KEYWORDS = [
  'оператор', 'менеджер', 'живой человек', 'с человеком', 'сотрудник', 'консультант',
  'адаммен', 'тірі адам', 'маман',
  'operator', 'human', 'live agent', 'manager', 'real person',
];

/** STOP and START always work, whatever the client's lists say. */
export const BUILT_IN_STOP_KEYWORDS = ['stop', 'стоп', 'тоқта'];
export const BUILT_IN_START_KEYWORDS = ['start', 'старт', 'бастау'];

/** The client's own STOP/START words until it sets them (`null` in the API restores these). */
export const DEFAULT_STOP_KEYWORDS = ['отписаться', 'отписка', 'отпишите', 'не пишите мне', 'unsubscribe', 'жазылымнан шығу', 'жазбаңыз', 'тоқтатыңыз'];
export const DEFAULT_START_KEYWORDS = ['подписаться', 'возобновить', 'subscribe', 'resume', 'жалғастыру'];

/** The one confirmation a customer gets after STOP, and after START. */
export const STOP_CONFIRMATION = [
  'ru: Вы отписались от автоматических сообщений. Сотрудник может ответить вам лично. Чтобы снова получать их, напишите СТАРТ.',
  'kk: Сіз автоматты хабарламалардан бас тарттыңыз. Қызметкер сізге өзі жауап бере алады. Қайта алу үшін БАСТАУ деп жазыңыз.',
  'en: You have unsubscribed from automatic messages. A member of our team may still reply to you personally. Write START to receive them again.',
].join('\n');

export const START_CONFIRMATION = [
  'ru: Вы снова получаете автоматические ответы. Чтобы отписаться, напишите СТОП.',
  'kk: Сіз автоматты жауаптарды қайта аласыз. Бас тарту үшін ТОҚТА деп жазыңыз.',
  'en: You will receive automatic replies again. Write STOP to unsubscribe.',
].join('\n');

export const DEFAULT_MODEL = { openai: 'gpt-4o-mini', compatible: '' } as const;
export const DEFAULT_TRANSCRIPTION_MODEL = 'whisper-1';

/** The policy text version an owner authorises when recording a transfer consent. */
export const TRANSFER_POLICY_VERSION = '2026-01';

/**
 * The line for `lang` from a text written as "ru: …\nkk: …\nen: …"; a text without such
 * prefixes is returned as it is. A missing language falls back to Russian, then the first line.
 */
export function pickLanguageLine(text: string, lang: Language): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const tagged = lines.map((l) => /^(ru|kk|en)\s*:\s*(.*)$/s.exec(l)).filter((m): m is RegExpExecArray => !!m);
  if (tagged.length === 0 || tagged.length !== lines.length) return text.trim();
  const by = new Map(tagged.map((m) => [m[1], m[2]]));
  return by.get(lang) ?? by.get('ru') ?? tagged[0][2];
}
