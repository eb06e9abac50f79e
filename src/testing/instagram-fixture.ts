import { setSettings } from '../settings/index.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import type { TestApp } from './test-app.ts';
import { GraphStandIn } from './graph-stand-in.ts';

export const APP_SECRET = 'meta-app-secret-for-tests';
export const VERIFY_TOKEN = 'verify-me-please';
export const IG_ACCOUNT = { igId: '17841400000000001', username: 'coffee.kz', token: 'EAAG-system-user-token' };

/** A Graph stand-in with one Instagram account, and the app's meta.* settings pointing at it. */
export async function startMeta(app: TestApp): Promise<GraphStandIn> {
  const graph = new GraphStandIn().addAccount(IG_ACCOUNT);
  const url = await graph.start();
  await setSettings(app.ctx.db, app.ctx.vault, app.ctx.clock, {
    'meta.app_id': '1234567890', 'meta.app_secret': APP_SECRET, 'meta.verify_token': VERIFY_TOKEN,
    'meta.graph_url': url, 'meta.instagram_url': url, 'meta.oauth_url': url, 'meta.instagram_oauth_url': url, 'meta.instagram_token_url': url,
  }, null, SYSTEM_ACTOR);
  return graph;
}
