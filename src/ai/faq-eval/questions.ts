// Labelled customer questions, written the way people write in chats: lower case, no
// punctuation, typos, slang, mixed Russian and Kazakh, transliteration. One line each:
// "<set> <entry key, or - when out of scope> <language> | <text>". Every other line of a
// set and language goes to the development half (tune on it), the rest to the test half.
import type { Language } from '../text-normalise.ts';
import type { FaqSetName } from './faq-sets.ts';
import { FRESH_RAW } from './questions-fresh.ts';

const RAW = `
clinic hours ru | во сколько вы открываетесь
clinic hours ru | до скольки работаете сегодня
clinic hours ru | вы в воскресенье работаете?
clinic hours ru | какой график у клиники
clinic hours ru | режим работы подскажите
clinic hours ru | вы щас открыты
clinic hours ru | во скока закрываетесь
clinic hours ru | rabotaete v subbotu?
clinic hours kk | сағат нешеде ашыласыздар
clinic hours kk | жексенбі күні жұмыс істейсіздер ме
clinic hours kk | жұмыс уақыты қандай
clinic hours kk | кешке нешеге дейін ашықсыздар
clinic hours en | what time do you open
clinic hours en | are you open on sunday
clinic hours en | opening hours pls
clinic hours en | until what time r u open today
clinic address ru | где вы находитесь
clinic address ru | адрес клиники скиньте
clinic address ru | как до вас добраться
clinic address ru | gde nahodites
clinic address kk | мекенжайыңыз қандай
clinic address kk | клиника қайда
clinic address kk | сіздерге қалай жетуге болады адрес
clinic address en | where are you located
clinic address en | whats the address
clinic address en | how do i get to the clinic
clinic booking ru | хочу записаться к терапевту
clinic booking ru | можно записаться на завтра к врачу
clinic booking ru | запишите меня на прием пожалуйста
clinic booking ru | как попасть на прием к гинекологу
clinic booking ru | zapisatsya k vrachu mozhno
clinic booking kk | дәрігерге жазылғым келеді
clinic booking kk | ертеңге қабылдауға жазылуға бола ма
clinic booking kk | терапевтке жазылайын деп едім
clinic booking en | i want to book an appointment
clinic booking en | can i see a doctor tomorrow, need appointment
clinic booking en | how to make an appointment
clinic price ru | сколько стоит прием
clinic price ru | цена консультации терапевта
clinic price ru | почем у вас первичный прием
clinic price ru | skolko stoit konsultaciya
clinic price ru | прайс на услуги врачей
clinic price kk | қабылдау қанша тұрады
clinic price kk | дәрігер кеңесінің бағасы қанша
clinic price kk | консультация канша турады
clinic price en | how much is a consultation
clinic price en | price for doctor visit
clinic price en | what does an appointment cost
clinic tests ru | можно у вас сдать кровь
clinic tests ru | анализы натощак сдавать?
clinic tests ru | где сдать анализы и во сколько
clinic tests ru | делаете общий анализ крови
clinic tests kk | қан тапсыруға бола ма
clinic tests kk | талдауды аш қарынға тапсыру керек пе
clinic tests kk | анализ тапсырғым келеді
clinic tests en | can i do a blood test at your clinic
clinic tests en | do i need to fast before the blood test
clinic results ru | когда будут готовы результаты
clinic results ru | результаты анализов когда можно забрать
clinic results ru | как получить результат анализа
clinic results ru | rezultaty kogda budut
clinic results kk | нәтиже қашан дайын болады
clinic results kk | талдау нәтижесін қалай алуға болады
clinic results en | when will my results be ready
clinic results en | how do i get my test results
clinic insurance ru | по осмс принимаете
clinic insurance ru | у меня страховка от работы, можно по ней
clinic insurance ru | работаете со страховыми
clinic insurance kk | мәмс бойынша қабылдайсыздар ма
clinic insurance kk | сақтандыру полисі бар қабылдайсыз ба
clinic insurance en | do you take insurance
clinic insurance en | is my insurance accepted
clinic children ru | ребенка примете
clinic children ru | есть педиатр?
clinic children ru | детского врача нет у вас?
clinic children kk | балаға дәрігер керек
clinic children kk | балалар дәрігері бар ма
clinic children en | do you treat kids
clinic children en | is there a pediatrician
clinic payment ru | можно картой оплатить
clinic payment ru | каспи переводом можно?
clinic payment ru | оплата наличными принимается
clinic payment kk | kaspi арқылы төлеуге бола ма
clinic payment kk | картамен төлесем бола ма
clinic payment en | can i pay by card
clinic payment en | do you accept cash
clinic cancel ru | хочу отменить запись
clinic cancel ru | можно перенести прием на другой день
clinic cancel ru | не смогу прийти, как отменить
clinic cancel kk | жазылуды болдырмау керек
clinic cancel kk | қабылдауды басқа күнге ауыстыруға бола ма
clinic cancel en | i need to cancel my appointment
clinic cancel en | can i reschedule
clinic parking ru | есть где машину оставить
clinic parking ru | парковка у вас есть
clinic parking kk | көлік қоятын орын бар ма
clinic parking kk | тұрақ бар ма
clinic parking en | is there parking
clinic parking en | where can i park
clinic home ru | врача на дом можно вызвать
clinic home ru | выезжаете на дом?
clinic home kk | дәрігерді үйге шақыруға бола ма
clinic home kk | үйге келесіздер ме
clinic home en | do doctors make home visits
clinic home en | can a doctor come to my house
shop hours ru | до скольки работает магазин
shop hours ru | вы седня работаете
shop hours ru | во сколько открываетесь
shop hours ru | график работы какой
shop hours kk | дүкен нешеде ашылады
shop hours kk | бүгін жұмыс істейсіздер ме
shop hours kk | жұмыс уақытыңыз
shop hours en | what are your hours
shop hours en | r u open today
shop hours en | when do you close
shop delivery ru | есть ли доставка в шымкент
shop delivery ru | сколько стоит доставка
shop delivery ru | доставляете в караганду
shop delivery ru | за сколько дней привезете в астану
shop delivery ru | доставка по казахстану есть?
shop delivery ru | курьером можно заказать
shop delivery ru | dostavka est?
shop delivery ru | skolko stoit dostavka do almaty
shop delivery kk | шымкентке жеткізу бар ма
shop delivery kk | жеткізу қанша тұрады
shop delivery kk | астанаға неше күнде жеткізесіздер
shop delivery kk | доставка бар ма
shop delivery kk | ақтөбеге жібересіздер ме
shop delivery en | do you deliver to shymkent
shop delivery en | how much is shipping
shop delivery en | how long does delivery take
shop delivery en | do u ship to astana
shop payment ru | как оплатить заказ
shop payment ru | можно каспи
shop payment ru | наличкой курьеру можно отдать
shop payment ru | оплата картой есть?
shop payment kk | қалай төлеймін
shop payment kk | каспиге аударсам бола ма
shop payment kk | қолма қол төлеуге бола ма
shop payment en | how do i pay
shop payment en | cash on delivery possible?
shop payment en | can i pay with kaspi
shop address ru | где можно забрать самовывозом
shop address ru | адрес магазина
shop address ru | где вы находитесь
shop address kk | дүкен қайда орналасқан
shop address kk | мекенжайы қандай
shop address kk | өзім барып алсам болама қай жерде
shop address en | where is the shop
shop address en | pickup address please
shop return ru | хочу вернуть товар не подошел
shop return ru | можно обменять на другой размер
shop return ru | как сделать возврат
shop return ru | vernut mozhno?
shop return kk | тауарды қайтарғым келеді
shop return kk | басқасына ауыстыруға бола ма
shop return kk | қайтару қалай жасалады
shop return en | can i return it
shop return en | i want a refund
shop return en | how do exchanges work
shop warranty ru | гарантия есть
shop warranty ru | какая гарантия на наушники
shop warranty kk | кепілдік бар ма
shop warranty kk | кепілдігі қанша
shop warranty en | is there a warranty
shop warranty en | does it come with a guarantee
shop stock ru | есть в наличии
shop stock ru | этот товар есть?
shop stock ru | в наличии есть кроссовки 42
shop stock kk | қоймада бар ма
shop stock kk | бұл тауар бар ма қазір
shop stock en | is it in stock
shop stock en | do you have this available
shop sizes ru | какой размер выбрать
shop sizes ru | размерная сетка есть
shop sizes ru | маломерят? какой размер брать
shop sizes kk | өлшемін қалай таңдаймын
shop sizes kk | өлшем кестесі бар ма
shop sizes en | what size should i get
shop sizes en | do you have a size chart
shop discount ru | скидки есть?
shop discount ru | промокод есть какой нибудь
shop discount ru | акции сейчас какие
shop discount ru | skidki est?
shop discount kk | жеңілдік бар ма
shop discount kk | қазір акция бар ма
shop discount en | any discounts
shop discount en | got a promo code
shop installment ru | в рассрочку можно
shop installment ru | кредит оформить можно
shop installment ru | есть рассрочка 0 0 12
shop installment kk | бөліп төлеуге бола ма
shop installment kk | несиеге алсам бола ма
shop installment en | can i pay in installments
shop installment en | do you offer credit
shop order ru | как заказать
shop order ru | хочу оформить заказ
shop order ru | как сделать заказ через вас
shop order kk | тапсырыс қалай беремін
shop order kk | тапсырыс бергім келеді
shop order en | how do i order
shop order en | i want to place an order
shop tracking ru | где мой заказ
shop tracking ru | как отследить посылку
shop tracking ru | заказ не пришел еще где он
shop tracking kk | тапсырысым қайда
shop tracking kk | сәлемдемені қалай бақылаймын
shop tracking en | where is my order
shop tracking en | how can i track my package
salon hours ru | до скольки работаете
salon hours ru | вы завтра работаете
salon hours ru | во сколько открывается салон
salon hours ru | график работы
salon hours kk | салон нешеде ашылады
salon hours kk | нешеге дейін жұмыс істейсіздер
salon hours en | what are your hours
salon hours en | open on sunday?
salon address ru | где вы находитесь
salon address ru | адрес салона
salon address ru | как вас найти
salon address kk | салон қайда
salon address kk | мекенжайыңызды жіберіңізші
salon address en | where are you
salon address en | whats your address
salon booking ru | хочу записаться на завтра
salon booking ru | есть окошко на субботу
salon booking ru | запишите меня к мастеру
salon booking ru | можно записаться на вечер
salon booking ru | zapis est na zavtra
salon booking kk | ертеңге жазылсам бола ма
salon booking kk | бос уақыт бар ма сенбіге
salon booking kk | жазылғым келеді
salon booking en | can i book for tomorrow
salon booking en | any free slots on saturday
salon booking en | i'd like to make a booking
salon manicure ru | сколько стоит маникюр
salon manicure ru | маник с покрытием почем
salon manicure ru | цена на маникюр
salon manicure ru | skolko stoit manikur
salon manicure kk | маникюр қанша
salon manicure kk | маникюр бағасы қанша
salon manicure kk | тырнақ жасау қанша тұрады
salon manicure en | how much for a manicure
salon manicure en | manicure price
salon haircut ru | стрижка сколько стоит
salon haircut ru | почем мужская стрижка
salon haircut ru | цена стрижки
salon haircut kk | шаш алу қанша тұрады
salon haircut kk | шаш қию бағасы
salon haircut en | how much is a haircut
salon haircut en | mens haircut price
salon coloring ru | делаете окрашивание
salon coloring ru | сколько стоит покрасить волосы
salon coloring ru | покраска волос цена
salon coloring kk | шаш бояйсыздар ма
salon coloring kk | шаш бояу қанша тұрады
salon coloring en | do you do hair coloring
salon coloring en | how much to dye my hair
salon lashes ru | наращивание ресниц делаете
salon lashes ru | ресницы нарастить можно
salon lashes kk | кірпік ұзартасыздар ма
salon lashes kk | кірпік жасайсыздар ма
salon lashes en | do you do lash extensions
salon lashes en | eyelash extensions available?
salon cancel ru | хочу отменить запись
salon cancel ru | можно перенести на другое время
salon cancel ru | не успеваю, перенесите запись
salon cancel kk | жазылуды ауыстыруға бола ма
salon cancel kk | келе алмаймын болдырмау керек
salon cancel en | i need to cancel my booking
salon cancel en | can i move my appointment
salon payment ru | можно картой
salon payment ru | каспи принимаете
salon payment kk | каспимен төлеуге бола ма
salon payment kk | қалай төлеймін
salon payment en | can i pay by card
salon payment en | do you take cash
salon giftcard ru | есть подарочный сертификат
salon giftcard ru | хочу купить сертификат в подарок
salon giftcard kk | сыйлық сертификат бар ма
salon giftcard kk | сертификат сатып алсам бола ма
salon giftcard en | do you have gift cards
salon giftcard en | can i buy a voucher as a gift
salon discount ru | скидки есть
salon discount ru | акции какие сейчас
salon discount kk | жеңілдік бар ма
salon discount kk | акция бар ма қазір
salon discount en | any discounts
salon discount en | do you have special offers
salon duration ru | сколько по времени маникюр
salon duration ru | сколько длится процедура
salon duration kk | қанша уақыт алады
salon duration kk | процедура қанша уақыт
salon duration en | how long does it take
salon duration en | how long is the procedure
clinic - ru | можете починить мой телефон
clinic - ru | займите денег до зарплаты
clinic - ru | какая погода завтра
clinic - ru | продаете запчасти для машины
clinic - ru | кто выиграл вчера матч
clinic - ru | у меня сломался холодильник пришлите мастера
clinic - kk | телефонымды жөндей аласыз ба
clinic - kk | маған ақша қарызға беріңізші
clinic - kk | ертең ауа райы қандай
clinic - en | can you fix my phone
clinic - en | can you lend me some money
clinic - en | whats the weather tomorrow
clinic - en | tell me a joke
clinic - en | do you sell car parts
clinic - ru | вы вакансии есть на работу
shop - ru | можете починить мой телефон
shop - ru | одолжите денег пожалуйста
shop - ru | какой курс доллара сегодня
shop - ru | вы делаете ремонт квартир
shop - ru | посоветуйте фильм на вечер
shop - kk | ақша қарызға бере аласыз ба
shop - kk | пәтер жөндеу жасайсыздар ма
shop - kk | доллар бағамы қандай
shop - en | can you fix my laptop
shop - en | lend me 5000 tenge
shop - en | what is the dollar exchange rate
shop - en | do you repair apartments
shop - en | who is the president of kazakhstan
shop - ru | франшизу продаете?
salon - ru | можете починить телефон
salon - ru | дайте в долг
salon - ru | продаете машины
salon - ru | как приготовить плов
salon - ru | есть вакансия администратора
salon - kk | телефон жөндейсіз бе
salon - kk | қарызға ақша керек
salon - kk | палау қалай пісіреді
salon - en | can you fix my phone
salon - en | can you lend me money
salon - en | how do i cook pilaf
salon - en | do you sell cars
salon - en | what's the capital of france
salon - ru | такси вызовите мне
`;

export interface EvalQuestion {
  set: FaqSetName;
  /** The entry that answers it; null when out of scope (must be handed off). */
  entry: string | null;
  lang: Language;
  text: string;
  half: 'dev' | 'test' | 'fresh';
}

function parse(raw: string, fresh = false): EvalQuestion[] {
  const seen = new Map<string, number>();
  return raw.trim().split('\n').map((line) => {
    const [head, text] = line.split(' | ');
    const [set, entry, lang] = head.trim().split(/\s+/);
    const group = `${set} ${entry === '-' ? '-' : 'in'} ${lang}`;
    const n = seen.get(group) ?? 0;
    seen.set(group, n + 1);
    return { set: set as FaqSetName, entry: entry === '-' ? null : entry, lang: lang as Language, text: text.trim(), half: fresh ? 'fresh' : n % 2 === 0 ? 'dev' : 'test' };
  });
}

export const EVAL_QUESTIONS: EvalQuestion[] = parse(RAW);

/** Written after tuning, never tuned on (questions-fresh.ts). */
export const FRESH_QUESTIONS: EvalQuestion[] = parse(FRESH_RAW, true);
