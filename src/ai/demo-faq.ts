import type { FaqEntry } from './faq-responder.ts';

/**
 * The demo client's FAQ (the embedded default): a fresh install answers sandbox customers in
 * Russian, Kazakh and English with no provider configured.
 */
export const DEMO_FAQ: FaqEntry[] = [
  { question: 'Какие у вас часы работы? Когда вы открыты, до скольки работаете?', answer: 'Мы работаем с понедельника по субботу с 9:00 до 19:00 (время Алматы). В воскресенье — выходной.' },
  { question: 'Сколько стоит доставка? Как долго доставляете, есть ли доставка по Казахстану?', answer: 'По Алматы доставляем за 1 день, по Казахстану — за 2–5 дней. Доставка по Алматы бесплатная от 20 000 ₸, иначе 1 500 ₸.' },
  { question: 'Как можно оплатить? Способы оплаты: Kaspi (Каспи), карта, наличные', answer: 'Оплатить можно через Kaspi, картой Visa или Mastercard, или наличными при получении.' },
  { question: 'Где вы находитесь? Ваш адрес, как вас найти?', answer: 'Наш адрес: Алматы, пр. Абая 1, 2 этаж. Вход со двора.' },
  { question: 'Можно ли вернуть или обменять товар? Возврат', answer: 'Вернуть или обменять товар можно в течение 14 дней с чеком и в исходной упаковке.' },
  { question: 'Жұмыс уақытыңыз қандай? Қашан ашықсыздар, нешеге дейін жұмыс істейсіздер?', answer: 'Біз дүйсенбіден сенбіге дейін 9:00-ден 19:00-ге дейін жұмыс істейміз (Алматы уақыты). Жексенбі — демалыс.' },
  { question: 'Жеткізу қанша тұрады? Қазақстан бойынша жеткізу бар ма?', answer: 'Алматы бойынша 1 күнде, Қазақстан бойынша 2–5 күнде жеткіземіз. Алматы бойынша 20 000 ₸-ден бастап жеткізу тегін, әйтпесе 1 500 ₸.' },
  { question: 'Қалай төлеуге болады? Төлем тәсілдері: Kaspi (Каспи), карта, қолма-қол', answer: 'Kaspi арқылы, Visa немесе Mastercard картасымен, немесе алған кезде қолма-қол төлеуге болады.' },
  { question: 'Сіздер қайда орналасқансыздар? Мекенжайыңыз қандай?', answer: 'Мекенжайымыз: Алматы, Абай даңғылы 1, 2-қабат. Кіреберіс аулада.' },
  { question: 'Тауарды қайтаруға немесе ауыстыруға бола ма? Қайтару', answer: 'Тауарды 14 күн ішінде чекпен және түпнұсқа қаптамасында қайтаруға немесе ауыстыруға болады.' },
  { question: 'What are your opening hours? When are you open?', answer: 'We are open Monday to Saturday, 9:00–19:00 Almaty time. Closed on Sundays.' },
  { question: 'How much is delivery? How long does shipping take across Kazakhstan?', answer: 'Delivery within Almaty takes 1 day, across Kazakhstan 2–5 days. Free in Almaty from 20,000 ₸, otherwise 1,500 ₸.' },
  { question: 'How can I pay? Payment methods, Kaspi, card, cash', answer: 'You can pay with Kaspi, a Visa or Mastercard card, or cash on delivery.' },
  { question: 'Where are you located? What is your address?', answer: 'Our address: Almaty, Abay Ave 1, 2nd floor. Entrance from the courtyard.' },
  { question: 'Can I return or exchange an item? Returns policy', answer: 'You can return or exchange an item within 14 days with the receipt and in its original packaging.' },
];
