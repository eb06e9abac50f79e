// Three realistic FAQ sets for the evaluation: a clinic, a shop with delivery, a beauty salon.
// Each entry is written in Russian with Kazakh and English variants in `questions`, as a
// client would fill them in; answers carry one line per language.
import type { FaqEntry } from '../faq-responder.ts';

export interface EvalEntry extends FaqEntry {
  key: string;
}

const a = (ru: string, kk: string, en: string) => `ru: ${ru}\nkk: ${kk}\nen: ${en}`;

export const CLINIC: EvalEntry[] = [
  { key: 'hours', question: 'Какой у вас график работы? Во сколько открываетесь?', questions: ['Жұмыс уақытыңыз қандай?', 'What are your opening hours?'], answer: a('Пн–Сб 8:00–20:00, Вс 9:00–15:00.', 'Дс–Сб 8:00–20:00, Жс 9:00–15:00.', 'Mon–Sat 8:00–20:00, Sun 9:00–15:00.') },
  { key: 'address', question: 'Где находится клиника? Какой адрес?', questions: ['Клиника қайда орналасқан? Мекенжайыңыз қандай?', 'Where is the clinic? What is the address?'], answer: a('Алматы, ул. Сатпаева 30.', 'Алматы, Сәтбаев к-сі 30.', 'Almaty, 30 Satpayev St.') },
  { key: 'booking', question: 'Как записаться на приём к врачу?', questions: ['Дәрігердің қабылдауына қалай жазылуға болады?', 'How do I book an appointment with a doctor?'], answer: a('Напишите имя, врача и удобное время — запишем.', 'Атыңызды, дәрігерді және ыңғайлы уақытты жазыңыз.', 'Send your name, the doctor and a time that suits you.') },
  { key: 'price', question: 'Сколько стоит консультация врача? Цены на приём', questions: ['Дәрігер кеңесі қанша тұрады? Қабылдау бағасы', 'How much does a consultation cost? Prices'], answer: a('Первичный приём — 9 000 ₸, повторный — 6 000 ₸.', 'Алғашқы қабылдау — 9 000 ₸, қайталама — 6 000 ₸.', 'First visit 9,000 ₸, follow-up 6,000 ₸.') },
  { key: 'tests', question: 'Можно ли сдать анализы? Нужно ли приходить натощак?', questions: ['Талдау тапсыруға бола ма? Аш қарынға келу керек пе?', 'Can I get blood tests done? Do I need to fast?'], answer: a('Анализы сдаются 8:00–11:00, натощак.', 'Талдаулар 8:00–11:00, аш қарынға.', 'Tests 8:00–11:00, on an empty stomach.') },
  { key: 'results', question: 'Когда будут готовы результаты анализов? Как получить результат?', questions: ['Талдау нәтижесі қашан дайын болады?', 'When will my test results be ready?'], answer: a('Через 1–2 рабочих дня, пришлём в WhatsApp.', '1–2 жұмыс күнінде WhatsApp-қа жібереміз.', 'In 1–2 working days, sent to WhatsApp.') },
  { key: 'insurance', question: 'Вы принимаете по страховке или ОСМС?', questions: ['Сақтандыру немесе МӘМС бойынша қабылдайсыздар ма?', 'Do you accept insurance?'], answer: a('Да, по ОСМС и по полисам основных страховых.', 'Иә, МӘМС және негізгі сақтандыру полистері бойынша.', 'Yes, state insurance and major private insurers.') },
  { key: 'children', question: 'Принимаете детей? Есть детский врач, педиатр?', questions: ['Балаларды қабылдайсыздар ма? Балалар дәрігері бар ма?', 'Do you see children? Is there a pediatrician?'], answer: a('Да, педиатр принимает ежедневно.', 'Иә, педиатр күн сайын қабылдайды.', 'Yes, a pediatrician sees children daily.') },
  { key: 'payment', question: 'Как можно оплатить? Каспи, карта, наличные', questions: ['Қалай төлеуге болады? Kaspi, карта, қолма-қол', 'How can I pay? Card, cash, Kaspi'], answer: a('Kaspi, карта, наличные.', 'Kaspi, карта, қолма-қол.', 'Kaspi, card or cash.') },
  { key: 'cancel', question: 'Как отменить или перенести запись?', questions: ['Жазылуды қалай болдырмауға немесе ауыстыруға болады?', 'How do I cancel or reschedule my appointment?'], answer: a('Напишите нам за 2 часа до приёма.', 'Қабылдаудан 2 сағат бұрын жазыңыз.', 'Write to us 2 hours before the visit.') },
  { key: 'parking', question: 'Есть ли парковка у клиники?', questions: ['Клиника жанында көлік тұрағы бар ма?', 'Is there parking at the clinic?'], answer: a('Да, бесплатная парковка во дворе.', 'Иә, аулада тегін тұрақ бар.', 'Yes, free parking in the courtyard.') },
  { key: 'home', question: 'Можно вызвать врача на дом?', questions: ['Дәрігерді үйге шақыруға бола ма?', 'Can a doctor come to my home? Home visit'], answer: a('Да, выезд врача на дом — 15 000 ₸.', 'Иә, дәрігердің үйге баруы — 15 000 ₸.', 'Yes, a home visit costs 15,000 ₸.') },
];

export const SHOP: EvalEntry[] = [
  { key: 'hours', question: 'Какой график работы магазина? До скольки работаете?', questions: ['Дүкен қашан жұмыс істейді? Жұмыс уақыты', 'What are the store hours?'], answer: a('Ежедневно 10:00–21:00.', 'Күн сайын 10:00–21:00.', 'Daily 10:00–21:00.') },
  { key: 'delivery', question: 'Есть ли доставка? Сколько стоит и сколько дней идёт доставка по Казахстану?', questions: ['Жеткізу бар ма? Қазақстан бойынша жеткізу қанша тұрады?', 'Do you deliver? How much is shipping across Kazakhstan and how long does it take?'], answer: a('По Алматы 1 день, по Казахстану 2–5 дней; 1 500 ₸, от 20 000 ₸ бесплатно.', 'Алматыда 1 күн, Қазақстан бойынша 2–5 күн; 1 500 ₸, 20 000 ₸-ден тегін.', 'Almaty 1 day, Kazakhstan 2–5 days; 1,500 ₸, free from 20,000 ₸.') },
  { key: 'payment', question: 'Как оплатить заказ? Каспи, карта, наличные при получении', questions: ['Тапсырысты қалай төлеуге болады?', 'How can I pay for my order?'], answer: a('Kaspi, карта или наличные курьеру.', 'Kaspi, карта немесе курьерге қолма-қол.', 'Kaspi, card or cash to the courier.') },
  { key: 'address', question: 'Где ваш магазин? Адрес пункта самовывоза', questions: ['Дүкеніңіз қайда? Өзіңіз алып кету мекенжайы', 'Where is your store? Pickup address'], answer: a('Алматы, пр. Абая 1, 2 этаж.', 'Алматы, Абай даңғылы 1, 2-қабат.', 'Almaty, 1 Abay Ave, 2nd floor.') },
  { key: 'return', question: 'Можно ли вернуть или обменять товар?', questions: ['Тауарды қайтаруға немесе ауыстыруға бола ма?', 'Can I return or exchange an item?'], answer: a('В течение 14 дней с чеком.', '14 күн ішінде чекпен.', 'Within 14 days with the receipt.') },
  { key: 'warranty', question: 'Есть ли гарантия на товар?', questions: ['Тауарға кепілдік бар ма?', 'Is there a warranty?'], answer: a('Гарантия 12 месяцев.', 'Кепілдік 12 ай.', '12-month warranty.') },
  { key: 'stock', question: 'Есть ли товар в наличии?', questions: ['Тауар қоймада бар ма?', 'Is this item in stock?'], answer: a('Наличие видно на сайте; пришлите ссылку — проверим.', 'Сайттан көруге болады; сілтеме жіберіңіз — тексереміз.', 'Stock is on the site; send a link and we will check.') },
  { key: 'sizes', question: 'Как подобрать размер? Есть размерная сетка?', questions: ['Өлшемді қалай таңдауға болады? Өлшем кестесі бар ма?', 'How do I choose a size? Size chart'], answer: a('Таблица размеров есть на странице товара.', 'Өлшем кестесі тауар бетінде.', 'The size chart is on each product page.') },
  { key: 'discount', question: 'Есть ли скидки, акции или промокоды?', questions: ['Жеңілдіктер немесе акциялар бар ма?', 'Do you have any discounts or promo codes?'], answer: a('Сейчас −10 % на новую коллекцию.', 'Қазір жаңа коллекцияға −10 %.', '10 % off the new collection now.') },
  { key: 'installment', question: 'Можно купить в рассрочку или в кредит?', questions: ['Бөліп төлеуге немесе несиеге алуға бола ма?', 'Can I pay in installments?'], answer: a('Да, Kaspi Red и рассрочка 0-0-12.', 'Иә, Kaspi Red және 0-0-12 бөліп төлеу.', 'Yes, Kaspi Red and 0-0-12 installments.') },
  { key: 'order', question: 'Как сделать заказ?', questions: ['Тапсырысты қалай беруге болады?', 'How do I place an order?'], answer: a('Через сайт или напишите сюда название и адрес.', 'Сайт арқылы немесе осында атауын және мекенжайды жазыңыз.', 'On the site, or send us the item and your address here.') },
  { key: 'tracking', question: 'Где мой заказ? Как отследить посылку?', questions: ['Тапсырысым қайда? Сәлемдемені қалай бақылауға болады?', 'Where is my order? How can I track my parcel?'], answer: a('Пришлите номер заказа — проверим статус.', 'Тапсырыс нөмірін жіберіңіз — тексереміз.', 'Send the order number and we will check.') },
];

export const SALON: EvalEntry[] = [
  { key: 'hours', question: 'Какой у вас график работы салона?', questions: ['Салон қашан ашық? Жұмыс уақыты', 'What are the salon opening hours?'], answer: a('Ежедневно 9:00–21:00.', 'Күн сайын 9:00–21:00.', 'Daily 9:00–21:00.') },
  { key: 'address', question: 'Где находится салон? Адрес', questions: ['Салон қайда? Мекенжайы', 'Where is the salon located?'], answer: a('Астана, ул. Кенесары 40.', 'Астана, Кенесары к-сі 40.', 'Astana, 40 Kenesary St.') },
  { key: 'booking', question: 'Как записаться? Есть свободные окошки?', questions: ['Қалай жазылуға болады? Бос уақыт бар ма?', 'How do I book? Any free slots?'], answer: a('Напишите услугу и время — подберём.', 'Қызмет пен уақытты жазыңыз.', 'Send the service and time you want.') },
  { key: 'manicure', question: 'Сколько стоит маникюр с покрытием?', questions: ['Маникюр қанша тұрады?', 'How much is a manicure?'], answer: a('Маникюр с покрытием — 7 000 ₸.', 'Жабындысы бар маникюр — 7 000 ₸.', 'Manicure with gel polish 7,000 ₸.') },
  { key: 'haircut', question: 'Сколько стоит стрижка?', questions: ['Шаш алу қанша тұрады?', 'How much is a haircut?'], answer: a('Женская 8 000 ₸, мужская 5 000 ₸.', 'Әйелдер 8 000 ₸, ерлер 5 000 ₸.', 'Women 8,000 ₸, men 5,000 ₸.') },
  { key: 'coloring', question: 'Делаете окрашивание волос? Сколько стоит покраска?', questions: ['Шаш бояйсыздар ма? Шаш бояу бағасы', 'Do you do hair colouring? Price of colouring'], answer: a('Окрашивание от 15 000 ₸.', 'Шаш бояу 15 000 ₸-ден.', 'Colouring from 15,000 ₸.') },
  { key: 'lashes', question: 'Делаете наращивание ресниц?', questions: ['Кірпік ұзартасыздар ма?', 'Do you do eyelash extensions?'], answer: a('Да, наращивание ресниц от 10 000 ₸.', 'Иә, кірпік ұзарту 10 000 ₸-ден.', 'Yes, lash extensions from 10,000 ₸.') },
  { key: 'cancel', question: 'Как отменить или перенести запись?', questions: ['Жазылуды қалай ауыстыруға немесе болдырмауға болады?', 'How do I cancel or move my booking?'], answer: a('Напишите нам за 3 часа.', '3 сағат бұрын жазыңыз.', 'Let us know 3 hours ahead.') },
  { key: 'payment', question: 'Как можно оплатить? Каспи, карта, наличные', questions: ['Қалай төлеуге болады?', 'How can I pay?'], answer: a('Kaspi, карта, наличные.', 'Kaspi, карта, қолма-қол.', 'Kaspi, card or cash.') },
  { key: 'giftcard', question: 'Есть подарочные сертификаты?', questions: ['Сыйлық сертификаттары бар ма?', 'Do you sell gift cards?'], answer: a('Да, сертификаты на любую сумму.', 'Иә, кез келген сомаға сертификат.', 'Yes, gift cards for any amount.') },
  { key: 'discount', question: 'Есть ли скидки или акции?', questions: ['Жеңілдіктер бар ма?', 'Any discounts or special offers?'], answer: a('−15 % в день рождения и по будням до 12:00.', 'Туған күнде және жұмыс күндері 12:00-ге дейін −15 %.', '15 % off on your birthday and weekdays before 12:00.') },
  { key: 'duration', question: 'Сколько длится процедура? Сколько по времени?', questions: ['Процедура қанша уақыт алады?', 'How long does the procedure take?'], answer: a('Маникюр — 1,5 часа, стрижка — 1 час.', 'Маникюр — 1,5 сағат, шаш алу — 1 сағат.', 'Manicure 1.5 h, haircut 1 h.') },
];

export const FAQ_SETS = { clinic: CLINIC, shop: SHOP, salon: SALON } as const;
export type FaqSetName = keyof typeof FAQ_SETS;
