import { BufferJSON, initAuthCreds, makeCacheableSignalKeyStore, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap, type SignalKeyStore } from '@whiskeysockets/baileys';
import type { Db } from '../../db/index.ts';
import { inTransaction } from '../../messaging/index.ts';
import type { Vault } from '../../vault/index.ts';
import { KeyCache } from './key-cache.ts';
import { AUTH_CONTEXT, CREDS, CorruptAuthStateError, hashKeyOf, hashOf, subjectOf, type AuthDeps } from './auth-rows.ts';

export { AUTH_CONTEXT, CorruptAuthStateError, deleteAccountKeys, eraseContactKeys, hasSavedCreds, subjectOf } from './auth-rows.ts';

export interface SealedAuthState {
  /** Creds and the cached key store, as makeWASocket takes them. */
  state: AuthenticationState;
  /** Writes the creds (call on every creds.update). */
  saveCreds(): Promise<void>;
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
    state: { creds, keys: makeCacheableSignalKeyStore(store, undefined, new KeyCache(() => deps.clock.now().getTime())) },
    async saveCreds() {
      const r = row(CREDS, '', null, creds);
      await inTransaction(deps, (trx) => upsert(trx, r));
    },
  };
}

