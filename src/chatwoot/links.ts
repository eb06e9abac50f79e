import type { Db } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * The id map between our rows and Chatwoot's, unique both ways per client and kind: checked
 * before every create, written right after it (and reconciled through Chatwoot's source_id
 * when a crash fell between the two). `note` rows remember a private note we posted once
 * (e.g. "this person restricted processing"), keyed by our reason.
 */
export type LinkKind = 'contact' | 'conversation' | 'message' | 'note';

const remoteOf = compiled<{ clientId: string; kind: string; localId: string }, { remote_id: number }>((db, arg) =>
  db.selectFrom('chatwoot_links').select('remote_id').where('client_id', '=', arg('clientId')).where('kind', '=', arg('kind')).where('local_id', '=', arg('localId')));

export async function remoteId(db: Db, clientId: string, kind: LinkKind, localId: string): Promise<number | undefined> {
  return (await remoteOf.first(db, { clientId, kind, localId }))?.remote_id;
}

export async function localId(db: Db, clientId: string, kind: LinkKind, remote: number): Promise<string | undefined> {
  const r = await db.selectFrom('chatwoot_links').select('local_id').where('client_id', '=', clientId).where('kind', '=', kind).where('remote_id', '=', remote).executeTakeFirst();
  return r?.local_id;
}

/** Records a pair (a repeat of the same pair is a no-op); returns whether it was new. */
export async function link(db: Db, clock: Clock, l: { clientId: string; kind: LinkKind; localId: string; remoteId: number; contactId: string | null }): Promise<boolean> {
  const r = await db.insertInto('chatwoot_links').values({
    client_id: l.clientId, kind: l.kind, local_id: l.localId, remote_id: l.remoteId, contact_id: l.contactId, created_at: clock.now().toISOString(),
  }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Forgets a pair (its remote side was deleted in Chatwoot: it is made again on next use). */
export async function unlink(db: Db, clientId: string, kind: LinkKind, localId: string): Promise<void> {
  await db.deleteFrom('chatwoot_links').where('client_id', '=', clientId).where('kind', '=', kind).where('local_id', '=', localId).execute();
}

/** A client's id map (its export), optionally one contact's. */
export async function listLinks(db: Db, clientId: string, contactId?: string) {
  let q = db.selectFrom('chatwoot_links').select(['kind', 'local_id', 'remote_id', 'contact_id', 'created_at']).where('client_id', '=', clientId);
  if (contactId) q = q.where('contact_id', '=', contactId);
  return q.orderBy('created_at').execute();
}
