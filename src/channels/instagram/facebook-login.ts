import type { AuditBy } from '../../audit/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ChannelAccount } from '../accounts.ts';
import type { ConnectDeps } from '../channel.ts';
import { connectError, saveInstagramAccount, subscribeToWebhooks } from './connect.ts';
import { GraphClient } from './graph-client.ts';
import { findByIgAccountId } from './instagram-accounts.ts';
import { loadMetaConfig, type MetaConfig } from './meta-config.ts';
import { PendingLogins } from './pending-logins.ts';

/** What Facebook Login asks the person to grant: read the Pages, their Instagram accounts, and their messages. */
export const FACEBOOK_SCOPES = ['instagram_basic', 'instagram_manage_messages', 'pages_show_list', 'pages_manage_metadata', 'business_management'];

/** An Instagram account the person may connect: a Page of theirs with its linked professional account. */
export interface PageCandidate {
  pageId: string;
  pageName: string;
  igId: string;
  username: string;
  /** Whether some client already holds it (shown, not offered). */
  taken: boolean;
}

/** After the code exchange: the long-lived user token and the Pages' tokens (sealed in the data file, never sent to the browser). */
interface Login {
  userToken: string;
  expiresAt: string | null;
  pages: Array<PageCandidate & { pageToken: string }>;
}

/**
 * Facebook Login for Instagram accounts with a Page: the authorize dialog with a `state` bound to
 * the admin's session (one use, 15 minutes), code → short-lived → long-lived user token, the
 * person's Pages with their `instagram_business_account`, and the chosen one connected with its
 * Page token (which does not expire while the user token is long-lived) and subscribed to message
 * webhooks. Logins in progress are kept in the data file (PendingLogins): a restart between the
 * dialog and the callback, or before the person picks an account, loses nothing.
 */
export class FacebookLogin {
  private readonly pending: PendingLogins<Login>;

  constructor(private readonly deps: ConnectDeps & { clock: Clock }) {
    this.pending = new PendingLogins<Login>(deps, 'facebook');
  }

  private async graph(): Promise<{ graph: GraphClient; meta: MetaConfig }> {
    const meta = await loadMetaConfig(this.deps.db, this.deps.vault);
    if (!meta.appId || !meta.appSecret) throw new AppError('meta_not_configured', 'The operator has not entered the Meta app (meta.app_id, meta.app_secret) yet', 409);
    return { graph: new GraphClient(meta), meta };
  }

  /** The URL of Facebook's login dialog for this session and client; its `state` is remembered. */
  async begin(sessionId: string, clientId: string, redirectUri: string): Promise<string> {
    const { meta } = await this.graph();
    const state = await this.pending.begin(sessionId, clientId);
    const url = new URL(`${meta.oauthUrl}/${meta.graphVersion}/dialog/oauth`);
    url.search = new URLSearchParams({ client_id: meta.appId!, redirect_uri: redirectUri, state, response_type: 'code', scope: FACEBOOK_SCOPES.join(',') }).toString();
    return url.toString();
  }

  /** Whether `state` is this session's (else undefined: forged, stale or another's); the client it was begun for. */
  async clientOf(state: string, sessionId: string): Promise<string | undefined> {
    return (await this.pending.find(state, sessionId))?.clientId;
  }

  /** Drops a login (cancelled, or finished). */
  forget(state: string): Promise<void> {
    return this.pending.forget(state);
  }

  /** The callback's code → long-lived user token → the Pages with an Instagram account. Kept for `connect`. */
  async complete(state: string, sessionId: string, code: string, redirectUri: string): Promise<PageCandidate[]> {
    const p = await this.pending.find(state, sessionId);
    if (!p) throw new AppError('bad_state', 'This login was not started here', 400);
    const { graph, meta } = await this.graph();
    try {
      const short = await graph.get<{ access_token: string }>('/oauth/access_token', {
        query: { client_id: meta.appId!, client_secret: meta.appSecret!, redirect_uri: redirectUri, code }, retry: false,
      });
      const long = await graph.get<{ access_token: string; expires_in?: number }>('/oauth/access_token', {
        query: { grant_type: 'fb_exchange_token', client_id: meta.appId!, client_secret: meta.appSecret!, fb_exchange_token: short.access_token },
      });
      const accounts = await graph.get<{ data?: Array<{ id: string; name?: string; access_token?: string; instagram_business_account?: { id: string; username?: string } }> }>(
        '/me/accounts', { token: long.access_token, query: { fields: 'id,name,access_token,instagram_business_account{id,username}', limit: '100' } },
      );
      const pages = [];
      for (const a of accounts.data ?? []) {
        if (!a.instagram_business_account?.id || !a.access_token) continue;
        const igId = a.instagram_business_account.id;
        pages.push({ pageId: a.id, pageName: a.name ?? a.id, igId, username: a.instagram_business_account.username ?? igId, pageToken: a.access_token, taken: !!(await findByIgAccountId(this.deps.db, igId)) });
      }
      const expiresAt = long.expires_in ? new Date(this.deps.clock.now().getTime() + long.expires_in * 1000).toISOString() : null;
      await this.pending.attach(state, { userToken: long.access_token, expiresAt, pages });
      return pages.map(({ pageToken: _, ...c }) => c);
    } catch (err) {
      await this.forget(state);
      throw connectError(err);
    }
  }

  /** Connects the chosen account of a completed login to the client it was begun for. */
  async connect(state: string, sessionId: string, igId: string, by: AuditBy): Promise<ChannelAccount> {
    const p = await this.pending.find(state, sessionId);
    const page = p?.login?.pages.find((x) => x.igId === igId);
    if (!p?.login || !page) throw new AppError('bad_state', 'This login was not started here, or that account was not offered', 400);
    const { graph } = await this.graph();
    try {
      await subscribeToWebhooks(graph, page.pageId, page.pageToken);
    } catch (err) {
      throw connectError(err);
    }
    const account = await saveInstagramAccount(this.deps, {
      clientId: p.clientId, settings: { ig_account_id: page.igId, username: page.username, login: 'facebook', page_id: page.pageId },
      credentials: { access_token: page.pageToken, user_token: p.login.userToken, expires_at: p.login.expiresAt },
    }, by);
    await this.forget(state);
    this.deps.log.info('channel', 'instagram account connected with Facebook Login', { channel_account_id: account.id, ig_account_id: page.igId });
    return account;
  }
}
