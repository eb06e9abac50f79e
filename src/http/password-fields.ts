import { MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE, passwordStrength, type PasswordVerdict } from '../auth/index.ts';
import type { T } from '../../views/i18n/index.ts';

/** The longest password a form accepts (scrypt would take any length; this bounds the work per request). */
export const MAX_PASSWORD_LENGTH = 200;

/** "Too easy to guess", then zxcvbn's warning and suggestions, in the reader's language. */
export function weakPasswordMessage(t: T, v: Pick<PasswordVerdict, 'warning' | 'suggestions'>): string {
  const parts = [t('password.too_weak'), v.warning ? t(`password.warning.${v.warning}`) : '', ...v.suggestions.map((s) => t(`password.suggestion.${s}`))];
  return parts.filter((p) => p && !/^password\.(warning|suggestion)\./.test(p)).join(' ');
}

/**
 * Inline errors for a new password and its repeat (the change and reset forms): too short, too
 * long, too easy to guess (`userInputs`: the account's e-mail and name), or the two differ.
 * An empty object when both are fine.
 */
export function newPasswordErrors(t: T, password: string, repeat: string | undefined, userInputs: string[] = []): Record<string, string> {
  if (password.length < MIN_PASSWORD_LENGTH) return { password: t('password.too_short', { n: MIN_PASSWORD_LENGTH }) };
  if (password.length > MAX_PASSWORD_LENGTH) return { password: t('password.too_long', { n: MAX_PASSWORD_LENGTH }) };
  const verdict = passwordStrength(password, userInputs);
  if (verdict.score < MIN_PASSWORD_SCORE) return { password: weakPasswordMessage(t, verdict) };
  if (password !== repeat) return { repeat: t('password.mismatch') };
  return {};
}
