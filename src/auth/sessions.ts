import { createHash } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { randomToken } from '../lib/ids.ts';
import { toUser, type User } from './users.ts';

export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000; // 8 hours without a request
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000; // 7 days at most
export const TOTP_PENDING_MS = 10 * 60 * 1000; // a password without its second factor is good for 10 minutes
const TOUCH_EVERY_MS = 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Session {
  id: string;
  userId: string;
  csrfToken: string;
  totpPending: boolean;
  createdAt: string;
  expiresAt: string;
}

/** Creates a session; returns the cookie token (only its hash is stored). */
export async function createSession(db: Db, clock: Clock, userId: string, meta: { ip: string; userAgent: string; totpPending?: boolean }): Promise<{ token: string; session: Session }> {
  const token = randomToken(32);
  const now = clock.now();
  const session = {
    id: hashToken(token), user_id: userId, csrf_token: randomToken(24), totp_pending: meta.totpPending ? 1 : 0,
    ip: meta.ip, user_agent: meta.userAgent.slice(0, 300), created_at: now.toISOString(), last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
  };
  await db.insertInto('sessions').values(session).execute();
  return { token, session: { id: session.id, userId, csrfToken: session.csrf_token, totpPending: !!meta.totpPending, createdAt: session.created_at, expiresAt: session.expires_at } };
}

/** Resolves a cookie token to its live session and user, applying idle and absolute expiry. */
export async function resolveSession(db: Db, clock: Clock, token: string): Promise<{ session: Session; user: User; client?: { slug: string; timezone: string; requireTotp: boolean } } | undefined> {
  const id = hashToken(token);
  // One query per request: the member's client (slug for links, time zone for dates) comes along.
  const row = await db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').leftJoin('clients', 'clients.id', 'users.client_id').selectAll('users')
    .select(['sessions.id as s_id', 'sessions.csrf_token', 'sessions.totp_pending', 'sessions.created_at as s_created', 'sessions.last_seen_at', 'sessions.expires_at', 'clients.slug as client_slug', 'clients.timezone as client_timezone', 'clients.require_totp as client_require_totp', 'clients.status as client_status'])
    .where('sessions.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const now = clock.now().getTime();
  const idleOut = now - new Date(row.last_seen_at).getTime() > SESSION_IDLE_MS;
  const pendingOut = !!row.totp_pending && now - new Date(row.s_created).getTime() > TOTP_PENDING_MS;
  if (idleOut || pendingOut || now >= new Date(row.expires_at).getTime() || row.disabled || row.client_status === 'terminated') {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return undefined;
  }
  if (now - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', id).execute();
  }
  return {
    session: { id, userId: row.id, csrfToken: row.csrf_token, totpPending: !!row.totp_pending, createdAt: row.s_created, expiresAt: row.expires_at },
    user: toUser(row),
    client: row.client_slug ? { slug: row.client_slug, timezone: row.client_timezone ?? 'Asia/Almaty', requireTotp: !!row.client_require_totp } : undefined,
  };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}

/** Logs a user out everywhere (optionally keeping one session). */
export async function endAllSessions(db: Db, userId: string, exceptSessionId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Ends every session of a client's members (the client was terminated). Returns how many ended. */
export async function endClientSessions(db: Db, clientId: string): Promise<number> {
  const members = db.selectFrom('users').select('id').where('client_id', '=', clientId);
  const r = await db.deleteFrom('sessions').where('user_id', 'in', members).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function markTotpPassed(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ totp_pending: 0 }).where('id', '=', sessionId).execute();
}

export interface SessionInfo {
  id: string;
  ip: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
}

/** The user's live sessions (idle or absolute expiry not yet reached), newest first. */
export async function listSessions(db: Db, clock: Clock, userId: string): Promise<SessionInfo[]> {
  const now = clock.now().getTime();
  const rows = await db.selectFrom('sessions').select(['id', 'ip', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId).where('totp_pending', '=', 0).orderBy('last_seen_at', 'desc').execute();
  return rows
    .filter((r) => now - new Date(r.last_seen_at).getTime() <= SESSION_IDLE_MS && now < new Date(r.expires_at).getTime())
    .map((r) => ({ id: r.id, ip: r.ip, userAgent: r.user_agent, createdAt: r.created_at, lastSeenAt: r.last_seen_at }));
}
