// Realistic chat history for tests and benchmarks: a customer and a shop's assistant talking in
// Russian, Kazakh and English. Message k-from-the-end is the same whatever the length, so two
// threads of different lengths share their recent part.
import type { Db } from '../db/index.ts';
import { newId } from '../lib/ids.ts';

const CUSTOMER = [
  'Здравствуйте! Подскажите, пожалуйста, есть ли у вас в наличии кроссовки Nike Air Max 42 размера в белом цвете?',
  'А сколько будет стоить доставка до Караганды, и за сколько дней вы обычно доставляете?',
  'Сәлеметсіз бе! Төлемді Kaspi арқылы жасауға бола ма, әлде тек қолма-қол ғана ма?',
  'Hi, could you tell me whether I can return the shoes if the size does not fit, and how long it takes?',
  'Хорошо, тогда оформите, пожалуйста, заказ на моё имя, адрес: Алматы, мкр Самал-2, дом 58, кв 12.',
];
const ASSISTANT = [
  'Здравствуйте! Да, кроссовки Nike Air Max 42 размера в белом цвете сейчас есть в наличии, осталось две пары. Могу отложить одну пару для вас на сутки, если хотите.',
  'Доставка до Караганды стоит 1 500 ₸ и занимает от двух до четырёх рабочих дней. При заказе от 20 000 ₸ доставка по Казахстану бесплатная, а по Алматы привозим на следующий день.',
  'Иә, әрине! Kaspi арқылы, Visa немесе Mastercard картасымен, сондай-ақ тауарды алған кезде қолма-қол төлеуге болады. Kaspi Red арқылы бөліп төлеу де бар.',
  'Yes, you can return or exchange the shoes within 14 days if they have not been worn and are in the original box. The refund reaches your card within three to five working days.',
  'Спасибо! Я передала данные для оформления заказа. Менеджер свяжется с вами в течение часа, чтобы подтвердить время доставки и способ оплаты.',
];

/** The k-th message counted from the end (k = 1 is the newest). */
export function historyMessage(k: number): { direction: 'in' | 'out'; authorKind: 'contact' | 'ai'; text: string } {
  const customer = k % 2 === 1;
  const i = Math.floor((k - 1) / 2) % CUSTOMER.length;
  return customer ? { direction: 'in', authorKind: 'contact', text: CUSTOMER[i] } : { direction: 'out', authorKind: 'ai', text: ASSISTANT[i] };
}

/** Writes `n` older messages into a conversation directly (fast), oldest first, ending with the assistant's turn (k = 2). */
export async function seedHistory(db: Db, conv: { id: string; client_id: string; contact_id: string; channel_account_id: string }, n: number, startMs: number): Promise<void> {
  const rows = [];
  for (let k = n + 1; k >= 2; k--) {
    const m = historyMessage(k);
    const at = new Date(startMs - k * 60_000).toISOString();
    rows.push({
      id: newId(startMs - k * 60_000), client_id: conv.client_id, contact_id: conv.contact_id, conversation_id: conv.id, channel_account_id: conv.channel_account_id,
      direction: m.direction, author_kind: m.authorKind, author_user_id: null, platform_message_id: null, text: m.text, attachments: '[]',
      status: m.direction === 'in' ? 'delivered' : 'sent', error: null, in_flight_at: null, uncertain: 0, created_at: at, sent_at: null, delivered_at: null, read_at: null, updated_at: at,
    });
  }
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('messages').values(rows.slice(i, i + 200)).execute();
}
