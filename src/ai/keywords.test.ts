import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findKeyword, isCommand, isFormOf } from './keywords.ts';
import { kazakhStem, kazakhStems } from './kazakh-stem.ts';
import { asksForHuman } from './gate.ts';
import { looksComplete, quietSeconds } from './quiet-period.ts';
import { BUILT_IN_STOP_KEYWORDS, DEFAULT_HANDOFF_KEYWORDS, DEFAULT_STOP_KEYWORDS } from './defaults.ts';

const test = suite('word-form-aware keywords');

test('a handoff keyword matches its Russian and Kazakh word forms', () => {
  const asks = (t: string) => asksForHuman(t, ['оператор']);
  for (const t of ['позовите оператора', 'соедините с оператором', 'операторға жазыңыз', 'операторды шақырыңыз', 'ОПЕРАТОР!', 'оператору передайте']) assert.ok(asks(t), t);
  assert.not.ok(asks('операция прошла успешно'));
  assert.not.ok(asks('опер'));
});

test('a phrase matches its inflected forms, word by word in a row', () => {
  assert.is(findKeyword('можно с живым человеком поговорить', ['живой человек']), 'живой человек');
  assert.is(findKeyword('тірі адаммен сөйлесейін', ['тірі адам']), 'тірі адам');
  assert.is(findKeyword('живой, но не человек', ['живой человек']), undefined);
});

test('the defaults do not take counting people for asking for one', () => {
  const asks = (t: string) => asksForHuman(t, DEFAULT_HANDOFF_KEYWORDS);
  assert.not.ok(asks('на 10 человек столик есть'));
  assert.not.ok(asks('бізге 5 адам керек'));
  assert.not.ok(asks('адам саны 12'));
  assert.ok(asks('адаммен сөйлескім келеді'));
  assert.ok(asks('соедините с человеком'));
  assert.ok(asks('менеджерге жалғаңызшы'));
  assert.ok(asks('позовите менеджера'));
  assert.ok(asks('can i talk to a manager'));
});

test('an inflected keyword matches only its own forms; short words only as written', () => {
  assert.not.ok(isFormOf('адам', 'адаммен'));
  assert.ok(isFormOf('адаммен', 'адаммен'));
  assert.not.ok(isFormOf('со', 'с'));
  assert.ok(isFormOf('operators', 'operator'));
  assert.not.ok(isFormOf('operation', 'operator'));
});

test('STOP is a short command in any case and form, not a word inside a long message', () => {
  const stop = [...BUILT_IN_STOP_KEYWORDS, ...DEFAULT_STOP_KEYWORDS];
  for (const t of ['STOP', 'стоп', 'СТОП!!!', 'Тоқта', 'тоқтаңыз', 'хочу отписаться', 'отпишите меня пожалуйста', 'Stop.']) assert.ok(isCommand(t, stop), t);
  assert.not.ok(isCommand('скажите пожалуйста где у вас остановка автобуса стоп рядом есть', stop));
  assert.not.ok(isCommand('стопка тарелок есть?', stop));
});

test('the Kazakh stripper peels case, possessive, plural and verb endings', () => {
  assert.is(kazakhStem('бағасы'), 'баға');
  assert.is(kazakhStem('бағасын'), 'баға');
  assert.is(kazakhStem('операторға'), 'оператор');
  assert.is(kazakhStem('мекенжайыңыз'), 'мекенжай');
  assert.is(kazakhStem('жеткізесіздер'), 'жеткіз');
  assert.is(kazakhStem('балаларға'), 'бала');
  assert.is(kazakhStem('бар'), 'бар');
  assert.ok(kazakhStems('уақыты').includes('уақыт'));
  assert.ok(kazakhStems('кепілдігі').includes('кепілдік'));
});

test('a complete question gets the short quiet time, the start of a burst the full one', () => {
  for (const t of ['сколько стоит доставка?', 'сколько стоит доставка', 'жеткізу қанша тұрады', 'доставка бар ма', 'how much is delivery', 'есть доставка? 🙂']) assert.ok(looksComplete(t), t);
  for (const t of ['привет', 'я хочу', 'и еще', 'на завтра', 'сколько']) assert.not.ok(looksComplete(t), t);
  assert.is(quietSeconds('где вы находитесь?', 4), 1.5);
  assert.is(quietSeconds('где вы находитесь?', 1), 1);
  assert.is(quietSeconds('и еще', 4), 4);
});

test.run();
