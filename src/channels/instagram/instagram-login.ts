import type { AuditBy } from '../../audit/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ChannelAccount } from '../accounts.ts';
import type { ConnectDeps } from '../channel.ts';
import { connectError, saveInstagramAccount, SUBSCRIBED_FIELDS } from './connect.ts';
import { GraphClient } from './graph-client.ts';
import { findByIgAccountId } from './instagram-accounts.ts';
import { loadMetaConfig, type MetaConfig } from './meta-config.ts';
import { PendingLogins } from './pending-logins.ts';

/** What Instagram Login asks for: the account's basics and its messages. */
export const INSTAGRAM_SCOPES = ['instagram_business_basic', 'instagram_business_manage_messages'];

/**
 * "Instagram API with Instagram Login", for professional accounts without a Facebook Page: the
 * authorize dialog on instagram.com with a `state` bound to the admin's session (one use, 15
 * minutes), the code exchanged at api.instagram.com, then a long-lived token (60 days, refreshed
 * by the channels' upkeep) on graph.instagram.com; the account subscribed to message webhooks
 * (signed with the Instagram app's secret) and stored with its token sealed.
 */
export class InstagramLogin {
  private readonly pending: PendingLogins<never>;

  constructor(private readonly deps: ConnectDeps & { clock: Clock }) {
    this.pending = new PendingLogins<never>(deps, 'instagram');
  }

  private async graph(): Promise<{ graph: GraphClient; meta: MetaConfig }> {
    const meta = await loadMetaConfig(this.deps.db, this.deps.vault);
    if (!meta.instagramAppId || !meta.instagramAppSecret) {
      throw new AppError('meta_not_configured', 'The operator has not entered the Instagram app (meta.instagram_app_id, meta.instagram_app_secret) yet', 409);
    }
    return { graph: new GraphClient(meta), meta };
  }

  /** The URL of Instagram's login dialog for this session and client; its `state` is remembered. */
  async begin(sessionId: string, clientId: string, redirectUri: string): Promise<string> {
    const { meta } = await this.graph();
    const state = await this.pending.begin(sessionId, clientId);
    const url = new URL(`${meta.instagramOauthUrl}/oauth/authorize`);
    url.search = new URLSearchParams({ client_id: meta.instagramAppId!, redirect_uri: redirectUri, response_type: 'code', scope: INSTAGRAM_SCOPES.join(','), state }).toString();
    return url.toString();
  }

  /** The client a login was begun for, when `state` is this session's and still fresh; undefined otherwise. */
  async clientOf(state: string, sessionId: string): Promise<string | undefined> {
    return (await this.pending.find(state, sessionId))?.clientId;
  }

  forget(state: string): Promise<void> {
    return this.pending.forget(state);
  }

  /** The callback: code → short-lived → long-lived token, the account, its webhook subscription; connected. */
  async complete(state: string, sessionId: string, code: string, redirectUri: string, by: AuditBy): Promise<ChannelAccount> {
    const clientId = await this.clientOf(state, sessionId);
    if (!clientId) throw new AppError('bad_state', 'This login was not started here', 400);
    await this.forget(state);
    const { graph, meta } = await this.graph();
    let found: { token: string; expiresAt: string | null; igId: string; username: string };
    try {
      const short = await graph.post<{ access_token?: string; data?: Array<{ access_token: string }> }>('/oauth/access_token', {
        host: 'instagram_token', unversioned: true, retry: false,
        form: { client_id: meta.instagramAppId!, client_secret: meta.instagramAppSecret!, grant_type: 'authorization_code', redirect_uri: redirectUri, code },
      });
      const shortToken = short.access_token ?? short.data?.[0]?.access_token ?? '';
      const long = await graph.get<{ access_token: string; expires_in?: number }>('/access_token', {
        host: 'instagram', unversioned: true, query: { grant_type: 'ig_exchange_token', client_secret: meta.instagramAppSecret!, access_token: shortToken },
      });
      const me = await graph.get<{ user_id?: string | number; id?: string; username?: string }>('/me', { host: 'instagram', token: long.access_token, query: { fields: 'user_id,username' } });
      const igId = String(me.user_id ?? me.id ?? '');
      if (await findByIgAccountId(this.deps.db, igId)) throw new AppError('already_connected', 'This Instagram account is already connected to a client', 409);
      await graph.post('/me/subscribed_apps', { host: 'instagram', token: long.access_token, query: { subscribed_fields: SUBSCRIBED_FIELDS } });
      const expiresAt = long.expires_in ? new Date(this.deps.clock.now().getTime() + long.expires_in * 1000).toISOString() : null;
      found = { token: long.access_token, expiresAt, igId, username: me.username ?? igId };
    } catch (err) {
      throw connectError(err);
    }
    const account = await saveInstagramAccount(this.deps, {
      clientId, settings: { ig_account_id: found.igId, username: found.username, login: 'instagram' }, credentials: { access_token: found.token, expires_at: found.expiresAt },
    }, by);
    this.deps.log.info('channel', 'instagram account connected with Instagram Login', { channel_account_id: account.id, ig_account_id: found.igId });
    return account;
  }
}
