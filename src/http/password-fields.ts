import { MIN_PASSWORD_LENGTH } from '../auth/index.ts';
import type { T } from '../../views/i18n/index.ts';

/** The longest password a form accepts (scrypt would take any length; this bounds the work per request). */
export const MAX_PASSWORD_LENGTH = 200;

/**
 * Inline errors for a new password and its repeat (the change and reset forms): too short, too
 * long, or the two differ. An empty object when both are fine.
 */
export function newPasswordErrors(t: T, password: string, repeat: string | undefined): Record<string, string> {
  if (password.length < MIN_PASSWORD_LENGTH) return { password: t('password.too_short', { n: MIN_PASSWORD_LENGTH }) };
  if (password.length > MAX_PASSWORD_LENGTH) return { password: t('password.too_long', { n: MAX_PASSWORD_LENGTH }) };
  if (password !== repeat) return { repeat: t('password.mismatch') };
  return {};
}
