import type { Context } from 'hono';
import type { ApiKey } from '../../../auth/index.ts';
import type { HttpEnv } from '../../env.ts';

/** The HTTP environment of /api/v1 routes: the bearer key that authenticated the call. */
export interface ApiEnv {
  Variables: HttpEnv['Variables'] & { apiKey: ApiKey };
}

export type ApiContext = Context<ApiEnv>;

/** The client the calling key belongs to: every /api/v1 query is scoped to it. */
export const apiClientId = (c: ApiContext): string => c.get('apiKey').clientId;

/** Who did it, for the audit log: the calling key (by its prefix, never the key) and the caller's address. */
export const apiActor = (c: ApiContext): { id: null; label: string; ip: string } => ({ id: null, label: `api-key:${c.get('apiKey').prefix}`, ip: c.get('ip') });
