import { z } from 'zod';

/** Named schemas of the public API: each becomes a components.schemas entry of the OpenAPI document. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

export function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  apiSchemas.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
}
