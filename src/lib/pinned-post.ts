import http from 'node:http';
import https from 'node:https';

/** An address a host name resolved to (and that the caller checked). */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export class PostTimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * POSTs `body` to `url` and resolves with the HTTP status once the answer's head arrived (its body
 * is discarded). With `pin`, the connection goes to those addresses (tried in order, as Node tries
 * a name's addresses), whatever the host name would resolve to now:
 * a URL checked against one address cannot be switched to another between the check and the
 * connection (DNS rebinding). The Host header, TLS server name and certificate check still use
 * the URL's host name. Redirects are not followed. `timeoutMs` bounds the whole exchange.
 */
export function pinnedPost(url: string, o: { headers: Record<string, string>; body: string; timeoutMs: number; pin?: ResolvedAddress[] }): Promise<number> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const pin = o.pin?.length ? o.pin : undefined;
  const lookup = pin
    ? (_host: string, opts: { all?: boolean }, cb: (err: Error | null, address: string | ResolvedAddress[], family?: number) => void) =>
      (opts.all ? cb(null, pin) : cb(null, pin[0].address, pin[0].family))
    : undefined;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(target, {
      method: 'POST',
      headers: { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) },
      agent: false, // one connection per delivery: a pooled socket could lead elsewhere
      ...(lookup ? { lookup: lookup as never } : {}),
    }, (res) => {
      // The receiver has answered: its status is the outcome, whatever happens to the body.
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      res.on('error', () => {});
      res.resume();
    });
    const timer = setTimeout(() => req.destroy(new PostTimeoutError(`no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    req.once('error', (err) => { clearTimeout(timer); reject(err); });
    req.end(o.body);
  });
}
