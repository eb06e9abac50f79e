import type { T } from '../../views/i18n/index.ts';
import { isAppError } from '../lib/errors.ts';

// Errors without a field that still belong to one input.
const CODE_FIELD: Record<string, string> = { email_taken: 'email', slug_taken: 'slug' };

/** A message for an error code from the `validation.*` strings (filled with `params`), or the domain's own (English) message. */
export function translateCode(t: T, code: string, fallback: string, params?: Record<string, string | number>): string {
  const key = `validation.${code}`;
  const s = t(key, params);
  return s === key ? fallback : s;
}

/**
 * A user's mistake in a form as inline errors { field: message }, or undefined when the error is
 * not a form mistake (not found, forbidden, server error): rethrow those.
 */
export function formErrors(err: unknown, t: T): Record<string, string> | undefined {
  if (!isAppError(err) || err.status >= 500 || [401, 403, 404, 413, 429].includes(err.status)) return undefined;
  const field = err.field ?? CODE_FIELD[err.code];
  if (!field) return undefined;
  // A domain refusal may name a finer reason than its code (e.g. invalid_field → number_range {min, max}).
  const reason = typeof err.params?.reason === 'string' ? err.params.reason : err.code;
  return { [field]: translateCode(t, reason, err.message, err.params) };
}
