import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { ContactsTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { charLength, truncateChars } from '../lib/text.ts';
import type { EventHub, MessagingEvent } from './events.ts';
import { toConversation } from './conversations.ts';
import { inTransaction } from './transaction.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import type { Contact, IdentityRef } from './types.ts';

export function toContact(r: Selectable<ContactsTable>): Contact {
  let tags: string[] = [];
  try { tags = JSON.parse(r.tags); } catch { tags = []; }
  return {
    id: r.id, clientId: r.client_id, displayName: r.display_name, phone: r.phone, tags,
    restricted: !!r.restricted, objected: !!r.objected, minor: !!r.minor, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** A client's contact; another client's (or none) is "not found". */
export async function getContact(db: Db, clientId: string, id: string): Promise<Contact> {
  const r = await db.selectFrom('contacts').selectAll().where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
  if (!r) throw notFound('No such contact');
  return toContact(r);
}

const contactById = compiled<{ id: string }, Selectable<ContactsTable>>((db, arg) => db.selectFrom('contacts').selectAll().where('id', '=', arg('id')));

/** A contact by id, whichever client's (undefined: none, e.g. erased): for work holding the id from a trusted row. */
export async function findContact(db: Db, id: string): Promise<Contact | undefined> {
  const r = await contactById.first(db, { id });
  return r && toContact(r);
}

export interface ContactIdentity extends IdentityRef {
  id: string;
  channelAccountId: string;
}

export async function listIdentities(db: Db, contactId: string, channelAccountId?: string): Promise<ContactIdentity[]> {
  // By contact only (its few identities, through contact_identities_contact_idx), the channel
  // filtered here: with the channel in the query SQLite chose the unique index on
  // (channel_account_id, kind, value) and walked every identity of the channel (~47 µs per send).
  // Sorted here too: an ORDER BY made SQLite build a temporary b-tree for these few rows.
  const { rows } = await identitiesOf.execute(db, { contactId });
  return rows.filter((r) => !channelAccountId || r.channel_account_id === channelAccountId).sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => ({ id: r.id, kind: r.kind as IdentityRef['kind'], value: r.value, channelAccountId: r.channel_account_id }));
}

/**
 * "+7 (701) 234-56-78" → "+77012345678"; undefined when it is not a phone number. The domestic
 * trunk prefix of Kazakhstan and Russia ("8 701 …", 11 digits) becomes +7.
 */
export function normalisePhone(input: string): string | undefined {
  const s = input.replace(/[\s()-]/g, '');
  if (!/^\+?\d{7,15}$/.test(s)) return undefined;
  if (/^8\d{10}$/.test(s)) return `+7${s.slice(1)}`;
  return s.startsWith('+') ? s : `+${s}`;
}

// Every inbound message looks its sender up by identity: built once (db/compiled.ts).
const identityLookup = compiled<{ account: string; kind: string; value: string }, { contact_id: string }>((db, arg) =>
  db.selectFrom('contact_identities').select('contact_id')
    .where('channel_account_id', '=', arg('account')).where('kind', '=', arg('kind')).where('value', '=', arg('value')));
const identitiesOf = compiled<{ contactId: string }, { id: string; kind: string; value: string; channel_account_id: string }>((db, arg) =>
  db.selectFrom('contact_identities').select(['id', 'kind', 'value', 'channel_account_id']).where('contact_id', '=', arg('contactId')));
const namePhone = compiled<{ id: string }, { display_name: string; phone: string | null }>((db, arg) =>
  db.selectFrom('contacts').select(['display_name', 'phone']).where('id', '=', arg('id')));

/**
 * Finds the contact by any of its identities on this channel account, or creates it; adds the
 * identities it lacks; fills an empty name or phone. Run inside the ingest transaction; a unique
 * conflict (a concurrent first message) aborts it, and the caller retries, finding the contact.
 */
export async function findOrCreateContact(
  trx: Db, clock: Clock,
  input: { clientId: string; channelAccountId: string; identities: IdentityRef[]; displayName?: string; phone?: string },
): Promise<{ contactId: string; created: boolean }> {
  if (input.identities.length === 0) throw badRequest('An inbound message needs at least one sender identity');
  const now = clock.now().toISOString();
  const found: Array<IdentityRef & { contact_id: string }> = [];
  for (const i of input.identities) {
    const hit = await identityLookup.first(trx, { account: input.channelAccountId, kind: i.kind, value: i.value });
    if (hit) found.push({ ...i, contact_id: hit.contact_id });
  }
  let contactId = found[0]?.contact_id;
  const created = !contactId;
  if (!contactId) {
    contactId = newId();
    await trx.insertInto('contacts').values({
      id: contactId, client_id: input.clientId, display_name: truncateChars(input.displayName ?? '', 200), phone: input.phone ?? null,
      tags: '[]', restricted: 0, objected: 0, minor: 0, created_at: now, updated_at: now,
    }).execute();
  } else if (input.displayName || input.phone) {
    // Fill what is empty; never overwrite a name or phone an agent edited.
    const c = await namePhone.first(trx, { id: contactId });
    if (!c) throw notFound('No such contact');
    const set: { display_name?: string; phone?: string; updated_at?: string } = {};
    if (!c.display_name && input.displayName) set.display_name = truncateChars(input.displayName, 200);
    if (!c.phone && input.phone) set.phone = input.phone;
    if (Object.keys(set).length) await trx.updateTable('contacts').set({ ...set, updated_at: now }).where('id', '=', contactId).execute();
  }
  const missing = input.identities.filter((i) => !found.some((f) => f.kind === i.kind && f.value === i.value));
  if (missing.length) {
    await trx.insertInto('contact_identities').values(missing.map((i) => ({
      id: newId(), client_id: input.clientId, contact_id: contactId!, channel_account_id: input.channelAccountId, kind: i.kind, value: i.value, created_at: now,
    }))).execute();
  }
  return { contactId, created };
}

export interface ContactPatch {
  displayName?: string;
  phone?: string | null;
  tags?: string[];
}

/** Rectification by an agent or the API: changes only the fields present (each error names its field). */
export async function updateContact(db: Db, clock: Clock, clientId: string, id: string, patch: ContactPatch): Promise<Contact> {
  await getContact(db, clientId, id);
  const set: { display_name?: string; phone?: string | null; tags?: string; updated_at: string } = { updated_at: clock.now().toISOString() };
  if (patch.displayName !== undefined) {
    if (charLength(patch.displayName) > 200) throw badRequest('The name may have at most 200 characters', 'display_name', 'too_long');
    set.display_name = patch.displayName.trim();
  }
  if (patch.phone !== undefined) {
    if (patch.phone === null || patch.phone.trim() === '') set.phone = null;
    else {
      const p = normalisePhone(patch.phone);
      if (!p) throw badRequest('Enter a phone number such as +7 701 234 56 78', 'phone', 'invalid_phone');
      set.phone = p;
    }
  }
  if (patch.tags !== undefined) {
    const tags = [...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))];
    if (tags.length > 50 || tags.some((t) => charLength(t) > 50)) throw badRequest('At most 50 tags of at most 50 characters each', 'tags', 'invalid_field');
    set.tags = JSON.stringify(tags);
  }
  await db.updateTable('contacts').set(set).where('id', '=', id).where('client_id', '=', clientId).execute();
  return getContact(db, clientId, id);
}

/** conversation.updated (change "contact") for each of the contact's conversations: the live inbox and webhooks see the new details. */
async function pushContactChanged(trx: Db, events: MessagingEvent[], ref: { clientId: string; contactId: string }, at: string): Promise<void> {
  const conversations = await trx.selectFrom('conversations').selectAll().where('client_id', '=', ref.clientId).where('contact_id', '=', ref.contactId).execute();
  for (const c of conversations) events.push({ type: 'conversation.updated', clientId: ref.clientId, at, conversation: toConversation(c), change: 'contact' });
}

const PATCH_FIELDS: Record<keyof ContactPatch, string> = { displayName: 'display_name', phone: 'phone', tags: 'tags' };

/**
 * Rectification of a contact (the inbox and the API): updateContact, and in the same transaction
 * conversation.updated (change "contact") for each of the contact's conversations, so the live inbox
 * shows the new details and webhooks hear of them, and the audit row `contact.updated` naming the
 * fields given (never their values: they are personal data).
 */
export function updateContactWithEvents(deps: { db: Db; clock: Clock; hub: EventHub }, clientId: string, id: string, patch: ContactPatch, by: AuditBy): Promise<Contact> {
  return inTransaction(deps, async (trx, events) => {
    const contact = await updateContact(trx, deps.clock, clientId, id, patch);
    const fields = (Object.keys(PATCH_FIELDS) as Array<keyof ContactPatch>).filter((k) => patch[k] !== undefined).map((k) => PATCH_FIELDS[k]);
    await recordAudit(trx, deps.clock, { actor: by, action: 'contact.updated', clientId, targetType: 'contact', targetId: id, ip: by.ip, details: { fields } });
    await pushContactChanged(trx, events, { clientId, contactId: id }, contact.updatedAt);
    return contact;
  });
}

export interface ContactFilter {
  clientId: string;
  /** Digits of the phone number, in any layout ("701 555-44" finds +77015554433). */
  phone?: string;
  /** Part of the name (SQLite's LIKE: case-insensitive for Latin letters only). */
  name?: string;
  /** One tag, exactly. */
  tag?: string;
  /** The `nextCursor` of the previous page (a contact id). */
  cursor?: string;
  limit?: number;
}

const likeEscaped = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** A page of a client's contacts, newest first (index contacts_client_idx), filtered by phone, name and tag. */
export async function listContacts(db: Db, f: ContactFilter): Promise<{ data: Contact[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  if (f.cursor !== undefined && !/^[0-9a-z]{26}$/.test(f.cursor)) throw badRequest('Invalid cursor', 'cursor', 'invalid_cursor');
  let q = db.selectFrom('contacts').selectAll().where('client_id', '=', f.clientId);
  if (f.phone !== undefined) {
    const digits = f.phone.replace(/\D/g, '');
    if (!digits) throw badRequest('Search a phone number by its digits', 'phone', 'invalid_field');
    q = q.where('phone', 'like', likeEscaped(digits));
  }
  if (f.name) q = q.where(sql<boolean>`display_name like ${likeEscaped(f.name)} escape '\\'`);
  // Tags are a JSON array in one column: json_each says whether it holds this one.
  if (f.tag) q = q.where(sql<boolean>`exists (select 1 from json_each(contacts.tags) where json_each.value = ${f.tag})`);
  if (f.cursor) q = q.where('id', '<', f.cursor);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toContact);
  return { data: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

type PrivacyFlag = 'objected' | 'restricted';
const FLAG_ACTIONS = {
  objected: ['contact.objected', 'contact.objection_lifted'],
  restricted: ['contact.restricted', 'contact.restriction_lifted'],
} as const;

/** Sets or clears one of the contact's privacy flags if it differs; audits it and tells the live inbox (conversation.updated, change "contact"). */
async function setFlagIn(
  trx: Db, clock: Clock, events: MessagingEvent[], ref: { clientId: string; contactId: string }, flag: PrivacyFlag, on: boolean, by: AuditBy, details: Record<string, unknown>,
): Promise<boolean> {
  const now = clock.now().toISOString();
  const r = await trx.updateTable('contacts').set({ [flag]: on ? 1 : 0, updated_at: now })
    .where('id', '=', ref.contactId).where('client_id', '=', ref.clientId).where(flag, '=', on ? 0 : 1).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await recordAudit(trx, clock, {
    actor: by, action: FLAG_ACTIONS[flag][on ? 0 : 1], clientId: ref.clientId, targetType: 'contact', targetId: ref.contactId, ip: by.ip, details,
  });
  await pushContactChanged(trx, events, ref, now);
  return true;
}

/**
 * Inside the caller's transaction: marks the contact as objecting to automatic messages (STOP) or
 * lifts the mark (START, or a person), with conversation.updated (change "contact") for each of
 * its conversations so the live inbox shows the state. Returns whether it changed. Audited as
 * `contact.objected` / `contact.objection_lifted` by `by` (the customer's own keyword: the system;
 * a person: that person), `how` and `details` (e.g. the privacy request's id) in the entry.
 */
export function setObjectionIn(
  trx: Db, clock: Clock, events: MessagingEvent[], ref: { clientId: string; contactId: string }, objected: boolean, by: AuditBy, how: string, details: Record<string, unknown> = {},
): Promise<boolean> {
  return setFlagIn(trx, clock, events, ref, 'objected', objected, by, { how, ...details });
}

/**
 * Inside the caller's transaction: restricts processing of the contact's data (kept and shown, but
 * no AI, no rules or automatic replies, no outgoing webhooks) or lifts it, with conversation.updated
 * (change "contact") for each of its conversations. Returns whether it changed; audited as
 * `contact.restricted` / `contact.restriction_lifted` (`details`: e.g. the privacy request's id).
 */
export function setRestrictionIn(
  trx: Db, clock: Clock, events: MessagingEvent[], ref: { clientId: string; contactId: string }, restricted: boolean, by: AuditBy, details: Record<string, unknown> = {},
): Promise<boolean> {
  return setFlagIn(trx, clock, events, ref, 'restricted', restricted, by, details);
}

/**
 * Finds a client's contacts by what a person asking about their data would give: a phone number
 * (its digits, in any layout), a name, or a platform username or id (Instagram, WhatsApp), newest
 * first. The privacy screen searches with it.
 */
export async function searchContacts(db: Db, clientId: string, query: string, limit = 50): Promise<Contact[]> {
  const q = query.trim().replace(/^@/, '');
  if (!q) return [];
  const digits = q.replace(/\D/g, '');
  const rows = await db.selectFrom('contacts').selectAll().where('client_id', '=', clientId).where((eb) => eb.or([
    sql<boolean>`display_name like ${likeEscaped(q)} escape '\\'`,
    ...(digits.length >= 3 && /^[\d\s()+-]+$/.test(q) ? [eb('phone', 'like', likeEscaped(digits))] : []),
    eb('id', 'in', eb.selectFrom('contact_identities').select('contact_id').where('client_id', '=', clientId)
      .where(sql<boolean>`value like ${likeEscaped(digits.length >= 3 && /^[\d\s()+-]+$/.test(q) ? digits : q)} escape '\\'`)),
  ])).orderBy('id', 'desc').limit(Math.min(Math.max(limit, 1), 200)).execute();
  return rows.map(toContact);
}
