import type { Selectable } from 'kysely';
import type { ChatwootAccountsTable, Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { badRequest } from '../lib/errors.ts';
import { ChatwootClient, type ClientOptions } from './client.ts';

export const TOKEN_CONTEXT = 'chatwoot_accounts.api_token';
export const SECRET_CONTEXT = 'chatwoot_accounts.webhook_secret';

/** A client's Chatwoot connection as the screens and the API show it (secrets write-only). */
export interface ChatwootSettings {
  url: string | null;
  accountId: number | null;
  apiTokenSet: boolean;
  webhookSecretSet: boolean;
  signAgentName: boolean;
  resumeAiOnResolve: boolean;
  connectedAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  lastOkAt: string | null;
}

/** The fields a change may carry (only those present change; null clears a secret). */
export interface ChatwootPatch {
  url?: string | null;
  accountId?: number | null;
  apiToken?: string | null;
  webhookSecret?: string | null;
  signAgentName?: boolean;
  resumeAiOnResolve?: boolean;
}

const NONE: ChatwootSettings = {
  url: null, accountId: null, apiTokenSet: false, webhookSecretSet: false, signAgentName: false, resumeAiOnResolve: true,
  connectedAt: null, lastError: null, lastErrorAt: null, lastOkAt: null,
};

export function toSettings(r: Selectable<ChatwootAccountsTable> | undefined): ChatwootSettings {
  if (!r) return NONE;
  return {
    url: r.url || null, accountId: r.account_id || null, apiTokenSet: !!r.api_token, webhookSecretSet: !!r.webhook_secret,
    signAgentName: !!r.sign_agent_name, resumeAiOnResolve: !!r.resume_ai_on_resolve, connectedAt: r.connected_at,
    lastError: r.last_error, lastErrorAt: r.last_error_at, lastOkAt: r.last_ok_at,
  };
}

export async function getChatwootSettings(db: Db, clientId: string): Promise<ChatwootSettings> {
  return toSettings(await db.selectFrom('chatwoot_accounts').selectAll().where('client_id', '=', clientId).executeTakeFirst());
}

/** A connected client's credentials and options (undefined: not connected, nothing is mirrored). */
export interface Connection {
  clientId: string;
  url: string;
  accountId: number;
  apiToken: string;
  webhookSecret: string | null;
  signAgentName: boolean;
}

export async function connectionOf(db: Db, vault: Vault, clientId: string): Promise<Connection | undefined> {
  const r = await db.selectFrom('chatwoot_accounts').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  if (!r || !r.connected_at || !r.api_token || !r.url) return undefined;
  return {
    clientId, url: r.url, accountId: r.account_id, apiToken: vault.open(r.api_token, TOKEN_CONTEXT),
    webhookSecret: r.webhook_secret ? vault.open(r.webhook_secret, SECRET_CONTEXT) : null, signAgentName: !!r.sign_agent_name,
  };
}

/** The HTTP client of a connection (options: tests pass shorter timeouts). */
export const clientFor = (c: Pick<Connection, 'url' | 'accountId' | 'apiToken'>, opts?: ClientOptions) =>
  new ChatwootClient({ url: c.url, accountId: c.accountId, apiToken: c.apiToken }, opts);

/**
 * Whether resolving a conversation hands it back to the AI (the client's resume_ai_on_resolve;
 * true when Chatwoot was never set up). The AI's watcher asks this, wired by the composition.
 */
export async function resumeAiOnResolve(db: Db, clientId: string): Promise<boolean> {
  const r = await db.selectFrom('chatwoot_accounts').select('resume_ai_on_resolve').where('client_id', '=', clientId).executeTakeFirst();
  return r ? !!r.resume_ai_on_resolve : true;
}

/**
 * Records the outcome of a call to Chatwoot for the status page: the last error (kept, with its
 * time, beside the last success). A success is written at most once a minute (not a write per message).
 */
export async function recordOutcome(db: Db, clock: Clock, clientId: string, error: string | null): Promise<void> {
  const now = clock.now();
  if (error !== null) {
    await db.updateTable('chatwoot_accounts').set({ last_error: error.slice(0, 500), last_error_at: now.toISOString() }).where('client_id', '=', clientId).execute();
    return;
  }
  const stale = new Date(now.getTime() - 60_000).toISOString();
  await db.updateTable('chatwoot_accounts').set({ last_ok_at: now.toISOString() }).where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('last_ok_at', 'is', null), eb('last_ok_at', '<', stale), eb('last_error_at', '>', eb.ref('last_ok_at'))])).execute();
}

/** Validates a patch's shapes (the credentials are checked against Chatwoot by the caller). */
export function validatePatch(p: ChatwootPatch): void {
  if (p.accountId !== undefined && p.accountId !== null && (!Number.isInteger(p.accountId) || p.accountId < 1)) {
    throw badRequest('The account id is a whole number (Chatwoot shows it in its URLs: /app/accounts/<id>/…)', 'account_id', 'invalid_field');
  }
  for (const [field, v] of [['api_token', p.apiToken], ['webhook_secret', p.webhookSecret]] as const) {
    if (v !== undefined && v !== null && (typeof v !== 'string' || !v.trim() || v.length > 500)) throw badRequest(`${field}: 1 to 500 characters, or null to clear it`, field, 'invalid_field');
  }
}
