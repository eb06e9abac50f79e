import type { Selectable, Updateable } from 'kysely';
import type { Db, WebhooksTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { newId, randomToken } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { isWebhookEvent, type WebhookEvent } from './events.ts';
import { assertWebhookTarget } from './target-guard.ts';
import { recordAudit, type AuditAction, type AuditBy } from '../audit/index.ts';

export const SECRET_CONTEXT = 'webhooks.secret';

export interface Webhook {
  id: string;
  clientId: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  url?: string;
  events?: string[];
  active?: boolean;
  /** Write-only; when creating without one, a random secret is made (and shown once). */
  secret?: string;
}

/** The stored events column (a JSON array); names no longer known are left out. */
export function parseEvents(json: string): WebhookEvent[] {
  try { return (JSON.parse(json) as string[]).filter(isWebhookEvent); } catch { return []; }
}

export function toWebhook(r: Selectable<WebhooksTable>): Webhook {
  return { id: r.id, clientId: r.client_id, url: r.url, events: parseEvents(r.events), active: !!r.active, createdAt: r.created_at, updatedAt: r.updated_at };
}

function validate(input: WebhookInput, creating: boolean): void {
  if (creating || input.url !== undefined) {
    let ok = false;
    try {
      const u = new URL(input.url ?? '');
      ok = /^https?:$/.test(u.protocol) && !u.username && !u.password;
    } catch { ok = false; }
    if (!ok || (input.url ?? '').length > 2000) throw badRequest('Enter an http(s) URL such as https://example.kz/habar-hook', 'url', 'invalid_url');
  }
  if (creating || input.events !== undefined) {
    const events = input.events ?? [];
    if (events.length === 0) throw badRequest('Choose at least one event', 'events', 'invalid_events');
    const bad = events.find((e) => !isWebhookEvent(e));
    if (bad !== undefined) throw badRequest(`Unknown event "${bad}"`, 'events', 'invalid_events');
  }
  if (input.secret !== undefined && (input.secret.length < 16 || input.secret.length > 200)) {
    throw badRequest('A webhook secret has 16 to 200 characters', 'secret', 'invalid_secret');
  }
}

const audit = (trx: Db, clock: Clock, by: AuditBy, clientId: string, action: AuditAction, id: string, details?: Record<string, unknown>) =>
  recordAudit(trx, clock, { actor: by, action, clientId, targetType: 'webhook', targetId: id, ip: by.ip, details });

/** Registers a webhook (audited); returns the secret once (it is stored sealed and never shown again). */
export async function createWebhook(db: Db, vault: Vault, clock: Clock, clientId: string, input: WebhookInput, by: AuditBy): Promise<{ webhook: Webhook; secret: string }> {
  validate(input, true);
  await assertWebhookTarget(db, vault, input.url!);
  const secret = input.secret ?? `whsec_${randomToken(24)}`;
  const now = clock.now().toISOString();
  const row = {
    id: newId(), client_id: clientId, url: input.url!, events: JSON.stringify([...new Set(input.events)]),
    secret: vault.seal(secret, SECRET_CONTEXT), active: input.active === false ? 0 : 1, created_at: now, updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('webhooks').values(row).execute();
    await audit(trx, clock, by, clientId, 'webhook.created', row.id);
  });
  return { webhook: toWebhook(row), secret };
}

export async function listWebhooks(db: Db, clientId: string, page: { before?: string; limit?: number } = {}): Promise<Webhook[]> {
  let q = db.selectFrom('webhooks').selectAll().where('client_id', '=', clientId);
  if (page.before) q = q.where('id', '<', page.before);
  return (await q.orderBy('id', 'desc').limit(page.limit ?? 500).execute()).map(toWebhook);
}

/** One of the client's webhooks; another client's is "not found". */
export async function getWebhook(db: Db, clientId: string, id: string): Promise<Webhook> {
  const r = await db.selectFrom('webhooks').selectAll().where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('No such webhook');
  return toWebhook(r);
}

/** Changes only the fields present (audited: a change of `active` alone reads as paused or resumed). */
export async function updateWebhook(db: Db, vault: Vault, clock: Clock, clientId: string, id: string, input: WebhookInput, by: AuditBy): Promise<Webhook> {
  validate(input, false);
  if (input.url !== undefined) await assertWebhookTarget(db, vault, input.url);
  await getWebhook(db, clientId, id);
  const set: Updateable<WebhooksTable> = { updated_at: clock.now().toISOString() };
  if (input.url !== undefined) set.url = input.url;
  if (input.events !== undefined) set.events = JSON.stringify([...new Set(input.events)]);
  if (input.active !== undefined) set.active = input.active ? 1 : 0;
  if (input.secret !== undefined) set.secret = vault.seal(input.secret, SECRET_CONTEXT);
  const fields = Object.keys(input).filter((k) => input[k as keyof WebhookInput] !== undefined);
  const action: AuditAction = fields.length === 1 && fields[0] === 'active' ? (input.active ? 'webhook.resumed' : 'webhook.paused') : 'webhook.updated';
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('webhooks').set(set).where('client_id', '=', clientId).where('id', '=', id).execute();
    await audit(trx, clock, by, clientId, action, id, action === 'webhook.updated' ? { fields } : undefined);
  });
  return getWebhook(db, clientId, id);
}

/** Deletes a webhook and its delivery log (audited). */
export async function deleteWebhook(db: Db, clock: Clock, clientId: string, id: string, by: AuditBy): Promise<void> {
  await getWebhook(db, clientId, id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhooks').where('client_id', '=', clientId).where('id', '=', id).execute();
    await audit(trx, clock, by, clientId, 'webhook.deleted', id);
  });
}
