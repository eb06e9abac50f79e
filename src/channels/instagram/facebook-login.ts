import type { AuditBy } from '../../audit/index.ts';
import { AppError } from '../../lib/errors.ts';
import { randomToken } from '../../lib/ids.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ChannelAccount } from '../accounts.ts';
import type { ConnectDeps } from '../channel.ts';
import { connectError, saveInstagramAccount, subscribeToWebhooks } from './connect.ts';
import { GraphClient } from './graph-client.ts';
import { findByIgAccountId } from './instagram-accounts.ts';
import { loadMetaConfig, type MetaConfig } from './meta-config.ts';

/** What Facebook Login asks the person to grant: read the Pages, their Instagram accounts, and their messages. */
export const FACEBOOK_SCOPES = ['instagram_basic', 'instagram_manage_messages', 'pages_show_list', 'pages_manage_metadata', 'business_management'];

const STATE_TTL_MS = 15 * 60_000;

/** An Instagram account the person may connect: a Page of theirs with its linked professional account. */
export interface PageCandidate {
  pageId: string;
  pageName: string;
  igId: string;
  username: string;
  /** Whether some client already holds it (shown, not offered). */
  taken: boolean;
}

interface Pending {
  sessionId: string;
  clientId: string;
  at: number;
  /** After the code exchange: the long-lived user token and the Pages' tokens (kept here, never sent to the browser). */
  login?: { userToken: string; expiresAt: string | null; pages: Array<PageCandidate & { pageToken: string }> };
}

/**
 * Facebook Login for Instagram accounts with a Page: the authorize dialog with a `state` bound to
 * the admin's session (one use, 15 minutes), code → short-lived → long-lived user token, the
 * person's Pages with their `instagram_business_account`, and the chosen one connected with its
 * Page token (which does not expire while the user token is long-lived) and subscribed to message
 * webhooks. The flow's state lives in this object (one per server): a restart mid-login asks
 * the person to start again.
 */
export class FacebookLogin {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: ConnectDeps & { clock: Clock }) {}

  private async graph(): Promise<{ graph: GraphClient; meta: MetaConfig }> {
    const meta = await loadMetaConfig(this.deps.db, this.deps.vault);
    if (!meta.appId || !meta.appSecret) throw new AppError('meta_not_configured', 'The operator has not entered the Meta app (meta.app_id, meta.app_secret) yet', 409);
    return { graph: new GraphClient(meta), meta };
  }

  private prune(): void {
    const now = this.deps.clock.now().getTime();
    for (const [k, p] of this.pending) if (now - p.at > STATE_TTL_MS) this.pending.delete(k);
  }

  /** The URL of Facebook's login dialog for this session and client; its `state` is remembered. */
  async begin(sessionId: string, clientId: string, redirectUri: string): Promise<string> {
    const { meta } = await this.graph();
    this.prune();
    const state = randomToken(24);
    this.pending.set(state, { sessionId, clientId, at: this.deps.clock.now().getTime() });
    const url = new URL(`${meta.oauthUrl}/${meta.graphVersion}/dialog/oauth`);
    url.search = new URLSearchParams({ client_id: meta.appId!, redirect_uri: redirectUri, state, response_type: 'code', scope: FACEBOOK_SCOPES.join(',') }).toString();
    return url.toString();
  }

  /** The pending login `state` names, when it was begun by this very session (else undefined: forged, stale or another's). */
  private claim(state: string, sessionId: string): Pending | undefined {
    this.prune();
    const p = this.pending.get(state);
    return p && p.sessionId === sessionId ? p : undefined;
  }

  /** Whether `state` is this session's; the client it was begun for. */
  clientOf(state: string, sessionId: string): string | undefined {
    return this.claim(state, sessionId)?.clientId;
  }

  /** Drops a login (cancelled, or finished). */
  forget(state: string): void {
    this.pending.delete(state);
  }

  /** The callback's code → long-lived user token → the Pages with an Instagram account. Kept for `connect`. */
  async complete(state: string, sessionId: string, code: string, redirectUri: string): Promise<PageCandidate[]> {
    const p = this.claim(state, sessionId);
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
      p.login = { userToken: long.access_token, expiresAt, pages };
      return pages.map(({ pageToken: _, ...c }) => c);
    } catch (err) {
      this.forget(state);
      throw connectError(err);
    }
  }

  /** Connects the chosen account of a completed login to the client it was begun for. */
  async connect(state: string, sessionId: string, igId: string, by: AuditBy): Promise<ChannelAccount> {
    const p = this.claim(state, sessionId);
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
    this.forget(state);
    this.deps.log.info('channel', 'instagram account connected with Facebook Login', { channel_account_id: account.id, ig_account_id: page.igId });
    return account;
  }
}
