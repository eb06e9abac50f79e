import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { containsCardNumber, luhnOk } from './card-number.ts';

const test = suite('payment card numbers in free text');

test('13–19 digit numbers passing Luhn are found, however they are spaced', () => {
  for (const t of ['4111111111111111', 'карта 4111 1111 1111 1111', '5500-0000-0000-0004', 'Amex 378282246310005', '4222222222222', '6011 0009 9013 9424', '3530111333300000']) {
    assert.ok(containsCardNumber(t), t);
  }
});

test('BINs, IINs, phone numbers, IBANs and numbers failing Luhn are not card numbers', () => {
  for (const t of ['БИН 123456789012', '+7 701 234 56 78', '87012345678', 'KZ86 125K ZT50 0410 0100', '4111 1111 1111 1112', 'Абая 150, офис 12', '2026-03-31', '12345678901234567890123']) {
    assert.not.ok(containsCardNumber(t), t);
  }
});

test('the Luhn check', () => {
  assert.ok(luhnOk('79927398713'));
  assert.not.ok(luhnOk('79927398710'));
});

test.run();
