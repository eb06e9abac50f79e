// Erasure steps: what a room must do beyond deleting the rows the registry lists. A room adds its
// step here (the Chatwoot mirror adds its remote contact). `inTransaction` runs inside the
// erasure's one database transaction, before the contact's rows go; what it returns as `later`
// (ids and paths only, never personal data: it is stored in a job row) reaches its `afterCommit`,
// which runs in the erasure job after the commit: files, remote parties. Both must be idempotent.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import { eraseWhatsappContactKeys } from '../channels/index.ts';
import { chatwootErasureStep } from '../chatwoot/index.ts';

export interface ErasureDeps {
  db: Db;
  clock: Clock;
  vault: Vault;
  log: Logger;
  dataDir: string;
}

/** The person being erased, as read before their rows go (held in memory only). */
export interface ErasureSubject {
  clientId: string;
  contactId: string;
  phone: string | null;
  identities: Array<{ kind: string; value: string; channelAccountId: string }>;
}

export interface ErasureStep {
  name: string;
  inTransaction?(trx: Db, deps: ErasureDeps, subject: ErasureSubject): Promise<{ evidence?: Record<string, number>; later?: Record<string, unknown> } | void>;
  afterCommit?(deps: ErasureDeps, later: Record<string, unknown>): Promise<Record<string, number> | void>;
}

/** The numbers a person is known by on WhatsApp: their phone, and the user part of their JID and LID. */
const whatsappNumbers = (s: ErasureSubject) => [
  ...(s.phone ? [s.phone] : []),
  ...s.identities.filter((i) => ['phone', 'wa_jid', 'wa_lid'].includes(i.kind)).map((i) => i.value),
];

const attachmentFiles: ErasureStep = {
  name: 'attachment-files',
  async inTransaction(trx, _deps, s) {
    const rows = await trx.selectFrom('attachments').select('path').where('client_id', '=', s.clientId)
      .where((eb) => eb.or([eb('contact_id', '=', s.contactId), eb('message_id', 'in', eb.selectFrom('messages').select('id').where('contact_id', '=', s.contactId))]))
      .execute();
    return { later: { paths: rows.map((r) => r.path) } };
  },
  async afterCommit(deps, later) {
    const root = path.resolve(deps.dataDir, 'attachments');
    let deleted = 0;
    for (const rel of (later.paths as string[] | undefined) ?? []) {
      const file = path.resolve(root, rel);
      if (!file.startsWith(root + path.sep)) continue; // only ever under attachments/
      try {
        fs.rmSync(file);
        deleted++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return { files_deleted: deleted };
  },
};

const whatsappSessionKeys: ErasureStep = {
  name: 'whatsapp-session-keys',
  async inTransaction(trx, deps, s) {
    const deleted = await eraseWhatsappContactKeys({ db: trx, vault: deps.vault, clock: deps.clock }, s.clientId, whatsappNumbers(s));
    return { evidence: { whatsapp_session_rows: deleted } };
  },
};

/** Every erasure step, in order. */
export const ERASURE_STEPS: readonly ErasureStep[] = [whatsappSessionKeys, attachmentFiles, chatwootErasureStep];
