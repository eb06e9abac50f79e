import { buildUser, loginAs, makeTestApp, TEST_PASSWORD, type CookieJar, type TestApp } from './test-app.ts';
import { createApiKey } from '../auth/index.ts';
import { createChannelAccount, customerUrl } from '../channels/index.ts';
import { createClient } from '../tenants/index.ts';

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls /api/v1 on the real app with a bearer key; bodies are sent as JSON unless a string or FormData. */
export function apiClient(app: TestApp, key: string | undefined) {
  return async <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> => {
    const h: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers };
    let payload: string | FormData | undefined;
    if (typeof body === 'string' || body instanceof FormData) payload = body;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (typeof payload === 'string' && !h['content-type']) h['content-type'] = 'application/json';
    const res = await app.request(path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = text; }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
}

export type Api = ReturnType<typeof apiClient>;

/** A client with a sandbox channel and an API key: what an integrator starts from. */
export async function buildApiTenant(app: TestApp, slug: string) {
  const { db, clock, vault } = app.ctx;
  const client = await createClient(db, clock, { slug, name: `Client ${slug}` });
  const channel = await createChannelAccount(db, clock, vault, { clientId: client.id, kind: 'sandbox', name: 'Sandbox' });
  const { key, apiKey } = await createApiKey(db, clock, { clientId: client.id, label: 'tests' }, { id: null, label: 'test' });
  const pagePath = new URL(customerUrl(app.ctx.publicUrl(), channel)!).pathname;
  return {
    client, channel, key, apiKey, api: apiClient(app, key),
    /** Writes as a customer on the sandbox page (stored before 201). */
    async customerSays(text: string, customer = 'cust-1'): Promise<string> {
      const res = await app.request(`${pagePath}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, customer }) });
      if (res.status !== 201) throw new Error(`customer post failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
  };
}

export type ApiTenant = Awaited<ReturnType<typeof buildApiTenant>>;

/** A fresh app with one client reached two ways: its API key (`t`) and its owner signed in to the UI. */
export interface TwoEdges {
  app: TestApp;
  t: ApiTenant;
  owner: CookieJar;
  ownerEmail: string;
}

/** Fills `ctx` with a TwoEdges fixture (for a suite's before.each); `ctx.app.cleanup()` ends it. */
export async function twoEdges(ctx: TwoEdges, slug = 'acme'): Promise<void> {
  ctx.app = await makeTestApp({ seed: false });
  ctx.t = await buildApiTenant(ctx.app, slug);
  const owner = await buildUser(ctx.app, 'owner', ctx.t.client.id, `owner@${slug}.kz`);
  ctx.ownerEmail = owner.email;
  ctx.owner = await loginAs(ctx.app, owner.email, TEST_PASSWORD);
}

/** The audit rows of one action, oldest first, as the tests compare them across edges. */
export function auditRowsOf(app: TestApp, action: string) {
  return app.ctx.db.selectFrom('audit_log').select(['action', 'actor_label', 'client_id', 'target_type', 'target_id', 'details']).where('action', '=', action).orderBy('id').execute();
}
