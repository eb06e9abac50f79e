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

/**
 * Subscribes an account's Page to message webhooks with the Page's token (Habar does it itself:
 * nothing to click in Meta's dashboard). On the Graph API, Instagram messages come through the
 * Facebook Page the account is linked to: the subscription is the Page's, not the account's.
 */
export async function subscribeToWebhooks(graph: GraphClient, pageId: string, pageToken: string): Promise<void> {
  await graph.post(`/${pageId}/subscribed_apps`, { token: pageToken, query: { subscribed_fields: SUBSCRIBED_FIELDS } });
}

type PageList = { data?: Array<{ id: string; access_token?: string; instagram_business_account?: { id?: string } }> };

/**
 * The Facebook Page an Instagram account is linked to, with that Page's token, as a pasted token
 * reaches it: a system-user or user token lists the Pages it manages (with their tokens); a Page
 * token is the Page itself. Undefined when the token reaches no Page linked to the account.
 */
export async function linkedPage(graph: GraphClient, igAccountId: string, token: string): Promise<{ pageId: string; pageToken: string } | undefined> {
  const refused = (err: unknown) => err instanceof GraphError && !err.transient;
  try {
    const pages = await graph.get<PageList>('/me/accounts', { token, query: { fields: 'id,access_token,instagram_business_account{id}', limit: '100' } });
    const page = pages.data?.find((p) => p.instagram_business_account?.id === igAccountId && p.access_token);
    if (page) return { pageId: page.id, pageToken: page.access_token! };
  } catch (err) {
    if (!refused(err)) throw err;
  }
  try {
    const me = await graph.get<{ id?: string; instagram_business_account?: { id?: string } }>('/me', { token, query: { fields: 'id,instagram_business_account{id}' } });
    return me.id && me.instagram_business_account?.id === igAccountId ? { pageId: me.id, pageToken: token } : undefined;
  } catch (err) {
    if (!refused(err)) throw err;
    return undefined;
  }
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
 * system-user or Page token, as agencies use): the token must open the account on the Graph API
 * and reach the Facebook Page it is linked to; the Page is subscribed to message webhooks before
 * the account is stored with the Page's token (sealed), through which it sends.
 */
export async function connectWithToken(deps: ConnectDeps, input: ConnectInput, by: AuditBy): Promise<ChannelAccount> {
  const igAccountId = (input.fields.ig_account_id ?? '').trim();
  const token = (input.fields.access_token ?? '').trim();
  if (!/^\d{1,32}$/.test(igAccountId)) throw badRequest('ig_account_id must be the Instagram account\'s numeric id', 'ig_account_id');
  if (!token || token.length > 2000 || /\s/.test(token)) throw badRequest('access_token must be the token from Meta Business Suite', 'access_token', 'invalid_token');
  if (await findByIgAccountId(deps.db, igAccountId)) throw alreadyConnected();
  const graph = new GraphClient(await loadMetaConfig(deps.db, deps.vault));
  let username: string;
  let page: { pageId: string; pageToken: string } | undefined;
  try {
    ({ username } = await lookUpAccount(graph, igAccountId, token));
    page = await linkedPage(graph, igAccountId, token);
    if (page) await subscribeToWebhooks(graph, page.pageId, page.pageToken);
  } catch (err) {
    throw connectError(err);
  }
  if (!page) {
    throw badRequest(
      `The token opens @${username || igAccountId} but no Facebook Page linked to it: Meta delivers Instagram messages through the linked Page, so give the token (the system user) access to that Page`,
      'access_token', 'invalid_token',
    );
  }
  const account = await saveInstagramAccount(deps, {
    clientId: input.clientId, name: input.name, settings: { ig_account_id: igAccountId, username, login: 'token', page_id: page.pageId },
    credentials: { access_token: page.pageToken, expires_at: null },
  }, by);
  deps.log.info('channel', 'instagram account connected', { channel_account_id: account.id, ig_account_id: igAccountId });
  return account;
}
