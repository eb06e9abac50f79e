import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FaqIndex, faqIndexFor } from './faq-responder.ts';
import { DEMO_FAQ } from './demo-faq.ts';
import { detectLanguage, terms } from './text-normalise.ts';

const test = suite('offline FAQ responder');
const index = new FaqIndex(DEMO_FAQ);

const answerTo = (msg: string) => {
  const r = index.match(msg);
  return r.kind === 'answer' ? r.answer : r.kind;
};

test('Russian questions in the customers\' own words find the right answer', () => {
  assert.match(answerTo('Здравствуйте! Сколько стоит доставка до Шымкента?'), /2–5 дней/);
  assert.match(answerTo('а вы до скольки работаете в субботу?'), /с 9:00 до 19:00/);
  assert.match(answerTo('Можно оплатить через каспи?'), /Kaspi/);
  assert.match(answerTo('Какой у вас адрес?'), /пр\. Абая 1/);
  assert.match(answerTo('хочу вернуть товар, он не подошёл'), /14 дней/);
});

test('Kazakh questions get the Kazakh answer', () => {
  assert.match(answerTo('Сәлеметсіз бе! Жеткізу қанша тұрады?'), /күнде жеткіземіз/);
  assert.match(answerTo('Мекенжайыңыз қандай?'), /Абай даңғылы/);
  assert.match(answerTo('Қалай төлеймін? Kaspi бар ма?'), /қолма-қол/);
});

test('English questions get the English answer', () => {
  assert.match(answerTo('Hi, how much does delivery cost?'), /Free in Almaty/);
  assert.match(answerTo('what time are you open on saturday'), /Monday to Saturday/);
});

test('a question the FAQ does not cover is handed off instead of guessed', () => {
  assert.is(answerTo('У меня сломался холодильник, пришлите мастера завтра утром'), 'no_match');
  assert.is(answerTo('Can you tell me about your franchise opportunities?'), 'no_match');
});

test('a bare greeting is small talk, not a wrong answer', () => {
  assert.is(answerTo('Привет!'), 'small_talk');
  assert.is(answerTo('Сәлеметсіз бе'), 'small_talk');
  assert.is(answerTo('hello'), 'small_talk');
});

test('the index is reused for the same FAQ and rebuilt when an answer or a synonym changes', () => {
  const faq = [{ question: 'Сколько стоит доставка?', answer: 'Бесплатно' }];
  const first = faqIndexFor(faq);
  assert.is(faqIndexFor(structuredClone(faq)), first, 'same content, same index');
  const edited = faqIndexFor([{ ...faq[0], answer: 'Тысяча тенге' }]);
  assert.is.not(edited, first);
  const r = edited.match('сколько стоит доставка');
  assert.is(r.kind === 'answer' ? r.answer : r.kind, 'Тысяча тенге');
  assert.is.not(faqIndexFor(faq, [['доставка', 'привоз']]), first);
});

test('normalisation folds ё, case, punctuation and common endings', () => {
  assert.equal(terms('ДОСТАВКУ!'), terms('доставка'));
  assert.equal(terms('Ещё, пожалуйста: всё'), terms('еще пожалуйста все'));
  assert.equal(terms('бағасын'), terms('бағасы'));
});

test('the customer\'s language is told from their letters', () => {
  assert.is(detectLanguage('Сәлеметсіз бе'), 'kk');
  assert.is(detectLanguage('Здравствуйте'), 'ru');
  assert.is(detectLanguage('Hello there'), 'en');
  assert.is(detectLanguage('12345', 'kk'), 'kk');
});

test.run();
