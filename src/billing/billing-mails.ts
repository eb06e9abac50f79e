// The billing room's two e-mails in ru, kk and en: the issued statement (to the billing address,
// in the install's default language) and the quota notice (to the owners, each in their own).
import type { MailLanguage } from '../mail/index.ts';
import { formatMoney, type Statement } from './statements.ts';

/** The quota job's payload (see checkQuotas). */
export interface QuotaNotice { metric: string; threshold: number; used: number; included: number; stopsAi: boolean }

interface Words {
  statement: string;
  corrects: (n: string) => string;
  correctsSentence: (n: string) => string;
  bin: string;
  plan: string;
  total: string;
  view: string;
  lines: Record<string, string>;
  metrics: Record<string, string>;
  quotaSubject: (client: string, threshold: number, metric: string) => string;
  quotaUsed: (client: string, used: number, included: number, metric: string, threshold: number) => string;
  stopsAi: string;
  overage: string;
  usage: string;
}

const METRICS: Record<MailLanguage, Record<string, string>> = {
  ru: { messages: 'Сообщения', ai_replies: 'Ответы ИИ', ai_tokens: 'Токены ИИ', api_calls: 'Вызовы API', channels: 'Каналы' },
  kk: { messages: 'Хабарламалар', ai_replies: 'ЖИ жауаптары', ai_tokens: 'ЖИ токендері', api_calls: 'API шақырулары', channels: 'Арналар' },
  en: { messages: 'messages', ai_replies: 'AI replies', ai_tokens: 'AI tokens', api_calls: 'API calls', channels: 'channel accounts' },
};

const WORDS: Record<MailLanguage, Words> = {
  ru: {
    statement: 'Выписка', corrects: (n) => `исправляет ${n}`, correctsSentence: (n) => `Она исправляет выписку ${n}.`, bin: 'БИН', plan: 'Тариф', total: 'Итого',
    view: 'Открыть и распечатать', lines: { plan: 'Абонентская плата', vat: 'НДС', ...METRICS.ru }, metrics: METRICS.ru,
    quotaSubject: (client, t, metric) => `[Habar] ${client}: израсходовано ${t} % включённого в тариф («${metric}»)`,
    quotaUsed: (client, used, included, metric, t) => `В этом месяце ${client} израсходовал ${used} из ${included} включённых в тариф («${metric}», ${t} %).`,
    stopsAi: 'Ваш тариф останавливает ответы ИИ сверх лимита: сообщения клиентов по-прежнему приходят и сотрудники отвечают, но ИИ-ассистент передаёт каждый новый разговор сотруднику до следующего месяца или перехода на больший тариф.',
    overage: 'Использование сверх включённого объёма войдёт в следующую выписку как перерасход.',
    usage: 'Использование',
  },
  kk: {
    statement: 'Үзінді', corrects: (n) => `${n} түзетеді`, correctsSentence: (n) => `Ол ${n} үзіндісін түзетеді.`, bin: 'БСН', plan: 'Тариф', total: 'Барлығы',
    view: 'Қарау және басып шығару', lines: { plan: 'Абоненттік төлем', vat: 'ҚҚС', ...METRICS.kk }, metrics: METRICS.kk,
    quotaSubject: (client, t, metric) => `[Habar] ${client}: тарифке кіретін көлемнің ${t} % пайдаланылды («${metric}»)`,
    quotaUsed: (client, used, included, metric, t) => `Осы айда ${client} тарифке кіретін ${included} ішінен ${used} пайдаланды («${metric}», ${t} %).`,
    stopsAi: 'Тарифіңіз лимиттен асқанда ЖИ жауаптарын тоқтатады: клиенттердің хабарламалары келе береді, қызметкерлер жауап береді, бірақ ЖИ-көмекші келесі айға дейін немесе үлкенірек тарифке ауысқанша әр жаңа сөйлесуді қызметкерге береді.',
    overage: 'Кіретін көлемнен асқан пайдалану келесі үзіндіде артық шығын ретінде есептеледі.',
    usage: 'Пайдалану',
  },
  en: {
    statement: 'Statement', corrects: (n) => `corrects ${n}`, correctsSentence: (n) => `It corrects statement ${n}.`, bin: 'BIN', plan: 'Plan', total: 'Total',
    view: 'View and print it', lines: { plan: 'Monthly plan price', vat: 'VAT', messages: 'Messages', ai_replies: 'AI replies', ai_tokens: 'AI tokens', api_calls: 'API calls', channels: 'Channel accounts' }, metrics: METRICS.en,
    quotaSubject: (client, t, metric) => `[Habar] ${client}: ${t} % of the included ${metric} used`,
    quotaUsed: (client, used, included, metric, t) => `This month ${client} has used ${used} of ${included} included ${metric} (${t} %).`,
    stopsAi: 'Your plan stops AI replies past its limit: customers’ messages still arrive and your agents still answer, but the AI assistant hands every new conversation to a person until next month or a larger plan.',
    overage: 'Usage past the included amount is billed as overage on the next statement.',
    usage: 'Usage',
  },
};

export function statementMail(lang: MailLanguage, s: Statement, link: string): { subject: string; text: string } {
  const w = WORDS[lang];
  const money = (n: number) => formatMoney(n, s.currency);
  const lines = s.lines.filter((l) => l.amount_minor !== 0 || l.kind === 'plan').map((l) => `  ${w.lines[l.kind] ?? l.kind}: ${money(l.amount_minor)}`);
  return {
    subject: `[Habar] ${w.statement} ${s.number}${s.corrects ? ` (${w.corrects(s.corrects)})` : ''}: ${s.period_start} – ${s.period_end}`,
    text: [
      `${w.statement} ${s.number}: ${s.client.legal_name}${s.client.bin ? ` (${w.bin} ${s.client.bin})` : ''}, ${s.period_start} – ${s.period_end}.`,
      s.corrects ? w.correctsSentence(s.corrects) : '',
      `${w.plan}: ${s.plan ?? '—'}`, ...lines, `${w.total}: ${money(s.total_minor)}`, '',
      `${w.view}: ${link}`,
      s.operator.name ? `\n${s.operator.name}${s.operator.bin ? `, ${w.bin} ${s.operator.bin}` : ''}` : '',
    ].filter((x) => x !== '').join('\n'),
  };
}

export function quotaMail(lang: MailLanguage, client: string, p: QuotaNotice, link: string): { subject: string; text: string } {
  const w = WORDS[lang];
  const metric = w.metrics[p.metric] ?? p.metric;
  return {
    subject: w.quotaSubject(client, p.threshold, metric),
    text: [
      w.quotaUsed(client, p.used, p.included, metric, p.threshold),
      p.stopsAi ? w.stopsAi : p.threshold >= 100 ? w.overage : '',
      `${w.usage}: ${link}`,
    ].filter(Boolean).join('\n\n'),
  };
}
