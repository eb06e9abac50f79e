import fs from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { SEALED_COLUMNS } from '../db/index.ts';
import { Vault } from './seal.ts';
import { generateKey, writeKeyFile, type KeySource } from './key-source.ts';
import { CHECK_CONTEXT, CHECK_PLAINTEXT } from './unlock.ts';

/**
 * Re-seals every sealed value under a new key in one transaction. With a key file, the new key is
 * written to `<file>.new` first and renamed over the old after commit, so no step leaves data
 * without its key (unlockVault finishes a rename a crash interrupted). With HABAR_MASTER_KEY the
 * caller passes `key` and shows it to the operator before calling, since only the operator keeps it.
 */
export async function rotateKey(db: Db, old: Vault, src: KeySource, now: string, key: Buffer = generateKey()): Promise<{ key: Buffer; resealed: number }> {
  const next = new Vault(key);
  if (!src.envKey) writeKeyFile(`${src.file}.new`, key);
  let resealed: number;
  try {
    resealed = await resealAll(db, old, next, now);
  } catch (err) {
    // Nothing committed: the old key stays the key; drop the unused new one.
    if (!src.envKey) fs.rmSync(`${src.file}.new`, { force: true });
    throw err;
  }
  if (!src.envKey) fs.renameSync(`${src.file}.new`, src.file);
  return { key, resealed };
}

async function resealAll(db: Db, old: Vault, next: Vault, now: string): Promise<number> {
  let resealed = 0;
  await db.transaction().execute(async (trx) => {
    for (const col of SEALED_COLUMNS) {
      if (col.table === 'vault_keys') continue;
      // Raw SQL: the table and column come from the static registry, not from input.
      const where = col.flag ? sql`WHERE ${sql.ref(col.flag)} = 1 AND ${sql.ref(col.column)} IS NOT NULL` : sql`WHERE ${sql.ref(col.column)} IS NOT NULL`;
      const rows = await sql<Record<string, string>>`SELECT ${sql.join(col.pk.map((p) => sql.ref(p)))}, ${sql.ref(col.column)} AS v FROM ${sql.table(col.table)} ${where}`.execute(trx);
      const context = `${col.table}.${col.column}`;
      for (const row of rows.rows) {
        const value = next.seal(old.open(row.v, context), context);
        const cond = sql.join(col.pk.map((p) => sql`${sql.ref(p)} = ${row[p]}`), sql` AND `);
        await sql`UPDATE ${sql.table(col.table)} SET ${sql.ref(col.column)} = ${value} WHERE ${cond}`.execute(trx);
        resealed++;
      }
    }
    await trx.deleteFrom('vault_keys').execute();
    await trx.insertInto('vault_keys').values({ key_id: next.activeKeyId, check_value: next.seal(CHECK_PLAINTEXT, CHECK_CONTEXT), active: 1, created_at: now }).execute();
  });
  return resealed;
}
