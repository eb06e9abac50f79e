import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { changedClientFields, createClient, getClient, updateClient, validateClientInput, type Client, type ClientInput } from './clients.ts';

// The client's details as commands: the admin UI, the REST API (company settings) and the CLI all
// change them through these, so validation, the transaction and the audit row are the same everywhere.

/** Audit field name → the input's key. */
const INPUT_KEY: Record<string, keyof ClientInput> = {
  slug: 'slug', name: 'name', contact_email: 'contactEmail', phone: 'phone', invoice_address: 'invoiceAddress',
  contact_persons: 'contactPersons', timezone: 'timezone', require_totp: 'requireTotp',
};

/** Creates a client and records `client.created`, in one transaction. */
export async function addClient(db: Db, clock: Clock, input: ClientInput & { slug: string; name: string }, by: AuditBy): Promise<Client> {
  return db.transaction().execute(async (trx) => {
    const client = await createClient(trx, clock, input);
    await recordAudit(trx, clock, { actor: by, action: 'client.created', clientId: client.id, targetType: 'client', targetId: client.id, ip: by.ip, details: { slug: client.slug } });
    return client;
  });
}

/**
 * Rectification of a client's details: validates the fields present (a bad one throws, naming its
 * field, and nothing changes), writes only those that really differ and records `client.updated`
 * with their names (never their values: they are personal data). Nothing to change records nothing.
 */
export async function rectifyClient(db: Db, clock: Clock, clientId: string, input: ClientInput, by: AuditBy): Promise<{ client: Client; changed: string[] }> {
  validateClientInput(input, false);
  const current = await getClient(db, clientId);
  const changed = changedClientFields(current, input);
  if (!changed.length) return { client: current, changed };
  const patch: ClientInput = {};
  for (const field of changed) (patch as Record<string, unknown>)[INPUT_KEY[field]] = input[INPUT_KEY[field]];
  const client = await db.transaction().execute(async (trx) => {
    const updated = await updateClient(trx, clock, current.id, patch);
    await recordAudit(trx, clock, { actor: by, action: 'client.updated', clientId: current.id, targetType: 'client', targetId: current.id, ip: by.ip, details: { fields: changed } });
    return updated;
  });
  return { client, changed };
}
