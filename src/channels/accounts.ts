import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { ChannelAccountsTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { newId, randomToken } from '../lib/ids.ts';
import { badRequest, conflict, notFound } from '../lib/errors.ts';
import { charLength, truncateChars } from '../lib/text.ts';
import type { ChannelKind, ChannelStatus } from '../messaging/index.ts';
import { CHANNEL_DRIVERS } from './drivers.ts';
import { ChannelRegistry } from './registry.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';

export const CREDENTIALS_CONTEXT = 'channel_accounts.credentials';

export interface ChannelAccount {
  id: string;
  clientId: string;
  kind: ChannelKind;
  name: string;
  status: ChannelStatus;
  lastError: string | null;
  /** Sandbox: the token in the customer page's URL. */
  publicToken: string | null;
  settings: Record<string, unknown>;
  hasCredentials: boolean;
  statusAt: string | null;
  /** Who the account is on its platform once paired (the WhatsApp number, E.164, and profile name). */
  phone: string | null;
  profileName: string | null;
  /** Set when the account was deleted (kept so its conversations stay readable; hidden from lists). */
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toChannelAccount(r: Selectable<ChannelAccountsTable>): ChannelAccount {
  let settings: Record<string, unknown> = {};
  try { settings = JSON.parse(r.settings); } catch { settings = {}; }
  return {
    id: r.id, clientId: r.client_id, kind: r.kind as ChannelKind, name: r.name, status: r.status as ChannelStatus, lastError: r.last_error,
    publicToken: r.public_token, settings, hasCredentials: !!r.credentials, statusAt: r.status_at,
    phone: r.phone, profileName: r.profile_name, deletedAt: r.deleted_at, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/**
 * Creates a channel account of a kind the registry knows (default: this build's drivers), in the
 * status its driver starts in; a kind with a customer page gets its unguessable token. Credentials are sealed.
 */
export async function createChannelAccount(
  db: Db, clock: Clock, vault: Vault,
  input: { clientId: string; kind: ChannelKind; name: string; credentials?: string; settings?: Record<string, unknown>; status?: ChannelStatus },
  registry: ChannelRegistry = new ChannelRegistry(CHANNEL_DRIVERS),
): Promise<ChannelAccount> {
  const driver = registry.driverFor(input.kind);
  if (!driver) throw badRequest(`The channel kind must be one of: ${registry.kinds().join(', ')}`, 'kind');
  const name = input.name.trim();
  if (!name || charLength(name) > 100) throw badRequest('Enter the channel name (at most 100 characters)', 'name', 'invalid_field', { reason: 'channel_name', max: 100 });
  const now = clock.now().toISOString();
  const row = {
    id: newId(), client_id: input.clientId, kind: input.kind, name, status: input.status ?? driver.initialStatus,
    last_error: null, credentials: input.credentials ? vault.seal(input.credentials, CREDENTIALS_CONTEXT) : null,
    public_token: driver.customerPage ? randomToken(24) : null, settings: JSON.stringify(input.settings ?? {}),
    status_at: now, phone: null, profile_name: null, deleted_at: null, created_at: now, updated_at: now,
  };
  await db.insertInto('channel_accounts').values(row).execute();
  return toChannelAccount(row);
}

/** The channel-creation command of the UI and the API: creates the account and records `channel.created`, in one transaction. */
export async function addChannelAccount(
  db: Db, clock: Clock, vault: Vault, input: { clientId: string; kind: ChannelKind; name: string }, by: AuditBy, registry?: ChannelRegistry,
): Promise<ChannelAccount> {
  return db.transaction().execute(async (trx) => {
    const account = await createChannelAccount(trx, clock, vault, input, registry);
    await recordAudit(trx, clock, { actor: by, action: 'channel.created', clientId: input.clientId, targetType: 'channel_account', targetId: account.id, ip: by.ip, details: { kind: account.kind } });
    return account;
  });
}

/** A client's channel account; another client's, a deleted one (or none) is "not found". */
export async function getChannelAccount(db: Db, clientId: string, id: string): Promise<ChannelAccount> {
  const account = await findChannelAccount(db, id);
  if (!account || account.clientId !== clientId || account.deletedAt) throw notFound('No such channel');
  return account;
}

/** A channel account by id, whatever its client, deleted ones too (the channels room's one lookup by id); undefined when gone. */
export async function findChannelAccount(db: Db, id: string): Promise<ChannelAccount | undefined> {
  const r = await db.selectFrom('channel_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toChannelAccount(r);
}

/** The channel accounts (of one client), deleted ones left out. */
export async function listChannelAccounts(db: Db, clientId?: string): Promise<ChannelAccount[]> {
  let q = db.selectFrom('channel_accounts').selectAll().where('deleted_at', 'is', null).orderBy('created_at');
  if (clientId) q = q.where('client_id', '=', clientId);
  return (await q.execute()).map(toChannelAccount);
}

/** The channel accounts that should run: not deleted, and their client not terminated. */
export async function listRunnableChannelAccounts(db: Db): Promise<ChannelAccount[]> {
  const rows = await db.selectFrom('channel_accounts').innerJoin('clients', 'clients.id', 'channel_accounts.client_id').selectAll('channel_accounts')
    .where('channel_accounts.deleted_at', 'is', null).where('clients.status', '!=', 'terminated').orderBy('channel_accounts.created_at').execute();
  return rows.map(toChannelAccount);
}

/** The account behind a customer page's token (a deleted account has no page). */
export async function findChannelByToken(db: Db, token: string): Promise<ChannelAccount | undefined> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return undefined;
  const r = await db.selectFrom('channel_accounts').selectAll().where('public_token', '=', token).where('deleted_at', 'is', null).executeTakeFirst();
  return r && toChannelAccount(r);
}

/** The sealed credentials (e.g. WhatsApp auth state), opened. */
export async function readCredentials(db: Db, vault: Vault, id: string): Promise<string | undefined> {
  const r = await db.selectFrom('channel_accounts').select('credentials').where('id', '=', id).executeTakeFirst();
  return r?.credentials ? vault.open(r.credentials, CREDENTIALS_CONTEXT) : undefined;
}

export async function writeCredentials(db: Db, clock: Clock, vault: Vault, id: string, credentials: string | null): Promise<void> {
  await db.updateTable('channel_accounts').set({ credentials: credentials === null ? null : vault.seal(credentials, CREDENTIALS_CONTEXT), updated_at: clock.now().toISOString() })
    .where('id', '=', id).execute();
}

/**
 * Records who an account is on its platform (reported by its adapter once connected); a field
 * left undefined keeps its value. Returns the account when something changed.
 */
export async function setChannelProfile(
  db: Db, clock: Clock, id: string, profile: { phone?: string | null; profileName?: string | null },
): Promise<ChannelAccount | undefined> {
  const a = await findChannelAccount(db, id);
  if (!a) return undefined;
  const phone = profile.phone === undefined ? a.phone : profile.phone;
  const profileName = profile.profileName === undefined ? a.profileName : (profile.profileName === null ? null : truncateChars(profile.profileName, 200));
  if (phone === a.phone && profileName === a.profileName) return undefined;
  const now = clock.now().toISOString();
  await db.updateTable('channel_accounts').set({ phone, profile_name: profileName, updated_at: now }).where('id', '=', id).execute();
  return { ...a, phone, profileName, updatedAt: now };
}

/** The statuses a person must act on (scan again, start pairing again). */
export const ATTENTION_STATUSES: readonly ChannelStatus[] = ['logged_out', 'qr_expired', 'reconnect_needed'];

/** A client's channels (not deleted) whose status needs a person: logged out, QR expired, reconnect needed. */
export async function channelsNeedingAttention(db: Db, clientId: string): Promise<Array<{ id: string; name: string; status: ChannelStatus }>> {
  const rows = await db.selectFrom('channel_accounts').select(['id', 'name', 'status']).where('client_id', '=', clientId)
    .where('deleted_at', 'is', null).where('status', 'in', ATTENTION_STATUSES).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status as ChannelStatus }));
}

/** How many accounts (not deleted) there are of each kind in each status (the /metrics gauge). */
export async function countChannelAccounts(db: Db): Promise<Array<{ kind: string; status: string; value: number }>> {
  const rows = await db.selectFrom('channel_accounts').select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('deleted_at', 'is', null).groupBy(['kind', 'status']).execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, value: Number(r.n) }));
}

/** The customer-side page of an account whose kind has one (absolute, from the public URL; only those have a token). */
export function customerUrl(publicUrl: string, account: Pick<ChannelAccount, 'publicToken'>): string | undefined {
  return account.publicToken ? `${publicUrl.replace(/\/$/, '')}/c/${account.publicToken}` : undefined;
}

/**
 * A person renames an account or changes its kind's settings (checked by its driver; a kind with
 * none refuses them): one transaction with its audit entry. Returns the account and whether its
 * settings changed (its adapter then restarts to apply them).
 */
export async function updateChannelAccount(
  db: Db, clock: Clock, registry: ChannelRegistry, clientId: string, id: string,
  change: { name?: string; settings?: Record<string, unknown> }, by: AuditBy,
): Promise<{ account: ChannelAccount; settingsChanged: boolean }> {
  return db.transaction().execute(async (trx) => {
    const account = await getChannelAccount(trx, clientId, id);
    const set: { name?: string; settings?: string } = {};
    if (change.name !== undefined) {
      const name = change.name.trim();
      if (!name || charLength(name) > 100) throw badRequest('Enter the channel name (at most 100 characters)', 'name', 'invalid_field', { reason: 'channel_name', max: 100 });
      if (name !== account.name) set.name = name;
    }
    if (change.settings !== undefined) {
      const rules = registry.driverFor(account.kind)?.settings;
      if (!rules) throw conflict(`A ${account.kind} channel has no settings to change`, 'not_supported');
      const next = JSON.stringify(rules.patch(account.settings, change.settings));
      if (next !== JSON.stringify(account.settings)) set.settings = next;
    }
    if (Object.keys(set).length === 0) return { account, settingsChanged: false };
    await trx.updateTable('channel_accounts').set({ ...set, updated_at: clock.now().toISOString() }).where('id', '=', id).execute();
    await recordAudit(trx, clock, {
      actor: by, action: 'channel.updated', clientId, targetType: 'channel_account', targetId: id, ip: by.ip,
      details: { fields: Object.keys(set), ...(change.settings ? { settings: change.settings } : {}) },
    });
    return { account: await getChannelAccount(trx, clientId, id), settingsChanged: set.settings !== undefined };
  });
}
