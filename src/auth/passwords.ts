import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { badRequest } from '../lib/errors.ts';
import { MIN_PASSWORD_SCORE, feedbackInEnglish, passwordStrength } from './password-strength.ts';

// scrypt parameters are stored with each hash, so they can be raised later without breaking logins.
const DEFAULT = { N: 1 << 15, r: 8, p: 1 };
const KEYLEN = 32;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULT);
  return ['scrypt', DEFAULT.N, DEFAULT.r, DEFAULT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a stored hash. With no (or a malformed) hash it still derives a key
 * with the default cost, so an unknown e-mail takes as long as a known one (no user enumeration by timing).
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [alg, N, r, p, salt, hash] = (stored ?? '').split('$');
  if (alg !== 'scrypt' || !salt || !hash) {
    await derive(password, randomBytes(16), DEFAULT);
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const MIN_PASSWORD_LENGTH = 10;

/**
 * Throws a field error when a new password is too short, too long or too easy to guess (zxcvbn score
 * below MIN_PASSWORD_SCORE); the error's params carry zxcvbn's feedback keys for a translated message.
 */
export function checkPasswordStrength(password: string, field = 'password', userInputs: string[] = []): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw badRequest(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`, field, 'password_too_short');
  if (password.length > 200) throw badRequest('The password must have at most 200 characters', field, 'password_too_long');
  const verdict = passwordStrength(password, userInputs);
  if (verdict.score < MIN_PASSWORD_SCORE) {
    throw badRequest(`The password is too easy to guess. ${feedbackInEnglish(verdict)}`.trim(), field, 'password_too_weak', {
      warning: verdict.warning ?? '', suggestions: verdict.suggestions.join(','),
    });
  }
}

/** A readable one-time password (about 80 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[bytes[i] % alphabet.length];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12)}`;
}
