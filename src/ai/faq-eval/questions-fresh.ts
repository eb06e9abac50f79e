// A further set written after the matcher was tuned and the threshold calibrated, and run once
// to report (never tuned on): the same line format as questions.ts.
export const FRESH_RAW = `
clinic hours ru | до скольки вы сегодня
clinic hours ru | в субботу принимаете?
clinic address ru | скиньте адрес пожалуйста
clinic booking ru | хочу к лору записаться
clinic price ru | сколько будет стоить прием терапевта
clinic tests ru | анализ крови у вас можно сдать утром
clinic results ru | когда результат анализа придет
clinic children ru | педиатр принимает в субботу?
clinic payment ru | оплатить каспи qr можно?
clinic home ru | можно врача домой вызвать
shop delivery ru | в актау доставка есть
shop delivery ru | сколько идет посылка до павлодара
shop return ru | куртка не подошла можно вернуть
shop installment ru | рассрочку на 12 месяцев даете?
shop tracking ru | заказ так и не пришел где он
shop discount ru | есть промокод на первый заказ
salon manicure ru | маникюр сколько стоит у вас
salon booking ru | можно записаться на маникюр на пятницу
salon haircut ru | сколько стоит подстричь ребенка
salon giftcard ru | сертификат в подарок маме можно купить
clinic hours kk | сенбі күні жұмыс істейсіздер ме
clinic address kk | клиниканың мекенжайы қандай
clinic booking kk | ертеңге дәрігерге жазылсам болама
clinic price kk | қабылдау бағасы қанша
clinic tests kk | қан анализін тапсыруға бола ма
clinic payment kk | каспи арқылы төлеймін бе
shop delivery kk | павлодарға жеткізесіздер ме
shop delivery kk | жеткізу неше күн
shop return kk | тауар сәйкес келмеді қайтаруға бола ма
shop warranty kk | телефонға кепілдік бар ма
shop hours kk | дүкен нешеге дейін ашық
shop discount kk | жеңілдіктер бар ма қазір
salon hours kk | салон жексенбіде ашық па
salon manicure kk | маникюрдің бағасы қанша
salon booking kk | сенбіге жазылғым келеді
salon address kk | салонның мекенжайы
salon coloring kk | шашты бояу бағасы
clinic hours en | what time do you close on saturday
clinic address en | what is the clinic address
clinic booking en | i'd like to book a doctor appointment
clinic price en | how much does the first visit cost
clinic insurance en | can i use my insurance
clinic parking en | do you have a car park
shop delivery en | do you deliver to aktau
shop delivery en | how much does shipping cost
shop return en | can i get my money back
shop installment en | is there an installment plan
shop tracking en | i want to track my order
shop sizes en | which size fits me
salon haircut en | how much do you charge for a haircut
salon booking en | can i book an appointment for friday
salon lashes en | how much are eyelash extensions
salon giftcard en | can i get a gift voucher
clinic - ru | вы продаете билеты на концерт
shop - ru | можно у вас машину в аренду взять
salon - ru | посоветуйте хорошего юриста
clinic - kk | пәтер жалға бересіздер ме
shop - kk | бүгін футбол қашан басталады
salon - kk | жұмысқа адам керек пе
clinic - en | do you rent apartments
shop - en | can you recommend a lawyer
salon - en | when does the football match start
`;
