import { z } from 'zod';
import { AppError, badRequest } from '../../../lib/errors.ts';
import { charLength } from '../../../lib/text.ts';
import type { ApiContext } from './api-env.ts';

/** Turns a zod failure into the API's error: unknown fields and bad values name their field. */
function zodError(err: z.ZodError, input?: unknown): AppError {
  const issue = err.issues[0];
  const given = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
  if (issue.code === 'unrecognized_keys') {
    const field = [...issue.path, issue.keys[0]].join('.');
    return badRequest(`Unknown field "${field}"`, field, 'unknown_field');
  }
  const field = issue.path.join('.') || undefined;
  if (issue.code === 'too_big' && issue.origin === 'string') return badRequest(`${field ?? 'value'} is too long (at most ${issue.maximum} characters)`, field, 'too_long');
  if (issue.code === 'invalid_type' && given === undefined) return badRequest(`${field} is required`, field, 'missing_field');
  return badRequest(field ? `${field}: ${issue.message}` : issue.message, field, 'invalid_field');
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw zodError(r.error, value);
  return r.data;
}

/** Reads a JSON body: malformed JSON is 400 invalid_json; the schema rejects unknown fields. */
export async function readJson<T extends z.ZodType>(c: ApiContext, schema: T): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw badRequest('Send a JSON body with Content-Type: application/json', undefined, 'invalid_json');
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`The body is not valid JSON: ${(err as Error).message}`, undefined, 'invalid_json');
  }
  return parseWith(schema, value);
}

/**
 * A settings area's PUT body: a JSON object (else 400), naming no read-only field (400
 * read_only_field, that field named), then parsed by the schema (unknown fields refused).
 */
export async function readSettingsPatch<T extends z.ZodType>(c: ApiContext, schema: T, readOnly: readonly string[]): Promise<z.output<T>> {
  const raw = await readJson(c, z.unknown());
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('Send a JSON object of fields', undefined, 'invalid_field');
  const ro = Object.keys(raw).find((k) => readOnly.includes(k));
  if (ro) throw badRequest(`${ro} is read-only`, ro, 'read_only_field');
  return parseWith(schema, raw);
}

export function readQuery<T extends z.ZodType>(c: ApiContext, schema: T): z.output<T> {
  return parseWith(schema, c.req.query());
}

/**
 * A string of at most `max` characters counted as JSON Schema's maxLength counts them (code
 * points: "😀" is one), not as JavaScript's `.length` (UTF-16 units: "😀" is two).
 */
export function chars(max: number) {
  return z.string().check((ctx) => {
    if (charLength(ctx.value) > max) ctx.issues.push({ code: 'too_big', origin: 'string', maximum: max, inclusive: true, input: ctx.value, message: `At most ${max} characters` });
  }).meta({ maxLength: max });
}

/** `?cursor=&limit=` of every list (default 50, at most 200). */
export const PageQuery = z.object({
  cursor: z.string().max(200).optional().describe('The next_cursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Items per page (1–200, default 50)'),
}).strict();

const invalidCursor = () => badRequest('Invalid cursor: pass the next_cursor of the previous page unchanged', 'cursor', 'invalid_cursor');

/** A list whose cursor is the last row's id (time-sortable ids): anything else is 400 invalid_cursor. */
export function idCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && !/^[0-9a-z]{26}$/.test(cursor)) throw invalidCursor();
  return cursor;
}

/** Builds `{data, next_cursor}` from rows fetched with limit + 1 (the extra row says there is more). */
export function page<R, J>(rows: R[], limit: number, toJson: (r: R) => J, cursorOf: (r: R) => string): { data: J[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { data: shown.map(toJson), next_cursor: more ? cursorOf(shown[shown.length - 1]) : null };
}

/**
 * A domain error that names the domain's field (display_name) under the API's name for it (name):
 * error.field always names what the caller sent.
 */
export async function renameFields<T>(work: Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof AppError && err.field && names[err.field.split('.')[0]]) {
      const [head, ...rest] = err.field.split('.');
      const field = [names[head], ...rest].join('.');
      const renamed = new AppError(err.code, err.message.replaceAll(head, names[head]), err.status, err.expose, field);
      if (err.params) renamed.params = err.params;
      throw renamed;
    }
    throw err;
  }
}

/** Ids in paths are opaque strings; an absurd one is simply not found. */
export const pathId = (c: ApiContext, name: string): string => c.req.param(name) ?? '';
