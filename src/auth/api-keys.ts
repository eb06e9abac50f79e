import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { ApiKeysTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';

export const API_KEY_PREFIX = 'hbr_';
/** How long a key's last-used time may lag, so that a busy key does not write on every call. */
const LAST_USED_GRANULARITY_MS = 60_000;

export interface ApiKey {
  id: string;
  clientId: string;
  label: string;
  /** The first characters of the key, to recognise it ("hbr_abc123…"). */
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const toApiKey = (r: Selectable<ApiKeysTable>): ApiKey => ({
  id: r.id, clientId: r.client_id, label: r.label, prefix: r.prefix, createdBy: r.created_by,
  createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Creates a key for a client (audited; made by `by`): the key is returned once and only its hash is stored. */
export async function createApiKey(db: Db, clock: Clock, input: { clientId: string; label?: string }, by: AuditBy): Promise<{ key: string; apiKey: ApiKey }> {
  const label = (input.label ?? '').trim();
  if (label.length > 100) throw badRequest('The label may have at most 100 characters', 'label', 'invalid_label');
  // 32 random bytes: a key is unguessable, so a fast hash (sha256) is enough to store it.
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const row = {
    id: newId(), client_id: input.clientId, label, prefix: key.slice(0, API_KEY_PREFIX.length + 6),
    key_hash: hashKey(key), created_by: by.label, created_at: clock.now().toISOString(), last_used_at: null, revoked_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('api_keys').values(row).execute();
    await recordAudit(trx, clock, { actor: by, action: 'api_key.created', clientId: input.clientId, targetType: 'api_key', targetId: row.id, ip: by.ip, details: { label } });
  });
  return { key, apiKey: toApiKey(row) };
}

/** The client's keys, newest first (revoked ones included, marked). */
export async function listApiKeys(db: Db, clientId: string, page: { before?: string; limit?: number } = {}): Promise<ApiKey[]> {
  let q = db.selectFrom('api_keys').selectAll().where('client_id', '=', clientId);
  if (page.before) q = q.where('id', '<', page.before);
  const rows = await q.orderBy('id', 'desc').limit(page.limit ?? 500).execute();
  return rows.map(toApiKey);
}

/** One of the client's keys; another client's key is "not found". */
export async function getApiKey(db: Db, clientId: string, id: string): Promise<ApiKey> {
  const r = await db.selectFrom('api_keys').selectAll().where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('No such API key');
  return toApiKey(r);
}

/** Revokes a key at once, audited (idempotent: revoking twice keeps the first time). */
export async function revokeApiKey(db: Db, clock: Clock, clientId: string, id: string, by: AuditBy): Promise<ApiKey> {
  const key = await getApiKey(db, clientId, id);
  const now = clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    if (!key.revokedAt) await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('client_id', '=', clientId).execute();
    await recordAudit(trx, clock, { actor: by, action: 'api_key.revoked', clientId, targetType: 'api_key', targetId: id, ip: by.ip });
    return key.revokedAt ? key : { ...key, revokedAt: now };
  });
}

/**
 * The live key matching a presented secret, or undefined for unknown and revoked keys.
 * Records the last-used time (at most once a minute per key).
 */
export async function authenticateApiKey(db: Db, clock: Clock, presented: string): Promise<ApiKey | undefined> {
  if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 200) return undefined;
  const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashKey(presented)).executeTakeFirst();
  if (!r || r.revoked_at) return undefined;
  const now = clock.now();
  if (!r.last_used_at || now.getTime() - new Date(r.last_used_at).getTime() >= LAST_USED_GRANULARITY_MS) {
    r.last_used_at = now.toISOString();
    await db.updateTable('api_keys').set({ last_used_at: r.last_used_at }).where('id', '=', r.id).execute();
  }
  return toApiKey(r);
}
