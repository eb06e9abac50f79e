import { badRequest } from './errors.ts';

// Payment card numbers in free text. Habar never stores one: a billing field or other text an
// owner or the operator types is refused when it holds 13–19 digits (spaces or dashes between
// them allowed, as cards are printed) that pass the Luhn check. A BIN or IIN (12 digits) and a
// Kazakh phone number (11 digits) are too short to be one.

/** The Luhn (mod 10) check of a digit string. */
export function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether `text` holds something that looks like a payment card number (13–19 digits passing Luhn). */
export function containsCardNumber(text: string): boolean {
  // Runs of digits joined by single spaces or dashes ("4111 1111 1111 1111", "4111-1111-…").
  for (const m of text.matchAll(/\d(?:[ -]?\d)*/g)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnOk(digits)) return true;
  }
  return false;
}

/** What a refused field says. */
export const CARD_NUMBER_MESSAGE = 'This looks like a payment card number. Habar never stores card numbers: remove it.';

/** Throws a 400 `card_number` naming `field` when `value` holds a card number. */
export function refuseCardNumber(value: string | null | undefined, field: string): void {
  if (value && containsCardNumber(value)) {
    throw badRequest(CARD_NUMBER_MESSAGE, field, 'card_number');
  }
}
