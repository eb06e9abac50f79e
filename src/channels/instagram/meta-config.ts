import type { Db } from '../../db/index.ts';
import type { Vault } from '../../vault/index.ts';
import { getSetting, settingSpec } from '../../settings/index.ts';

/** The operator's Meta app and the hosts it talks to (the `meta.*` settings, defaults filled in). */
export interface MetaConfig {
  appId?: string;
  appSecret?: string;
  verifyToken?: string;
  graphUrl: string;
  instagramUrl: string;
  oauthUrl: string;
  instagramOauthUrl: string;
  instagramTokenUrl: string;
  graphVersion: string;
  instagramAppId?: string;
  instagramAppSecret?: string;
}

const KEYS = {
  appId: 'meta.app_id', appSecret: 'meta.app_secret', verifyToken: 'meta.verify_token', graphUrl: 'meta.graph_url', instagramUrl: 'meta.instagram_url',
  oauthUrl: 'meta.oauth_url', instagramOauthUrl: 'meta.instagram_oauth_url', instagramTokenUrl: 'meta.instagram_token_url', graphVersion: 'meta.graph_version',
  instagramAppId: 'meta.instagram_app_id', instagramAppSecret: 'meta.instagram_app_secret',
} as const satisfies Record<keyof MetaConfig, string>;

/** Reads the `meta.*` settings fresh (a CLI change applies to the running server); unset hosts are Meta's own. */
export async function loadMetaConfig(db: Db, vault: Vault): Promise<MetaConfig> {
  const entries = await Promise.all(Object.entries(KEYS).map(async ([field, key]) => {
    const value = (await getSetting(db, vault, key)) || settingSpec(key)?.default;
    return [field, value] as const;
  }));
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as unknown as MetaConfig;
}
