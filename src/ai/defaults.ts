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
 * Words that ask for a person, matched as whole words in the customer's message. Bare
 * "человек" and "адам" also mean "people" ("на 10 человек", "5 адам"), so their asking forms are used.
 */
export const DEFAULT_HANDOFF_KEYWORDS = [
  'оператор', 'оператора', 'менеджер', 'менеджера', 'живой человек', 'с человеком', 'сотрудник', 'консультант',
  'адаммен', 'тірі адам', 'операторға', 'менеджерге', 'маман',
  'operator', 'human', 'live agent', 'manager', 'real person',
];

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
