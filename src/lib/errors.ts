/** One application error type: a stable code, an HTTP status, and whether its message may be shown. */
export class AppError extends Error {
  /** For 429: the seconds to wait before trying again (the Retry-After header). */
  retryAfter?: number;
  /** Values for a translated message of `code` (e.g. `{ min: 1, max: 100 }`). */
  params?: Record<string, string | number>;

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly expose = true,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** 400. The code defaults to invalid_field when a field is named, invalid_request otherwise. */
export const badRequest = (message: string, field?: string, code = field ? 'invalid_field' : 'invalid_request', params?: Record<string, string | number>) => {
  const err = new AppError(code, message, 400, true, field);
  if (params) err.params = params;
  return err;
};
export const unauthorized = (message = 'Authentication required') => new AppError('unauthorized', message, 401);
export const forbidden = (message = 'You may not do this') => new AppError('forbidden', message, 403);
export const notFound = (message = 'Not found') => new AppError('not_found', message, 404);
export const conflict = (message: string, code = 'conflict') => new AppError(code, message, 409);
export const tooLarge = (message = 'Request body too large') => new AppError('payload_too_large', message, 413);
export const tooMany = (message: string, retryAfterSeconds?: number) => {
  const err = new AppError('rate_limited', message, 429);
  err.retryAfter = retryAfterSeconds;
  return err;
};
export const internal = (message = 'Internal error') => new AppError('internal', message, 500, false);

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
