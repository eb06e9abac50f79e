import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import { badRequest } from '../lib/errors.ts';
import { getSetting } from '../settings/index.ts';
import type { ResolvedAddress } from '../lib/pinned-post.ts';

/**
 * Outgoing webhooks must not become a way into the server's own network (SSRF): a client could
 * otherwise make Habar POST to 127.0.0.1, the cloud metadata address or the office LAN. Loopback,
 * link-local, private and unspecified addresses are refused — at registration when the URL names
 * an address, and at delivery after resolving the host name — unless the install-wide setting
 * `webhooks.allow_private_targets` is true (an on-prem install posting to its own LAN, and tests).
 */
export const ALLOW_PRIVATE_TARGETS = 'webhooks.allow_private_targets';

const REFUSED = new BlockList();
// 100.64.0.0/10 is carrier-grade NAT space, where some clouds put their metadata service.
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fe80::', 10], ['fc00::', 7]] as const) REFUSED.addSubnet(net, prefix, 'ipv6');

/** IPv6 forms that carry an IPv4 address: mapped (::ffff:), compatible (::) and NAT64 (64:ff9b::). */
const EMBEDDED_V4 = /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i;

/** Whether an IP address (v4 or v6, IPv4 inside IPv6 included) is loopback, link-local, private or unspecified. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = isIP(ip);
  if (kind === 4) return REFUSED.check(ip, 'ipv4');
  if (kind !== 6) return false;
  const v4 = EMBEDDED_V4.exec(ip);
  if (v4 && ip !== '::' && ip !== '::1') {
    // ::ffff:7f00:1 is 127.0.0.1 written in hex (the URL parser writes it so).
    const [hi, lo] = v4[1] ? [0, 0] : [parseInt(v4[2], 16), parseInt(v4[3], 16)];
    return REFUSED.check(v4[1] ?? `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return REFUSED.check(ip, 'ipv6');
}

export async function privateTargetsAllowed(db: Db, vault: Vault): Promise<boolean> {
  return (await getSetting(db, vault, ALLOW_PRIVATE_TARGETS)) === 'true';
}

const hostOf = (url: string): string | undefined => {
  try { return new URL(url).hostname.toLowerCase(); } catch { return undefined; }
};
const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** At registration: refuses a URL whose host is a refused address (or localhost). A field error on `url`. */
export async function assertWebhookTarget(db: Db, vault: Vault, url: string): Promise<void> {
  const host = hostOf(url);
  if (!host || !(isLocalhostName(host) || isPrivateAddress(host))) return;
  if (await privateTargetsAllowed(db, vault)) return;
  throw badRequest(`Webhooks cannot post to local or private network addresses; an administrator can allow them with the setting ${ALLOW_PRIVATE_TARGETS}`, 'url', 'private_url');
}

export interface TargetDeps {
  db: Db;
  vault: Vault;
  /** Name resolution (node:dns lookup unless a test passes another). */
  lookup?: (host: string) => Promise<Array<{ address: string; family?: number }>>;
}

const resolveAll = (host: string) => lookup(host, { all: true, verbatim: true });

/** What the delivery may do: connect to `pin` (the checked addresses), or record `refused`. */
export type TargetCheck = { refused: { ok: false; status: null; error: string } } | { pin: ResolvedAddress[] };

/**
 * At delivery, just before connecting: resolves the host and refuses when any of its addresses is
 * a refused one; otherwise the delivery connects to the address checked here (pinnedPost), so a
 * name cannot resolve to a public address for the check and a private one for the connection
 * (DNS rebinding). A name that does not resolve is a failed attempt (retried later).
 */
export async function checkDeliveryTarget(deps: TargetDeps, url: string): Promise<TargetCheck> {
  const refuse = (error: string): TargetCheck => ({ refused: { ok: false, status: null, error } });
  const host = hostOf(url)?.replace(/^\[|\]$/g, '');
  if (!host) return refuse('The URL is not valid');
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal) addresses = [{ address: host, family: literal as 4 | 6 }];
  else {
    try {
      addresses = (await (deps.lookup ?? resolveAll)(host)).map((a) => ({ address: a.address, family: (a.family ?? isIP(a.address)) as 4 | 6 }));
    } catch (err) {
      return refuse(`Could not resolve ${host}: ${(err as { code?: string }).code ?? (err as Error).message}`);
    }
    if (addresses.length === 0) return refuse(`Could not resolve ${host}`);
  }
  if ((addresses.some((a) => isPrivateAddress(a.address)) || isLocalhostName(host)) && !(await privateTargetsAllowed(deps.db, deps.vault))) {
    return refuse(`Refused: the URL leads to a local or private network address (allowed only with the setting ${ALLOW_PRIVATE_TARGETS})`);
  }
  return { pin: addresses };
}
