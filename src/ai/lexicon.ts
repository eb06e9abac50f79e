// The cross-language lexicon of common business words: each group holds words and phrases (ru,
// kk, en, and the transliterations customers type) that mean the same thing, so "баға", "цена"
// and "price" meet in one concept. A client adds groups of its own (faq_synonyms). Words are
// compared by stem, phrases as runs of stems, so every word form of a group's words counts.
import { detectLanguage, normalise, wordStems, words } from './text-normalise.ts';

export const BUILT_IN_SYNONYMS: string[][] = [
  ['цена', 'цены', 'стоимость', 'стоит', 'стоят', 'сколько стоит', 'почем', 'прайс', 'расценки', 'прейскурант', 'тариф', 'баға', 'бағасы', 'құны', 'қанша тұрады', 'қанша тұрады', 'тұрады', 'канша турады', 'турады', 'price', 'prices', 'cost', 'costs', 'how much', 'pricing', 'fee', 'rate', 'skolko stoit', 'stoit', 'tsena', 'cena'],
  ['часы работы', 'график', 'режим работы', 'работаете', 'работает', 'открыты', 'открыто', 'открываетесь', 'открывается', 'закрываетесь', 'закрыты', 'до скольки', 'во сколько', 'во скока', 'до скока',
    'выходной', 'выходные', 'понедельник', 'суббота', 'воскресенье', 'праздник', 'праздничные',
    'жұмыс уақыты', 'жұмыс істейсіздер', 'жұмыс істейсіз', 'жұмыс істейді', 'ашық', 'ашықсыздар', 'ашыласыз', 'ашылады', 'жабыласыз', 'жабылады', 'кесте', 'нешеде', 'нешеге дейін', 'сағат нешеде', 'демалыс', 'жексенбі', 'сенбі', 'дүйсенбі', 'мереке',
    'hours', 'open', 'opening', 'close', 'closing', 'closed', 'schedule', 'working hours', 'what time', 'weekend', 'sunday', 'saturday', 'monday', 'holiday', 'holidays', 'rabotaete', 'grafik', 'otkryty'],
  ['доставка', 'доставляете', 'доставить', 'привезти', 'привезете', 'курьер', 'отправка', 'отправить', 'отправляете', 'жеткізу', 'жеткізесіз', 'жеткізесіздер', 'жеткізіп', 'жібересіз', 'жіберу', 'delivery', 'deliver', 'shipping', 'ship', 'courier', 'dostavka', 'dostavlyaete'],
  ['адрес', 'находитесь', 'расположены', 'добраться', 'доехать', 'найти', 'локация', 'мекенжай', 'мекенжайы', 'орналасқан', 'орналасқансыз', 'address', 'located', 'location', 'directions', 'find you', 'adres'],
  ['записаться', 'запись', 'записать', 'запишите', 'запишусь', 'записи', 'окно', 'свободно', 'попасть', 'жазылғым', 'жазылсам', 'бос уақыт', 'slot', 'slots', 'free slot', 'забронировать', 'бронь', 'бронирование', 'свободное время', 'окошко', 'жазылу', 'жазылуға', 'жазылсам', 'жазылайын', 'брондау', 'book', 'booking', 'appointment', 'reserve', 'reservation', 'zapis', 'zapisatsya'],
  ['оплата', 'оплатить', 'платить', 'заплатить', 'каспи', 'kaspi', 'карта', 'картой', 'наличные', 'наличными', 'наличка', 'наличкой', 'нал', 'каспиге', 'аударсам', 'аудару', 'перевод', 'төлеу', 'төлем', 'төлеймін', 'төлеуге', 'қолма қол', 'pay', 'payment', 'card', 'cash', 'oplata', 'oplatit'],
  ['скидка', 'скидки', 'акция', 'акции', 'промокод', 'распродажа', 'дешевле', 'жеңілдік', 'жеңілдіктер', 'арзандату', 'discount', 'discounts', 'sale', 'promo', 'promotion', 'coupon', 'skidka', 'skidki'],
  ['возврат', 'вернуть', 'обменять', 'обмен', 'обменять', 'сдать', 'вернуть', 'қайтарғым', 'refunds', 'exchanges', 'қайтару', 'қайтаруға', 'ауыстыру', 'ауыстыруға', 'return', 'refund', 'exchange', 'vozvrat', 'vernut'],
  ['рассрочка', 'кредит', 'бөліп төлеу', 'несие', 'installment', 'installments', 'instalment', 'credit', 'rassrochka'],
  ['парковка', 'припарковаться', 'машину оставить', 'тұрақ', 'көлік', 'parking', 'park', 'parkovka'],
  ['врач', 'доктор', 'специалист', 'терапевт', 'гинеколог', 'педиатр', 'стоматолог', 'кардиолог', 'невролог', 'лор', 'окулист', 'уролог', 'дерматолог', 'эндокринолог', 'терапевтке', 'гинекологке', 'дәрігер', 'маман', 'doctor', 'physician', 'specialist', 'vrach'],
  ['ребенок', 'ребенка', 'дети', 'детям', 'детский', 'бала', 'балалар', 'балаға', 'child', 'children', 'kid', 'kids', 'rebenok', 'deti'],
  ['гарантия', 'кепілдік', 'warranty', 'guarantee', 'garantiya'],
  ['размер', 'размеры', 'өлшем', 'размері', 'size', 'sizes', 'razmer'],
  ['наличие', 'в наличии', 'есть в наличии', 'қоймада', 'бар ма', 'in stock', 'available', 'availability', 'nalichie'],
  ['телефон', 'позвонить', 'звонок', 'қоңырау', 'phone', 'call', 'telefon'],
  ['отменить', 'отмена', 'перенести', 'перенос', 'бас тарту', 'болдырмау', 'ауыстыру', 'cancel', 'cancellation', 'reschedule', 'move', 'postpone', 'otmenit'],
  ['заказать', 'заказываю', 'оформить заказ', 'оформить', 'тапсырыс беру', 'тапсырыс беремін', 'place an order', 'purchase', 'zakazat'],
  ['отследить', 'отслеживание', 'трек', 'трек номер', 'посылка', 'где мой заказ', 'не пришел', 'сәлемдеме', 'бақылау', 'қашан келеді', 'track', 'tracking', 'parcel', 'package', 'where is my order'],
  ['наращивание', 'нарастить', 'ресницы', 'ресниц', 'кірпік', 'кірпік ұзарту', 'lashes', 'lash', 'eyelash', 'eyelashes', 'extensions', 'resnicy'],
  ['вызов на дом', 'на дом', 'выезд', 'выезжаете', 'үйге', 'үйге шақыру', 'home visit', 'home', 'house', 'come to my'],
  ['сколько времени', 'как долго', 'длится', 'продолжительность', 'сколько дней', 'как быстро', 'қанша уақыт', 'қанша күн', 'how long', 'duration', 'how fast', 'how many days'],
  ['анализ', 'анализы', 'сдать кровь', 'результаты', 'талдау', 'қан', 'нәтиже', 'test', 'tests', 'blood', 'results', 'analiz'],
  ['маникюр', 'ногти', 'тырнақ', 'manicure', 'nails', 'manikur'],
  ['педикюр', 'pedicure', 'pedikur'],
  ['стрижка', 'подстричься', 'постричь', 'шаш алу', 'шаш қию', 'haircut', 'hair cut', 'strizhka'],
  ['окрашивание', 'покрасить', 'краска', 'бояу', 'шаш бояу', 'coloring', 'colouring', 'dye', 'color'],
  ['консультация', 'консультацию', 'кеңес', 'consultation', 'consult', 'konsultaciya'],
  ['прием', 'приема', 'қабылдау', 'visit', 'appointment'],
  ['страховка', 'страховой', 'осмс', 'сақтандыру', 'insurance', 'strahovka'],
  ['подарочный сертификат', 'сертификат', 'сертификаттар', 'gift card', 'gift certificate', 'voucher', 'gift', 'подарок', 'в подарок', 'сыйлық', 'сыйға', 'sertifikat'],
];

/** Places in Kazakhstan: a weak concept (a city named is a hint of delivery, not a question by itself). */
export const PLACES: string[] = ['караганда', 'шымкент', 'астана', 'алматы', 'актобе', 'ақтөбе', 'атырау', 'павлодар', 'костанай', 'қостанай', 'семей', 'тараз', 'актау', 'ақтау', 'уральск', 'орал', 'кызылорда', 'қызылорда', 'туркестан', 'түркістан', 'усть каменогорск', 'өскемен', 'петропавловск', 'казахстан', 'қазақстан', 'регион', 'город', 'область', 'shymkent', 'astana', 'almaty', 'karaganda', 'kazakhstan', 'city'];

/** Concepts found in a text: a map from concept id ("c3"; weak ones "w40") to how often it occurs. */
export class Lexicon {
  /** stem run (joined by space) → concept ids */
  private readonly phrases = new Map<string, Set<string>>();
  private maxLen = 1;

  constructor(groups: string[][], weak: string[][] = []) {
    this.add(groups, 'c', 0);
    this.add(weak, 'w', groups.length);
  }

  private add(groups: string[][], kind: 'c' | 'w', offset: number): void {
    groups.forEach((g, i) => {
      const id = `${kind}${offset + i}`;
      for (const phrase of g) {
        const ws = words(phrase);
        if (ws.length === 0) continue;
        const kk = detectLanguage(phrase) === 'kk';
        this.maxLen = Math.max(this.maxLen, ws.length);
        // Every combination of the words' stems would be many; the first and the last stem of
        // each word (the last is the shortest Kazakh reading), and a single word's every stem.
        const variants = ws.length === 1 ? wordStems(ws[0], kk) : [ws.map((w) => wordStems(w, kk)[0]).join(' '), ws.map((w) => wordStems(w, kk).at(-1)).join(' ')];
        for (const v of variants) {
          const set = this.phrases.get(v) ?? new Set<string>();
          set.add(id);
          this.phrases.set(v, set);
        }
      }
    });
  }

  /** This lexicon with more groups (a client's): a copy, this one is left as it is. */
  extend(groups: string[][]): Lexicon {
    const copy = Object.create(Lexicon.prototype) as Lexicon;
    Object.assign(copy, { phrases: new Map([...this.phrases].map(([k, v]) => [k, new Set(v)])), maxLen: this.maxLen });
    copy.add(groups, 'c', 1000);
    return copy;
  }

  /** The concepts in the text's words (each word given as its possible stems). */
  conceptsOf(stems: string[][]): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < stems.length; i++) {
      // A concept counts once per starting word, however many of its readings found it.
      const here = new Set<string>();
      const add = (ids: Set<string> | undefined) => ids?.forEach((id) => here.add(id));
      for (const s of stems[i]) add(this.phrases.get(s));
      for (let n = 2; n <= this.maxLen && i + n <= stems.length; n++) {
        // Phrases by the first stem of each word, and by the last (the shortest Kazakh reading).
        add(this.phrases.get(stems.slice(i, i + n).map((x) => x[0]).join(' ')));
        add(this.phrases.get(stems.slice(i, i + n).map((x) => x[x.length - 1]).join(' ')));
      }
      for (const id of here) out.set(id, (out.get(id) ?? 0) + 1);
    }
    return out;
  }
}

let builtIn: Lexicon | undefined;

/**
 * The built-in lexicon extended by a client's groups. The built-in part is derived from the
 * constants above once (~15 ms of stemming) and never changes: a memo of a constant, not state.
 */
export function buildLexicon(extra: string[][] = []): Lexicon {
  builtIn ??= new Lexicon(BUILT_IN_SYNONYMS, [PLACES]);
  const groups = extra.filter((g) => g.some((w) => normalise(w)));
  return groups.length ? builtIn.extend(groups) : builtIn;
}
