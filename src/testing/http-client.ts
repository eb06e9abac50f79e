// A small HTTP(S) client over node:http/https for tests against a real port (fetch cannot trust a test CA).
import http from 'node:http';
import https from 'node:https';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  setCookies: string[];
  body: string;
}

export function httpRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: string | Buffer } = {}): Promise<RawResponse> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method: opts.method ?? 'GET', headers: opts.headers, ca: opts.ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies: res.headers['set-cookie'] ?? [], body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Logs in through the real login form over the network; returns the response and the cookies it set. */
export async function httpLogin(base: string, email: string, password: string, opts: { ca?: string | Buffer; headers?: Record<string, string> } = {}): Promise<{ res: RawResponse; cookies: string[] }> {
  const page = await httpRequest(`${base}/login`, { ca: opts.ca, headers: opts.headers });
  const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error(`no CSRF token on the login page (${page.status})`);
  const cookie = page.setCookies.map((c) => c.split(';')[0]).join('; ');
  const res = await httpRequest(`${base}/login`, {
    method: 'POST', ca: opts.ca,
    headers: { ...opts.headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  return { res, cookies: [...page.setCookies, ...res.setCookies] };
}
