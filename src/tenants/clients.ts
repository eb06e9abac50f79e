import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { ClientsTable } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, conflict, notFound } from '../lib/errors.ts';

export interface ContactPerson {
  name: string;
  email?: string;
  phone?: string;
  role?: string;
}

export interface Client {
  id: string;
  slug: string;
  name: string;
  contactEmail: string;
  phone: string;
  invoiceAddress: string;
  contactPersons: ContactPerson[];
  timezone: string;
  requireTotp: boolean;
  status: 'active' | 'terminated';
  terminatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toClient(r: Selectable<ClientsTable>): Client {
  let persons: ContactPerson[] = [];
  try { persons = JSON.parse(r.contact_persons); } catch { persons = []; }
  return {
    id: r.id, slug: r.slug, name: r.name, contactEmail: r.contact_email, phone: r.phone, invoiceAddress: r.invoice_address,
    contactPersons: persons, timezone: r.timezone, requireTotp: !!r.require_totp, status: r.status as Client['status'],
    terminatedAt: r.terminated_at, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export interface ClientInput {
  slug?: string;
  name?: string;
  contactEmail?: string;
  phone?: string;
  invoiceAddress?: string;
  contactPersons?: ContactPerson[];
  timezone?: string;
  requireTotp?: boolean;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,39}$/;

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Validates fields present in the input (each error names its field). */
export function validateClientInput(input: ClientInput, creating: boolean): void {
  if (creating || input.slug !== undefined) {
    if (!input.slug || !SLUG.test(input.slug)) throw badRequest('The slug must be 2–40 lower-case letters, digits or dashes, starting with a letter or digit', 'slug', 'invalid_slug');
  }
  if (creating || input.name !== undefined) {
    if (!input.name?.trim() || input.name.length > 200) throw badRequest('Enter the company name (at most 200 characters)', 'name', 'invalid_name');
  }
  if (input.contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.contactEmail.trim())) throw badRequest('Enter a valid e-mail address', 'contact_email', 'invalid_email');
  if (input.phone && !/^\+?[0-9 ()-]{5,20}$/.test(input.phone.trim())) throw badRequest('Enter a phone number such as +7 701 234 56 78', 'phone', 'invalid_phone');
  if (input.invoiceAddress && input.invoiceAddress.length > 1000) throw badRequest('The invoice address is too long', 'invoice_address');
  if (input.timezone !== undefined && !isValidTimezone(input.timezone)) throw badRequest(`Unknown time zone "${input.timezone}"`, 'timezone', 'invalid_timezone');
  for (const p of input.contactPersons ?? []) {
    if (!p.name?.trim()) throw badRequest('Each contact person needs a name', 'contact_persons');
  }
}

export async function createClient(db: Db, clock: Clock, input: ClientInput & { slug: string; name: string }): Promise<Client> {
  validateClientInput(input, true);
  const taken = await db.selectFrom('clients').select('id').where('slug', '=', input.slug).executeTakeFirst();
  if (taken) throw conflict(`A client with the slug "${input.slug}" already exists`, 'slug_taken');
  const now = clock.now().toISOString();
  const row = {
    id: newId(), slug: input.slug, name: input.name.trim(), contact_email: input.contactEmail?.trim() ?? '',
    phone: input.phone?.trim() ?? '', invoice_address: input.invoiceAddress?.trim() ?? '',
    contact_persons: JSON.stringify(input.contactPersons ?? []), timezone: input.timezone ?? 'Asia/Almaty',
    require_totp: input.requireTotp ? 1 : 0, status: 'active', terminated_at: null, created_at: now, updated_at: now,
  };
  await db.insertInto('clients').values(row).execute();
  return toClient(row);
}

/** Rectification: changes only the fields present. */
export async function updateClient(db: Db, clock: Clock, id: string, input: ClientInput): Promise<Client> {
  validateClientInput(input, false);
  const current = await getClient(db, id);
  if (input.slug && input.slug !== current.slug) {
    const taken = await db.selectFrom('clients').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw conflict(`A client with the slug "${input.slug}" already exists`, 'slug_taken');
  }
  const set: Record<string, string | number> = { updated_at: clock.now().toISOString() };
  if (input.slug !== undefined) set.slug = input.slug;
  if (input.name !== undefined) set.name = input.name.trim();
  if (input.contactEmail !== undefined) set.contact_email = input.contactEmail.trim();
  if (input.phone !== undefined) set.phone = input.phone.trim();
  if (input.invoiceAddress !== undefined) set.invoice_address = input.invoiceAddress.trim();
  if (input.contactPersons !== undefined) set.contact_persons = JSON.stringify(input.contactPersons);
  if (input.timezone !== undefined) set.timezone = input.timezone;
  if (input.requireTotp !== undefined) set.require_totp = input.requireTotp ? 1 : 0;
  await db.updateTable('clients').set(set).where('id', '=', id).execute();
  return getClient(db, id);
}

export async function findClient(db: Db, idOrSlug: string): Promise<Client | undefined> {
  const r = await db.selectFrom('clients').selectAll().where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)])).executeTakeFirst();
  return r && toClient(r);
}

export async function getClient(db: Db, idOrSlug: string): Promise<Client> {
  const c = await findClient(db, idOrSlug);
  if (!c) throw notFound('No such client');
  return c;
}

export async function listClients(db: Db): Promise<Client[]> {
  return (await db.selectFrom('clients').selectAll().orderBy('name').execute()).map(toClient);
}
