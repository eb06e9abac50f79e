import { setSettings } from '../settings/index.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import type { TestApp } from './test-app.ts';
import { GraphStandIn, metaSignature } from './graph-stand-in.ts';
import { createChannelAccount, type ChannelAccount } from '../channels/index.ts';

export const APP_SECRET = 'meta-app-secret-for-tests';
export const VERIFY_TOKEN = 'verify-me-please';
export const IG_ACCOUNT = { igId: '17841400000000001', username: 'coffee.kz', token: 'EAAG-system-user-token' };
/** The Facebook Page IG_ACCOUNT is linked to; IG_ACCOUNT's system-user token has access to it. */
export const IG_PAGE = { pageId: '104000000000900', name: 'Coffee KZ', pageToken: 'EAAG-page-token-coffee', igId: IG_ACCOUNT.igId, username: IG_ACCOUNT.username, systemUserTokens: [IG_ACCOUNT.token] };

/** A Graph stand-in with one Instagram account, and the app's meta.* settings pointing at it. */
export async function startMeta(app: TestApp): Promise<GraphStandIn> {
  const graph = new GraphStandIn().addAccount(IG_ACCOUNT).addPage(IG_PAGE);
  const url = await graph.start();
  await setSettings(app.ctx.db, app.ctx.vault, app.ctx.clock, {
    'meta.app_id': '1234567890', 'meta.app_secret': APP_SECRET, 'meta.verify_token': VERIFY_TOKEN,
    'meta.graph_url': url, 'meta.instagram_url': url, 'meta.oauth_url': url, 'meta.instagram_oauth_url': url, 'meta.instagram_token_url': url,
  }, null, SYSTEM_ACTOR);
  return graph;
}

/** A connected Instagram channel account for the fixture's account (as a pasted token makes it). */
export async function buildInstagramAccount(app: TestApp, clientId: string, igId = IG_ACCOUNT.igId): Promise<ChannelAccount> {
  const { db, clock, vault } = app.ctx;
  return createChannelAccount(db, clock, vault, {
    clientId, kind: 'instagram', name: `@${IG_ACCOUNT.username}`, status: 'connected',
    settings: { ig_account_id: igId, username: IG_ACCOUNT.username, login: 'token' }, credentials: JSON.stringify({ access_token: IG_ACCOUNT.token, expires_at: null }),
  }, app.ctx.channels.registry);
}

let seq = 0;
/** One customer message item of Meta's messaging webhook. */
export function igMessage(customer: string, text: string, extra: Record<string, unknown> = {}, mid = `m_${++seq}_${Date.now()}`) {
  return { sender: { id: customer }, recipient: { id: IG_ACCOUNT.igId }, timestamp: Date.now(), message: { mid, text, ...extra } };
}

/** A delivery body: `{"object":"instagram","entry":[{id, time, messaging}]}`. */
export function igDelivery(items: unknown[], igId = IG_ACCOUNT.igId): string {
  return JSON.stringify({ object: 'instagram', entry: [{ id: igId, time: Date.now(), messaging: items }] });
}

/** POSTs a delivery to the real app, signed with the app secret (or the given signature header; null: unsigned). */
export function deliverToApp(app: TestApp, raw: string, signature: string | null = metaSignature(APP_SECRET, raw)): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return app.request('/webhooks/instagram', { method: 'POST', headers, body: raw });
}
