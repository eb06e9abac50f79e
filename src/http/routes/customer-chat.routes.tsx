import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { createHash } from 'node:crypto';
import {
  customerSignature, customerThread, findSandboxByToken, isCustomerSignature, postAsCustomer, BROWSER_CUSTOMER_PREFIX, type ChannelAccount, type CustomerPost,
} from '../../channels/index.ts';
import { findClient } from '../../tenants/index.ts';
import { conversationByIdentity, MAX_TEXT_LENGTH } from '../../messaging/index.ts';
import { idleWait, STREAM_LIFETIME_MS } from './inbox-events.routes.ts';
import { badRequest, isAppError, notFound } from '../../lib/errors.ts';
import { charLength } from '../../lib/text.ts';
import { randomToken } from '../../lib/ids.ts';
import { ChatThread, ComposeForm, CustomerChatPage, type ChatThreadData, type ComposeData } from '../../../views/pages/customer-chat.tsx';
import { PublicRateLimits } from '../public-rate-limit.ts';
import { isSecureRequest } from '../middleware/session.ts';
import { parseFormBody } from '../forms.ts';
import { html, viewContext } from '../render.tsx';
import { translator } from '../../../views/i18n/index.ts';
import type { HttpEnv } from '../env.ts';

const CUSTOMER_COOKIE = 'habar_customer';
const ID_FIELD = /^[\x21-\x7e]{1,200}$/; // printable ASCII, no spaces: opaque ids
const JSON_FIELDS = ['text', 'customer', 'message_id'];
const TOKEN_CACHE_MS = 5_000;

type C = Context<HttpEnv>;

/**
 * The JSON contract of `POST /c/:token/messages`: {"text", "customer"?, "message_id"?}; anything
 * else is a 400 naming the field, and nothing is stored.
 */
export function parseCustomerPost(raw: string): CustomerPost {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw badRequest('The body is not valid JSON', undefined, 'invalid_json');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a JSON object', undefined, 'invalid_json');
  const o = body as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !JSON_FIELDS.includes(k));
  if (unknown) throw badRequest(`Unknown field "${unknown}"; expected text, customer, message_id`, unknown, 'unknown_field');
  if (typeof o.text !== 'string' || !o.text.trim()) throw badRequest('"text" must be a non-empty string', 'text');
  if (charLength(o.text) > MAX_TEXT_LENGTH) throw badRequest(`"text" may have at most ${MAX_TEXT_LENGTH} characters`, 'text', 'too_long');
  for (const f of ['customer', 'message_id'] as const) {
    if (o[f] !== undefined && (typeof o[f] !== 'string' || !ID_FIELD.test(o[f]))) throw badRequest(`"${f}" must be a string of 1–200 printable characters without spaces`, f);
  }
  return { text: o.text, customer: o.customer as string | undefined, messageId: o.message_id as string | undefined };
}

/** The customer id a cookie names, when the cookie is one this server signed for this link. */
function cookieCustomer(c: C, token: string): string | undefined {
  const raw = getCookie(c, CUSTOMER_COOKIE) ?? '';
  const dot = raw.indexOf('.');
  const [sig, id] = [raw.slice(0, dot), raw.slice(dot + 1)];
  return dot > 0 && ID_FIELD.test(id) && isCustomerSignature(c.get('ctx').vault, token, id, sig) ? id : undefined;
}

/**
 * The browser's customer id (one per browser and link), made on first visit and kept in a cookie
 * signed for this link. `?customer=` picks another only with its `sig` (signedCustomerUrl): an
 * integrator's customer ids are not secret, so a bare id must not open that customer's chat.
 */
function customerOf(c: C, token: string): string {
  const ctx = c.get('ctx');
  const asked = c.req.method === 'GET' ? c.req.query('customer') : undefined;
  const signed = asked && ID_FIELD.test(asked) && isCustomerSignature(ctx.vault, token, asked, c.req.query('sig')) ? asked : undefined;
  const current = cookieCustomer(c, token);
  const id = signed ?? current ?? `${BROWSER_CUSTOMER_PREFIX}${randomToken(12)}`;
  if (id !== current) {
    setCookie(c, CUSTOMER_COOKIE, `${customerSignature(ctx.vault, token, id)}.${id}`, {
      path: `/c/${token}`, httpOnly: true, sameSite: 'Lax', maxAge: 365 * 86400, secure: isSecureRequest(c),
    });
  }
  return id;
}

async function threadData(c: C, account: ChannelAccount, customer: string): Promise<ChatThreadData> {
  const ctx = c.get('ctx');
  const [messages, client] = await Promise.all([customerThread(ctx.db, account, customer), findClient(ctx.db, account.clientId)]);
  const version = createHash('sha1').update(messages.map((m) => m.id).join(',')).digest('base64url').slice(0, 16);
  return {
    token: account.publicToken!, businessName: client?.name ?? account.name, version,
    messages: messages.map((m) => ({ id: m.id, mine: m.direction === 'in', text: m.text, at: m.createdAt, attachments: m.attachments.map((a) => a.name) })),
  };
}

const freshCompose = (token: string, extra: Partial<ComposeData> = {}): ComposeData => ({ token, messageId: randomToken(12), maxChars: MAX_TEXT_LENGTH, ...extra });

/** The public customer-side chat page of a sandbox channel: no admin session, CSRF-exempt, rate limited. */
export function customerChatRoutes() {
  const app = new Hono<HttpEnv>();
  const limits = new PublicRateLimits();

  // The POST path's token lookup, cached briefly: a link's token and kind never change, and the
  // inbound transaction re-reads the account by id (a channel deleted meanwhile still answers 404).
  const known = new Map<string, { account: ChannelAccount; at: number }>();
  async function channelOf(c: C, opts: { cached?: boolean } = {}): Promise<ChannelAccount> {
    const ctx = c.get('ctx');
    const token = c.req.param('token') ?? '';
    const now = ctx.clock.now().getTime();
    const hit = opts.cached ? known.get(token) : undefined;
    if (hit && now - hit.at < TOKEN_CACHE_MS) return hit.account;
    const account = await findSandboxByToken(ctx.db, token);
    if (account && opts.cached) {
      if (known.size >= 1000) known.clear();
      known.set(token, { account, at: now });
    }
    if (!account) {
      limits.checkMiss(ctx, c.get('ip'));
      throw notFound('No such chat');
    }
    return account;
  }

  app.get('/c/:token', async (c) => {
    const account = await channelOf(c);
    const customer = customerOf(c, account.publicToken!);
    const thread = await threadData(c, account, customer);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer'); // the token is in the URL
    return html(c, <CustomerChatPage v={viewContext(c)} thread={thread} compose={freshCompose(thread.token)} />);
  });

  // Fetched when the live stream signals a change (and, as a fallback, every 30 s): 204 (nothing to
  // swap) while the customer's view is unchanged.
  app.get('/c/:token/thread', async (c) => {
    const account = await channelOf(c, { cached: true });
    const thread = await threadData(c, account, customerOf(c, account.publicToken!));
    c.header('Cache-Control', 'no-store');
    if (c.req.query('v') === thread.version) return c.body(null, 204);
    return html(c, <ChatThread v={viewContext(c)} thread={thread} />);
  });

  // Live replies (Server-Sent Events): a "message" event the moment something the customer sees
  // changes in their own conversation (their message stored, a reply sent); the page (public/inbox.js)
  // then fetches /thread. No text and no ids on the stream; other customers' conversations are never signalled.
  app.get('/c/:token/events', async (c) => {
    const ctx = c.get('ctx');
    const account = await channelOf(c, { cached: true });
    const identity = { kind: 'sandbox' as const, value: customerOf(c, account.publicToken!) };
    let conversationId = (await conversationByIdentity(ctx.db, account.id, identity))?.id;
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let pending = false;
      const { nudge, wait } = idleWait(stream);
      const unsubscribe = ctx.hub.subscribe((e) => {
        if (!('message' in e) || e.message.channelAccountId !== account.id) return;
        if (conversationId && e.message.conversationId !== conversationId) return;
        pending = true; // the first message of a new conversation: looked up below
        nudge();
      }, { clientId: account.clientId });
      const started = Date.now();
      try {
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
        while (!stream.aborted && !stream.closed && Date.now() - started < STREAM_LIFETIME_MS) {
          if (!pending) await wait();
          if (!pending || stream.aborted) continue;
          pending = false;
          conversationId ??= (await conversationByIdentity(ctx.db, account.id, identity))?.id;
          if (conversationId) await stream.writeSSE({ event: 'message', data: '{}' });
        }
      } finally {
        unsubscribe();
      }
    });
  });

  app.post('/c/:token/messages', async (c) => {
    const ctx = c.get('ctx');
    const type = c.req.header('content-type') ?? '';
    if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) {
      // The integrators' JSON contract; errors are rendered as JSON by the app's error handler (renderError).
      const account = await channelOf(c, { cached: true });
      await limits.checkPost(ctx, c.get('ip'), account.publicToken!);
      const post = parseCustomerPost(await c.req.text());
      const r = await postAsCustomer(ctx, account, { ...post, visitorWord: translator(c.get('lang') ?? 'ru')('chat.visitor') });
      return c.json({ id: r.id }, r.created ? 201 : 200);
    }
    // The page's own form (htmx, or a plain post without JavaScript).
    const account = await channelOf(c);
    const token = account.publicToken!;
    const customer = customerOf(c, token);
    const form = await parseFormBody(c);
    const text = typeof form.text === 'string' ? form.text : '';
    const messageId = typeof form.message_id === 'string' && ID_FIELD.test(form.message_id) ? form.message_id : undefined;
    const v = viewContext(c);
    let error: string | undefined;
    let status = 400;
    if (!text.trim()) error = v.t('chat.error.empty');
    else if (charLength(text) > MAX_TEXT_LENGTH) error = v.t('chat.error.too_long', { n: MAX_TEXT_LENGTH, count: charLength(text) });
    else {
      try {
        await limits.checkPost(ctx, c.get('ip'), token);
        await postAsCustomer(ctx, account, { text, customer, messageId, visitorWord: v.t('chat.visitor') });
      } catch (err) {
        if (!isAppError(err) || err.status !== 429) throw err;
        error = v.t('chat.error.rate');
        status = 429;
      }
    }
    const thread = await threadData(c, account, customer);
    const compose = error ? freshCompose(token, { messageId: messageId ?? randomToken(12), text, error }) : freshCompose(token);
    if (!c.req.header('hx-request')) {
      if (!error) return c.redirect(`/c/${token}`, 303);
      return html(c, <CustomerChatPage v={v} thread={thread} compose={compose} />, status);
    }
    return html(c, <><ChatThread v={v} thread={thread} /><ComposeForm v={v} compose={compose} oob /></>, error ? status : 200);
  });

  return app;
}
