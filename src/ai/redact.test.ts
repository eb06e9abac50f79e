import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redactor, luhnValid } from './redact.ts';

const test = suite('redaction before the AI');

test('a Russian message loses its phone numbers, e-mail and IIN, and the reply gets them back', () => {
  const r = new Redactor();
  const msg = 'Здравствуйте! Мой номер +7 701 234 56 78, почта aigerim.n@mail.kz, ИИН 900101300123. Перезвоните на 8 (701) 234-56-78.';
  const out = r.redact(msg);
  assert.not.match(out, /701|234|aigerim|mail\.kz|900101300123/);
  assert.match(out, /\[PHONE_1\]/);
  assert.match(out, /\[EMAIL_1\]/);
  assert.match(out, /\[IIN_1\]/);
  // The same number in two spellings is one placeholder.
  assert.is(out.match(/\[PHONE_1\]/g)!.length, 2);
  assert.not.match(out, /PHONE_2/);
  const reply = r.restore('Спасибо! Мы перезвоним на [PHONE_1] и отправим счёт на [EMAIL_1].');
  assert.is(reply, 'Спасибо! Мы перезвоним на +7 701 234 56 78 и отправим счёт на aigerim.n@mail.kz.');
});

test('a Kazakh message with a trunk-form number and a BIN is minimised', () => {
  const r = new Redactor();
  const out = r.redact('Сәлеметсіз бе! Менің нөмірім 87771234567, компанияның БСН 120340012345. Хабарласыңыз.');
  assert.is(out, 'Сәлеметсіз бе! Менің нөмірім [PHONE_1], компанияның БСН [IIN_1]. Хабарласыңыз.');
  assert.is(r.restore('Жақсы, [PHONE_1] нөміріне хабарласамыз.'), 'Жақсы, 87771234567 нөміріне хабарласамыз.');
});

test('an English message with an international number and a card number is minimised', () => {
  const r = new Redactor();
  const out = r.redact('Hi, call me at +44 20 7946 0958 or email John.Smith@example.co.uk. My card is 4111 1111 1111 1111.');
  assert.not.match(out, /7946|John|example|4111/);
  assert.match(out, /\[PHONE_1\]/);
  assert.match(out, /\[EMAIL_1\]/);
  assert.match(out, /\[CARD_1\]/);
  assert.is(r.restore('We will not store [CARD_1].'), 'We will not store 4111 1111 1111 1111.');
});

test('card-like numbers that fail the Luhn check, prices, dates and times stay as written', () => {
  const r = new Redactor();
  const text = 'Заказ 4111 1111 1111 1112 на 15 000 тг, доставка 2026-01-15 в 14:30, 3 шт. по 1 250 ₸';
  assert.is(r.redact(text), text);
  assert.ok(luhnValid('4111111111111111'));
  assert.not.ok(luhnValid('4111111111111112'));
});

test('the same value keeps its placeholder across messages of one request; different values count up', () => {
  const r = new Redactor();
  const a = r.redact('first: a@b.kz, +7 705 111 22 33');
  const b = r.redact('second: +7 705 999 88 77 and again A@B.kz');
  assert.is(a, 'first: [EMAIL_1], [PHONE_1]');
  assert.is(b, 'second: [PHONE_2] and again [EMAIL_1]');
  assert.equal({ ...r.counts }, { EMAIL: 1, CARD: 0, IBAN: 0, PHONE: 2, IIN: 0 });
});

test('a Kazakh IBAN is minimised', () => {
  const r = new Redactor();
  assert.is(r.redact('Реквизиты: KZ86 125K ZT50 0410 0100'), 'Реквизиты: [IBAN_1]');
});

test('a placeholder the model writes without brackets is restored too; unknown ones stay', () => {
  const r = new Redactor();
  r.redact('+7 701 000 00 01');
  assert.is(r.restore('Call PHONE_1 or [PHONE_9]'), 'Call +7 701 000 00 01 or [PHONE_9]');
});

test.run();
