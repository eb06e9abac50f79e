import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { EventHub } from '../../messaging/index.ts';
import type { Vault } from '../../vault/index.ts';

// The auth rows without Baileys (so erasure, deletion and the app's start never load it):
// the seal context, the keyed hashes of key ids and numbers, the per-number hash key.

/** The seal context of every auth row (`<table>.<column>`, as key rotation re-seals it). */
export const AUTH_CONTEXT = 'whatsapp_auth_keys.value';
export const CREDS = 'creds';
const HASH_KEY = 'hash-key';
/** Key types whose ids name a person (a JID or a number): erasing that person deletes them. */
const PERSONAL_TYPES = new Set(['session', 'device-list', 'lid-mapping', 'identity-key', 'tctoken', 'sender-key', 'sender-key-memory']);

export interface AuthDeps {
  db: Db;
  hub: EventHub;
  vault: Vault;
  clock: Clock;
}

/** A damaged auth row (a value that cannot be opened or parsed): only its own number stops. */
export class CorruptAuthStateError extends AppError {
  constructor(what: string) {
    super('whatsapp_session_corrupt', `The saved WhatsApp session is damaged (${what}): log out and scan the QR code again`, 500);
  }
}

/** A keyed hash (HMAC-SHA256, 128 bits shown) of one key id or number, with the number's own hash key. */
export const hashOf = (key: Buffer, value: string) => createHmac('sha256', key).update(value).digest('base64url').slice(0, 22);

/** The number a key id names (its leading digits; for sender keys, the sender's), if it names one. */
export function subjectOf(type: string, id: string): string | null {
  if (!PERSONAL_TYPES.has(type)) return null;
  const part = id.includes('::') ? id.split('::')[1] : id;
  return /^(\d+)/.exec(part)?.[1] ?? null;
}

/**
 * The number's hash key: 32 random bytes in a sealed row of its own. Not derived from the master
 * key, so rotating the master key (which re-seals this row) leaves every key hash valid.
 */
export async function hashKeyOf(deps: Omit<AuthDeps, 'hub'>, account: { id: string; clientId: string }, create: boolean): Promise<Buffer | undefined> {
  const row = await deps.db.selectFrom('whatsapp_auth_keys').select('value').where('channel_account_id', '=', account.id).where('type', '=', HASH_KEY).where('key_hash', '=', '').executeTakeFirst();
  if (row) {
    try {
      return Buffer.from(deps.vault.open(row.value, AUTH_CONTEXT), 'base64');
    } catch {
      throw new CorruptAuthStateError('hash key');
    }
  }
  if (!create) return undefined;
  const key = randomBytes(32);
  await deps.db.insertInto('whatsapp_auth_keys').values({
    channel_account_id: account.id, client_id: account.clientId, type: HASH_KEY, key_hash: '', subject_hash: null,
    value: deps.vault.seal(key.toString('base64'), AUTH_CONTEXT), updated_at: deps.clock.now().toISOString(),
  }).onConflict((oc) => oc.doNothing()).execute();
  return (await hashKeyOf(deps, account, false))!;
}

/** Whether a number has saved creds (it was paired, or is being paired). */
export async function hasSavedCreds(db: Db, accountId: string): Promise<boolean> {
  return !!(await db.selectFrom('whatsapp_auth_keys').select('type').where('channel_account_id', '=', accountId).where('type', '=', CREDS).executeTakeFirst());
}

/** Deletes a number's whole auth state (logout, re-pair, channel deletion): the next connection pairs anew. */
export async function deleteAccountKeys(db: Db, accountId: string): Promise<number> {
  const r = await db.deleteFrom('whatsapp_auth_keys').where('channel_account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Erasure: deletes one person's sessions, device lists, LID mappings and the like on every
 * WhatsApp number of a client, found by the keyed hash of their number (`numbers`: the phone's
 * digits and/or the LID's user part; a leading + is ignored). A running socket may still hold
 * them in its key cache for up to five minutes. Returns the rows deleted.
 */
export async function eraseContactKeys(deps: { db: Db; vault: Vault; clock: Clock }, clientId: string, numbers: string[]): Promise<number> {
  const users = numbers.map((n) => n.replace(/^\+/, '').replace(/[@:.].*$/, '')).filter((n) => /^\d+$/.test(n));
  if (users.length === 0) return 0;
  const accounts = await deps.db.selectFrom('whatsapp_auth_keys').select('channel_account_id').distinct().where('client_id', '=', clientId).execute();
  let deleted = 0;
  for (const { channel_account_id: id } of accounts) {
    const key = await hashKeyOf(deps, { id, clientId }, false);
    if (!key) continue;
    const r = await deps.db.deleteFrom('whatsapp_auth_keys').where('channel_account_id', '=', id)
      .where('subject_hash', 'in', users.map((u) => hashOf(key, `subject:${u}`))).executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}
