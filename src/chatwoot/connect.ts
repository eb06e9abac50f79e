import type { Updateable } from 'kysely';
import type { ChatwootAccountsTable } from '../db/index.ts';
import { badRequest } from '../lib/errors.ts';
import { recordAudit, type AuditAction, type AuditBy } from '../audit/index.ts';
import { ChatwootError, type ClientOptions } from './client.ts';
import { clientFor, getChatwootSettings, SECRET_CONTEXT, TOKEN_CONTEXT, validatePatch, type ChatwootPatch, type ChatwootSettings } from './accounts.ts';
import { provisionInboxes, type InboxDeps } from './inboxes.ts';
import { assertChatwootTarget, normaliseChatwootUrl, type Resolve } from './target.ts';

export interface ConnectDeps extends InboxDeps {
  /** Client options (tests shorten the timeouts) and name resolution for the target check. */
  http?: ClientOptions;
  resolve?: Resolve;
}

/** Chatwoot's refusal as a 400 naming the field to fix, quoting only Chatwoot's own reason. */
function refusal(err: ChatwootError) {
  const field = err.status === 401 || err.status === 403 ? 'api_token' : err.status === 404 ? 'account_id' : 'url';
  const reason = err.status ? `${err.reason} (HTTP ${err.status})` : err.reason;
  const e = badRequest(`Chatwoot refused the connection: ${reason}`, field, 'chatwoot_refused');
  e.params = { detail: reason };
  return e;
}

/**
 * The Chatwoot settings change of the UI and the API (only the fields present change; null clears
 * a secret). When the URL, the account id or the token change, or `connect` is asked (the UI's
 * Connect button), the credentials are checked against Chatwoot (a refusal is a 400 quoting its
 * reason, and nothing is stored), an API-channel inbox per channel account is created or reused
 * with its webhook URL pointed here, and the client is connected: its conversations are mirrored
 * from then on. Clearing the URL or the token disconnects. Audited.
 */
export async function saveChatwootSettings(deps: ConnectDeps, clientId: string, patch: ChatwootPatch, by: AuditBy, opts: { connect?: boolean } = {}): Promise<ChatwootSettings> {
  validatePatch(patch);
  const row = await deps.db.selectFrom('chatwoot_accounts').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  const url = patch.url === undefined ? row?.url || null : patch.url === null ? null : normaliseChatwootUrl(patch.url);
  const accountId = patch.accountId === undefined ? row?.account_id || null : patch.accountId;
  const token = patch.apiToken === undefined ? (row?.api_token ? deps.vault.open(row.api_token, TOKEN_CONTEXT) : null) : patch.apiToken?.trim() || null;
  const credentialsChanged = patch.url !== undefined || patch.accountId !== undefined || patch.apiToken !== undefined;
  const complete = !!(url && accountId && token);
  const now = deps.clock.now().toISOString();
  let connectedAt = complete ? row?.connected_at ?? null : null;
  if (complete && (credentialsChanged || opts.connect)) {
    await assertChatwootTarget(deps.db, deps.vault, url!, deps.resolve);
    const cw = clientFor({ url: url!, accountId: accountId!, apiToken: token! }, deps.http);
    try {
      await provisionInboxes(deps, cw, clientId, await cw.listInboxes());
    } catch (err) {
      if (err instanceof ChatwootError) throw refusal(err);
      throw err;
    }
    connectedAt = now;
  } else if (opts.connect && !complete) {
    throw badRequest('Enter the Chatwoot URL, the account id and an access token', !url ? 'url' : !accountId ? 'account_id' : 'api_token', 'missing_field');
  }
  const set: Updateable<ChatwootAccountsTable> = {
    url: url ?? '', account_id: accountId ?? 0, connected_at: connectedAt, updated_at: now,
    ...(credentialsChanged || opts.connect ? (connectedAt ? { last_error: null, last_error_at: null, last_ok_at: now } : {}) : {}),
  };
  if (patch.apiToken !== undefined) set.api_token = token ? deps.vault.seal(token, TOKEN_CONTEXT) : null;
  if (patch.webhookSecret !== undefined) set.webhook_secret = patch.webhookSecret ? deps.vault.seal(patch.webhookSecret.trim(), SECRET_CONTEXT) : null;
  if (patch.signAgentName !== undefined) set.sign_agent_name = patch.signAgentName ? 1 : 0;
  if (patch.resumeAiOnResolve !== undefined) set.resume_ai_on_resolve = patch.resumeAiOnResolve ? 1 : 0;
  const fields = Object.keys(patch).filter((k) => patch[k as keyof ChatwootPatch] !== undefined);
  const action: AuditAction = connectedAt && (credentialsChanged || opts.connect) ? 'chatwoot.connected' : row?.connected_at && !connectedAt ? 'chatwoot.disconnected' : 'chatwoot.updated';
  await deps.db.transaction().execute(async (trx) => {
    if (row) await trx.updateTable('chatwoot_accounts').set(set).where('client_id', '=', clientId).execute();
    else await trx.insertInto('chatwoot_accounts').values({ client_id: clientId, url: '', account_id: 0, ...set } as never).execute();
    await recordAudit(trx, deps.clock, { actor: by, action, clientId, targetType: 'client', targetId: clientId, ip: by.ip, details: { fields } });
  });
  return getChatwootSettings(deps.db, clientId);
}
