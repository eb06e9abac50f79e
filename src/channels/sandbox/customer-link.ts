import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Vault } from '../../vault/index.ts';
import { customerUrl, type ChannelAccount } from '../accounts.ts';

// A sandbox link with `?customer=` opens that customer's chat, so it must not be guessable from
// an integrator's customer id: it carries `sig`, an HMAC-SHA256 over the link's token and the
// customer id, keyed by a key derived from the master key (it changes when the key is rotated).
const PURPOSE = 'sandbox.customer_link';

/** The signature of one customer of one sandbox link (base64url, 43 characters). */
export function customerSignature(vault: Vault, token: string, customer: string): string {
  return createHmac('sha256', vault.deriveKey(PURPOSE)).update(`${token}\n${customer}`).digest('base64url');
}

/** Whether `sig` is the signature of `customer` on the link `token` (constant time). */
export function isCustomerSignature(vault: Vault, token: string, customer: string, sig: string | undefined): boolean {
  if (!sig) return false;
  const want = Buffer.from(customerSignature(vault, token, customer));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The sandbox chat page as one customer sees it: `<customer_url>?customer=…&sig=…` (undefined for other channel kinds). */
export function signedCustomerUrl(publicUrl: string, vault: Vault, account: Pick<ChannelAccount, 'kind' | 'publicToken'>, customer: string): string | undefined {
  const base = customerUrl(publicUrl, account);
  if (!base || !account.publicToken) return undefined;
  return `${base}?customer=${encodeURIComponent(customer)}&sig=${customerSignature(vault, account.publicToken, customer)}`;
}
