import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import { badRequest } from '../lib/errors.ts';
import { getSetting } from '../settings/index.ts';
import { isPrivateAddress } from '../webhooks/index.ts';

/**
 * A self-hosted Chatwoot often runs beside Habar on the same server or LAN. Its URL may lead to a
 * loopback or private address only when the install allows it (this global setting, like
 * webhooks.allow_private_targets); plain http only on such an address, https everywhere else
 * (an API token never crosses the internet in clear).
 */
export const ALLOW_PRIVATE_CHATWOOT = 'chatwoot.allow_private_targets';

export type Resolve = (host: string) => Promise<Array<{ address: string }>>;
const resolveAll: Resolve = (host) => lookup(host, { all: true, verbatim: true });

/** Normalises a Chatwoot base URL (no trailing slash) or throws a field error on `url`. */
export function normaliseChatwootUrl(raw: string): string {
  const u = raw.trim().replace(/\/+$/, '');
  let parsed: URL | undefined;
  try { parsed = new URL(u); } catch { parsed = undefined; }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password || parsed.search || parsed.hash || u.length > 300) {
    throw badRequest('Enter Chatwoot’s address, such as https://chat.example.kz', 'url', 'chatwoot_invalid_url');
  }
  // The address of a Chatwoot screen pasted whole (…/app/accounts/3/…): its account id goes in its own field.
  if (/\/app(\/|$)/.test(parsed.pathname)) {
    throw badRequest('Enter Chatwoot’s address without the page path (/app/…), such as https://chat.example.kz; the account id goes in its own field', 'url', 'chatwoot_invalid_url');
  }
  return u;
}

/**
 * Whether Habar may call this Chatwoot URL: a private or loopback address (after resolving the
 * name) only when allowed, plain http only there. Throws a field error on `url`.
 */
export async function assertChatwootTarget(db: Db, vault: Vault, url: string, resolve: Resolve = resolveAll): Promise<void> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else if (host === 'localhost' || host.endsWith('.localhost')) addresses = ['127.0.0.1'];
  else {
    try {
      addresses = (await resolve(host)).map((a) => a.address);
    } catch {
      throw badRequest(`Could not resolve ${host}`, 'url', 'chatwoot_unresolvable');
    }
  }
  const isPrivate = addresses.some(isPrivateAddress);
  if (isPrivate && (await getSetting(db, vault, ALLOW_PRIVATE_CHATWOOT)) !== 'true') {
    throw badRequest('This address is on a local or private network; the operator may allow it (setting chatwoot.allow_private_targets)', 'url', 'chatwoot_private_url');
  }
  if (!isPrivate && u.protocol !== 'https:') throw badRequest('Use https:// (plain http only on a local or private network address)', 'url', 'chatwoot_https_required');
}
