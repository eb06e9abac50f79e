// An outside party that a client's data is sent to (the data map, the DPA): each room that sends
// data out describes its own recipients with this shape.

export type RecipientKind = 'ai' | 'whatsapp' | 'instagram' | 'chatwoot' | 'webhook' | 'smtp' | 'backup';

export interface DataRecipient {
  kind: RecipientKind;
  name: string;
  url: string;
  /** Whether data leaves Kazakhstan (policy section 9). */
  abroad: boolean;
}

/**
 * Where an address we cannot place is presumed: abroad, unless its host is under .kz / .қаз or is a
 * loopback or private address (the same server or the client's own network).
 */
export function presumedAbroad(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return true;
  }
  if (/(^|\.)(kz|қаз|xn--80ao21a)$/.test(host) || host === 'localhost') return false;
  return !/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|fc|fd)/.test(host);
}
