import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { ClientsTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, conflict, notFound } from '../lib/errors.ts';
import { charLength } from '../lib/text.ts';
import { isValidEmail } from '../auth/index.ts';
import { CARD_NUMBER_MESSAGE, containsCardNumber } from '../lib/card-number.ts';

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
  /** Set once a terminated client's data was purged (the row is then a stripped tombstone). */
  purgedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toClient(r: Selectable<ClientsTable>): Client {
  let persons: ContactPerson[] = [];
  try { persons = JSON.parse(r.contact_persons); } catch { persons = []; }
  return {
    id: r.id, slug: r.slug, name: r.name, contactEmail: r.contact_email, phone: r.phone, invoiceAddress: r.invoice_address,
    contactPersons: persons, timezone: r.timezone, requireTotp: !!r.require_totp, status: r.status as Client['status'],
    terminatedAt: r.terminated_at, purgedAt: r.purged_at ?? null, createdAt: r.created_at, updatedAt: r.updated_at,
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
/** Slugs that name pages under /clients/ rather than a client. */
export const RESERVED_SLUGS = ['new'];

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

const PHONE = /^\+?[0-9 ()-]{5,20}$/;
export const MAX_CONTACT_PERSONS = 20;

/** Every problem with the fields present in the input (all of them, so a form can show each inline). */
export function clientInputProblems(input: ClientInput, creating: boolean): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (field: string, code: string, message: string) => out.push({ field, code, message });
  if (creating || input.slug !== undefined) {
    if (!input.slug || !SLUG.test(input.slug)) add('slug', 'invalid_slug', 'The slug must be 2–40 lower-case letters, digits or dashes, starting with a letter or digit');
    else if (RESERVED_SLUGS.includes(input.slug)) add('slug', 'reserved_slug', `"${input.slug}" is reserved; choose another slug`);
  }
  if (creating || input.name !== undefined) {
    if (!input.name?.trim() || charLength(input.name) > 200) add('name', 'invalid_name', 'Enter the company name (at most 200 characters)');
  }
  if (input.contactEmail && !isValidEmail(input.contactEmail)) add('contact_email', 'invalid_email', 'Enter a valid e-mail address');
  if (input.phone && !PHONE.test(input.phone.trim())) add('phone', 'invalid_phone', 'Enter a phone number such as +7 701 234 56 78');
  if (input.invoiceAddress && charLength(input.invoiceAddress) > 1000) add('invoice_address', 'too_long', 'The invoice address is too long');
  // Habar never stores payment card numbers, wherever an owner or the operator types one.
  const cardText = CARD_NUMBER_MESSAGE;
  for (const [field, value] of [['name', input.name], ['invoice_address', input.invoiceAddress]] as const) {
    if (value && containsCardNumber(value) && !out.some((p) => p.field === field)) add(field, 'card_number', cardText);
  }
  if ((input.contactPersons ?? []).some((p) => containsCardNumber(`${p.name ?? ''}\n${p.role ?? ''}`))) add('contact_persons', 'card_number', cardText);
  if (input.timezone !== undefined && !isValidTimezone(input.timezone)) add('timezone', 'invalid_timezone', `Unknown time zone "${input.timezone}"`);
  const persons = input.contactPersons ?? [];
  if (persons.length > MAX_CONTACT_PERSONS) add('contact_persons', 'too_many_persons', `At most ${MAX_CONTACT_PERSONS} contact persons`);
  for (const p of persons) {
    if (!p.name?.trim() || charLength(p.name) > 200) { add('contact_persons', 'person_needs_name', 'Each contact person needs a name'); break; }
    if (p.email && !isValidEmail(p.email)) { add('contact_persons', 'person_invalid_email', 'A contact person has an invalid e-mail address'); break; }
    if (p.phone && !PHONE.test(p.phone.trim())) { add('contact_persons', 'person_invalid_phone', 'A contact person has an invalid phone number'); break; }
    if (charLength(p.role ?? '') > 200) { add('contact_persons', 'too_long', 'A contact person\'s role is too long'); break; }
  }
  return out;
}

/** Validates fields present in the input (throws the first problem, naming its field). */
export function validateClientInput(input: ClientInput, creating: boolean): void {
  const [first] = clientInputProblems(input, creating);
  if (first) throw badRequest(first.message, first.field, first.code);
}

const samePersons = (a: ContactPerson[], b: ContactPerson[]) => JSON.stringify(a) === JSON.stringify(b);

/** Names of the fields an update would really change (for the audit log: names only, never values). */
export function changedClientFields(current: Client, input: ClientInput): string[] {
  const changed: string[] = [];
  const differs = (a: string | undefined, b: string) => a !== undefined && a.trim() !== b;
  if (differs(input.slug, current.slug)) changed.push('slug');
  if (differs(input.name, current.name)) changed.push('name');
  if (differs(input.contactEmail, current.contactEmail)) changed.push('contact_email');
  if (differs(input.phone, current.phone)) changed.push('phone');
  if (differs(input.invoiceAddress, current.invoiceAddress)) changed.push('invoice_address');
  if (input.contactPersons !== undefined && !samePersons(input.contactPersons, current.contactPersons)) changed.push('contact_persons');
  if (differs(input.timezone, current.timezone)) changed.push('timezone');
  if (input.requireTotp !== undefined && input.requireTotp !== current.requireTotp) changed.push('require_totp');
  return changed;
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
    require_totp: input.requireTotp ? 1 : 0, status: 'active', terminated_at: null, purged_at: null, created_at: now, updated_at: now,
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

/** A client's slug and name by its id (links and greetings), or undefined when there is none. */
export async function clientSlugAndName(db: Db, id: string): Promise<{ slug: string; name: string } | undefined> {
  return db.selectFrom('clients').select(['slug', 'name']).where('id', '=', id).executeTakeFirst();
}
