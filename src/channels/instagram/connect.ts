import { recordAudit, type AuditBy } from '../../audit/index.ts';
import { AppError, badRequest, conflict } from '../../lib/errors.ts';
import { createChannelAccount, type ChannelAccount } from '../accounts.ts';
import type { ConnectDeps, ConnectInput } from '../channel.ts';
import { GraphClient, GraphError, type GraphHost } from './graph-client.ts';
import { findByIgAccountId, INSTAGRAM, type InstagramCredentials, type InstagramSettings } from './instagram-accounts.ts';
import { loadMetaConfig } from './meta-config.ts';

/** The webhook fields Habar subscribes an account to (Instagram messaging). */
export const SUBSCRIBED_FIELDS = 'messages,messaging_postbacks,messaging_seen,message_reactions';

const alreadyConnected = () => conflict('This Instagram account is already connected to a client', 'already_connected');

/** A Graph refusal while connecting, as the person who pasted the token should see it. */
export function connectError(err: unknown): Error {
  if (!(err instanceof GraphError)) return err as Error;
  if (err.transient) return new AppError('meta_unavailable', `Meta could not be asked now (${err.message}); try again`, 502);
  return badRequest(`Meta did not accept the token: ${err.message}`, 'access_token', 'invalid_token');
}

/** Who the account is on Instagram, asked with the token (which proves the token works for it). */
export async function lookUpAccount(graph: GraphClient, igAccountId: string, token: string, host: GraphHost = 'graph'): Promise<{ id: string; username: string }> {
  const me = await graph.get<{ id?: string; username?: string }>(`/${igAccountId}`, { token, host, query: { fields: 'id,username' } });
  return { id: String(me.id ?? igAccountId), username: String(me.username ?? '') };
}

/** Subscribes the account to message webhooks (Habar does it itself: nothing to click in Meta's dashboard). */
export async function subscribeToWebhooks(graph: GraphClient, igAccountId: string, token: string): Promise<void> {
  await graph.post(`/${igAccountId}/subscribed_apps`, { token, query: { subscribed_fields: SUBSCRIBED_FIELDS } });
}

/**
 * Creates the connected channel account for a checked Instagram account, unless any client holds
 * it already (checked again inside the transaction), and records `channel.created`.
 */
export async function saveInstagramAccount(
  deps: ConnectDeps, input: { clientId: string; name?: string; settings: InstagramSettings; credentials: InstagramCredentials }, by: AuditBy,
): Promise<ChannelAccount> {
  const name = input.name?.trim() || `@${input.settings.username || input.settings.ig_account_id}`;
  return deps.db.transaction().execute(async (trx) => {
    if (await findByIgAccountId(trx, input.settings.ig_account_id)) throw alreadyConnected();
    const account = await createChannelAccount(trx, deps.clock, deps.vault, {
      clientId: input.clientId, kind: INSTAGRAM, name, status: 'connected',
      credentials: JSON.stringify(input.credentials), settings: { ...input.settings },
    }, deps.registry);
    await recordAudit(trx, deps.clock, {
      actor: by, action: 'channel.created', clientId: input.clientId, targetType: 'channel_account', targetId: account.id, ip: by.ip,
      details: { kind: INSTAGRAM, login: input.settings.login },
    });
    return account;
  });
}

/**
 * Connects an Instagram professional account with a token pasted from Meta Business Suite (a
 * system-user or Page token, as agencies use): the token must open the account on the Graph API,
 * and the account is subscribed to message webhooks before it is stored (token sealed).
 */
export async function connectWithToken(deps: ConnectDeps, input: ConnectInput, by: AuditBy): Promise<ChannelAccount> {
  const igAccountId = (input.fields.ig_account_id ?? '').trim();
  const token = (input.fields.access_token ?? '').trim();
  if (!/^\d{1,32}$/.test(igAccountId)) throw badRequest('ig_account_id must be the Instagram account\'s numeric id', 'ig_account_id');
  if (!token || token.length > 2000 || /\s/.test(token)) throw badRequest('access_token must be the token from Meta Business Suite', 'access_token', 'invalid_token');
  if (await findByIgAccountId(deps.db, igAccountId)) throw alreadyConnected();
  const graph = new GraphClient(await loadMetaConfig(deps.db, deps.vault));
  let username: string;
  try {
    ({ username } = await lookUpAccount(graph, igAccountId, token));
    await subscribeToWebhooks(graph, igAccountId, token);
  } catch (err) {
    throw connectError(err);
  }
  const account = await saveInstagramAccount(deps, {
    clientId: input.clientId, name: input.name, settings: { ig_account_id: igAccountId, username, login: 'token' }, credentials: { access_token: token, expires_at: null },
  }, by);
  deps.log.info('channel', 'instagram account connected', { channel_account_id: account.id, ig_account_id: igAccountId });
  return account;
}
