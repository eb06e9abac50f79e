// The human-readable summary in a contact's export: who they are to the client, how they can be
// reached, and every message, as one self-contained HTML page (no script, no outside resource).
import type { Row } from './export-rows.ts';

type Lang = 'ru' | 'kk' | 'en';

const LABELS: Record<Lang, Record<string, string>> = {
  en: {
    title: 'Your data held by this business', intro: 'A summary of everything stored about you; contact.json in the same archive has every field.',
    created: 'Prepared', contact: 'Contact', name: 'Name', phone: 'Phone', tags: 'Tags', since: 'Known since', marks: 'Processing',
    restricted: 'restricted', objected: 'objection recorded', minor: 'marked as a minor', none: 'no restriction',
    identities: 'How you write to the business', kind: 'Kind', value: 'Identifier', conversations: 'Conversations', messages: 'messages',
    from_you: 'You', from_business: 'Business', files: 'Files', requests: 'Your privacy requests', status: 'Status', received: 'Received',
  },
  ru: {
    title: 'Ваши данные у этой компании', intro: 'Сводка всего, что о вас хранится; все поля — в файле contact.json в этом же архиве.',
    created: 'Подготовлено', contact: 'Контакт', name: 'Имя', phone: 'Телефон', tags: 'Метки', since: 'Известен с', marks: 'Обработка',
    restricted: 'ограничена', objected: 'возражение записано', minor: 'отмечен как несовершеннолетний', none: 'без ограничений',
    identities: 'Как вы пишете компании', kind: 'Вид', value: 'Идентификатор', conversations: 'Переписка', messages: 'сообщений',
    from_you: 'Вы', from_business: 'Компания', files: 'Файлы', requests: 'Ваши запросы о данных', status: 'Статус', received: 'Получен',
  },
  kk: {
    title: 'Осы компаниядағы сіздің деректеріңіз', intro: 'Сіз туралы сақталғанның бәрінің қысқаша мазмұны; барлық өрістер осы архивтегі contact.json файлында.',
    created: 'Дайындалды', contact: 'Байланыс', name: 'Аты', phone: 'Телефон', tags: 'Белгілер', since: 'Белгілі', marks: 'Өңдеу',
    restricted: 'шектелген', objected: 'қарсылық жазылды', minor: 'кәмелетке толмаған деп белгіленген', none: 'шектеусіз',
    identities: 'Компанияға қалай жазасыз', kind: 'Түрі', value: 'Идентификатор', conversations: 'Хат алмасу', messages: 'хабарлама',
    from_you: 'Сіз', from_business: 'Компания', files: 'Файлдар', requests: 'Деректер туралы сұрауларыңыз', status: 'Күйі', received: 'Алынды',
  },
};

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const when = (v: unknown) => esc(typeof v === 'string' ? v.replace('T', ' ').slice(0, 16) + ' UTC' : '');
const isLang = (l: string | undefined): l is Lang => l === 'ru' || l === 'kk' || l === 'en';

/** The summary page of one contact's rows (by table, as in contact.json). */
export function contactSummaryHtml(data: Record<string, Row[]>, opts: { lang?: string; createdAt: string }): string {
  const lang: Lang = isLang(opts.lang) ? opts.lang : 'ru';
  const L = LABELS[lang];
  const contact = data.contacts?.[0] ?? {};
  const marks = [contact.restricted ? L.restricted : '', contact.objected ? L.objected : '', contact.minor ? L.minor : ''].filter(Boolean).join(', ') || L.none;
  let tags: string[] = [];
  try { tags = JSON.parse(String(contact.tags ?? '[]')); } catch { tags = []; }
  const identities = (data.contact_identities ?? []).map((i) => `<tr><td>${esc(i.kind)}</td><td>${esc(i.value)}</td></tr>`).join('');
  const messages = data.messages ?? [];
  const files = new Map<string, Row[]>();
  for (const a of data.attachments ?? []) {
    const key = String(a.message_id ?? '');
    files.set(key, [...(files.get(key) ?? []), a]);
  }
  const conversations = (data.conversations ?? []).map((c) => {
    const own = messages.filter((m) => m.conversation_id === c.id);
    const items = own.map((m) => {
      const att = (files.get(String(m.id)) ?? []).map((a) => `<div class="file">📎 ${esc(a.file_name)} → media/${esc(a.id)}/</div>`).join('');
      return `<li class="${m.direction === 'in' ? 'in' : 'out'}"><span class="meta">${when(m.created_at)} · ${m.direction === 'in' ? L.from_you : L.from_business}</span><p>${esc(m.text)}</p>${att}</li>`;
    }).join('');
    return `<section><h3>${when(c.created_at)} — ${own.length} ${L.messages}</h3><ol>${items}</ol></section>`;
  }).join('');
  const requests = (data.privacy_requests ?? []).map((r) => `<tr><td>${esc(r.kind)}</td><td>${esc(r.status)}</td><td>${when(r.received_at)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(L.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
ol{list-style:none;padding:0}li{margin:.5rem 0;padding:.5rem;border-radius:.5rem;background:#f3f3f3}li.in{background:#e8f0fe}.meta{color:#666;font-size:.85em}p{margin:.25rem 0;white-space:pre-wrap}</style></head>
<body><h1>${esc(L.title)}</h1><p>${esc(L.intro)}</p><p class="meta">${esc(L.created)}: ${when(opts.createdAt)}</p>
<h2>${esc(L.contact)}</h2><table>
<tr><th>${esc(L.name)}</th><td>${esc(contact.display_name)}</td></tr>
<tr><th>${esc(L.phone)}</th><td>${esc(contact.phone)}</td></tr>
<tr><th>${esc(L.tags)}</th><td>${esc(tags.join(', '))}</td></tr>
<tr><th>${esc(L.since)}</th><td>${when(contact.created_at)}</td></tr>
<tr><th>${esc(L.marks)}</th><td>${esc(marks)}</td></tr></table>
<h2>${esc(L.identities)}</h2><table><tr><th>${esc(L.kind)}</th><th>${esc(L.value)}</th></tr>${identities}</table>
<h2>${esc(L.conversations)}</h2>${conversations}
${requests ? `<h2>${esc(L.requests)}</h2><table><tr><th>${esc(L.kind)}</th><th>${esc(L.status)}</th><th>${esc(L.received)}</th></tr>${requests}</table>` : ''}
</body></html>
`;
}
