import { createHmac, randomBytes } from 'node:crypto';
import { BufferJSON, initAuthCreds, makeCacheableSignalKeyStore, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap, type SignalKeyStore } from '@whiskeysockets/baileys';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { inTransaction, type EventHub } from '../../messaging/index.ts';
import type { Vault } from '../../vault/index.ts';

/** The seal context of every auth row (`<table>.<column>`, as key rotation re-seals it). */
export const AUTH_CONTEXT = 'whatsapp_auth_keys.value';
const CREDS = 'creds';
const HASH_KEY = 'hash-key';
/** Key types whose ids name a person (a JID or a number): erasing that person deletes them. */
const PERSONAL_TYPES = new Set(['session', 'device-list', 'lid-mapping', 'identity-key', 'tctoken', 'sender-key', 'sender-key-memory']);

export interface AuthDeps {
  db: Db;
  hub: EventHub;
  vault: Vault;
  clock: Clock;
}

export interface SealedAuthState {
  /** Creds and the cached key store, as makeWASocket takes them. */
  state: AuthenticationState;
  /** Writes the creds (call on every creds.update). */
  saveCreds(): Promise<void>;
}

/** A damaged auth row (a value that cannot be opened or parsed): only its own number stops. */
export class CorruptAuthStateError extends AppError {
  constructor(what: string) {
    super('whatsapp_session_corrupt', `The saved WhatsApp session is damaged (${what}): log out and scan the QR code again`, 500);
  }
}

/** A keyed hash (HMAC-SHA256, 128 bits shown) of one key id or number, with the number's own hash key. */
const hashOf = (key: Buffer, value: string) => createHmac('sha256', key).update(value).digest('base64url').slice(0, 22);

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
async function hashKeyOf(deps: Omit<AuthDeps, 'hub'>, account: { id: string; clientId: string }, create: boolean): Promise<Buffer | undefined> {
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

function openValue(vault: Vault, sealed: string, what: string): unknown {
  try {
    return JSON.parse(vault.open(sealed, AUTH_CONTEXT), BufferJSON.reviver);
  } catch {
    throw new CorruptAuthStateError(what);
  }
}

/**
 * Baileys' auth state for one number, kept in sealed SQLite rows instead of useMultiFileAuthState's
 * files: the creds, and every signal key in a row of its own (a batch of key changes is one unit
 * of group commit), behind Baileys' in-memory cacheable key store. `onCorrupt` hears of a row that
 * cannot be opened (the caller stops that number; the read fails).
 */
export async function loadSealedAuthState(
  deps: AuthDeps, account: { id: string; clientId: string }, opts: { onCorrupt?: (err: CorruptAuthStateError) => void } = {},
): Promise<SealedAuthState> {
  const key = (await hashKeyOf(deps, account, true))!;
  const credsRow = await deps.db.selectFrom('whatsapp_auth_keys').select('value').where('channel_account_id', '=', account.id).where('type', '=', CREDS).executeTakeFirst();
  const creds = credsRow ? openValue(deps.vault, credsRow.value, 'creds') as AuthenticationCreds : initAuthCreds();
  const row = (type: string, keyHash: string, subjectHash: string | null, value: unknown) => ({
    channel_account_id: account.id, client_id: account.clientId, type, key_hash: keyHash, subject_hash: subjectHash,
    value: deps.vault.seal(JSON.stringify(value, BufferJSON.replacer), AUTH_CONTEXT), updated_at: deps.clock.now().toISOString(),
  });
  const upsert = (trx: Db, r: ReturnType<typeof row>) => trx.insertInto('whatsapp_auth_keys').values(r)
    .onConflict((oc) => oc.columns(['channel_account_id', 'type', 'key_hash']).doUpdateSet({ value: r.value, subject_hash: r.subject_hash, updated_at: r.updated_at })).execute();

  const store: SignalKeyStore = {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const byHash = new Map(ids.map((id) => [hashOf(key, id), id]));
      const rows = byHash.size === 0 ? [] : await deps.db.selectFrom('whatsapp_auth_keys').select(['key_hash', 'value'])
        .where('channel_account_id', '=', account.id).where('type', '=', type).where('key_hash', 'in', [...byHash.keys()]).execute();
      const data: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const r of rows) {
        let value: unknown;
        try {
          value = openValue(deps.vault, r.value, `a ${type} key`);
        } catch (err) {
          opts.onCorrupt?.(err as CorruptAuthStateError);
          throw err;
        }
        if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
        data[byHash.get(r.key_hash)!] = value as SignalDataTypeMap[T];
      }
      return data;
    },
    async set(data: SignalDataSet) {
      const rows: ReturnType<typeof row>[] = [];
      const gone: { type: string; keyHash: string }[] = [];
      for (const type of Object.keys(data) as (keyof SignalDataTypeMap)[]) {
        for (const [id, value] of Object.entries(data[type] ?? {})) {
          const keyHash = hashOf(key, id);
          if (value === null || value === undefined) gone.push({ type, keyHash });
          else {
            const subject = subjectOf(type, id);
            rows.push(row(type, keyHash, subject === null ? null : hashOf(key, `subject:${subject}`), value));
          }
        }
      }
      if (rows.length === 0 && gone.length === 0) return;
      // Sealed before the unit (a unit may run twice; it only writes).
      await inTransaction(deps, async (trx) => {
        for (const r of rows) await upsert(trx, r);
        for (const g of gone) {
          await trx.deleteFrom('whatsapp_auth_keys').where('channel_account_id', '=', account.id).where('type', '=', g.type).where('key_hash', '=', g.keyHash).execute();
        }
      });
    },
  };
  return {
    state: { creds, keys: makeCacheableSignalKeyStore(store) },
    async saveCreds() {
      const r = row(CREDS, '', null, creds);
      await inTransaction(deps, (trx) => upsert(trx, r));
    },
  };
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
 * them in its cache until it restarts. Returns the rows deleted.
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
