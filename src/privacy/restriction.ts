// Restriction (policy 7.4) and objection (7.6): effective at once, each recorded in the request
// register with who asked, and audited with the request's id. A restricted contact's messages are
// kept and shown, but nothing about them leaves the appliance (ai/gate.ts, messaging's auto-reply,
// the webhook forwarder ask contacts.restricted); an objecting one gets no automatic messages.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { recordAudit, SYSTEM_ACTOR, type AuditBy } from '../audit/index.ts';
import { getContact, inTransaction, setObjectionIn, setRestrictionIn, type EventHub } from '../messaging/index.ts';
import { createRequest, type NewRequest, type PrivacyRequest, type Requester } from './requests.ts';

export interface PrivacyDeps {
  db: Db;
  clock: Clock;
  hub: EventHub;
}

/** Who acts: the requester as the register records them, and the actor as the audit log does. */
export interface PrivacyBy {
  requester: Requester;
  audit: AuditBy;
}

/** Records a request inside the caller's transaction and audits it (`privacy_request.recorded`, the subject by internal id). */
export async function recordRequestIn(trx: Db, clock: Clock, input: NewRequest, audit: AuditBy): Promise<PrivacyRequest> {
  const request = await createRequest(trx, clock, input);
  await recordAudit(trx, clock, {
    actor: audit, action: 'privacy_request.recorded', clientId: input.clientId, targetType: input.contactId ? 'contact' : 'client',
    targetId: input.contactId ?? input.clientId, ip: audit.ip, details: { request_id: request.id, kind: request.kind, requester: request.requester.kind, status: request.status },
  });
  return request;
}

type Change = { flag: 'restricted' | 'objected'; on: boolean };
const KIND_OF = (c: Change) => (c.flag === 'restricted' ? (c.on ? 'restriction' : 'restriction_lifted') : c.on ? 'objection' : 'objection_lifted') as NewRequest['kind'];

async function change(deps: PrivacyDeps, clientId: string, contactId: string, c: Change, by: PrivacyBy): Promise<PrivacyRequest> {
  return inTransaction(deps, async (trx, events) => {
    await getContact(trx, clientId, contactId);
    const request = await recordRequestIn(trx, deps.clock, { clientId, contactId, kind: KIND_OF(c), requester: by.requester, status: 'done' }, by.audit);
    const ref = { clientId, contactId };
    const changed = c.flag === 'restricted'
      ? await setRestrictionIn(trx, deps.clock, events, ref, c.on, by.audit, { request_id: request.id })
      : await setObjectionIn(trx, deps.clock, events, ref, c.on, by.audit, 'privacy_request', { request_id: request.id });
    await trx.updateTable('privacy_requests').set({ evidence: JSON.stringify({ changed }) }).where('id', '=', request.id).execute();
    return { ...request, evidence: { changed } };
  });
}

/** Restricts processing of a contact's data at once; a contact of another client is "not found". */
export const restrictContact = (deps: PrivacyDeps, clientId: string, contactId: string, by: PrivacyBy) => change(deps, clientId, contactId, { flag: 'restricted', on: true }, by);
/** Lifts a restriction (recorded as restriction_lifted). */
export const liftRestriction = (deps: PrivacyDeps, clientId: string, contactId: string, by: PrivacyBy) => change(deps, clientId, contactId, { flag: 'restricted', on: false }, by);
/** Records an objection: no automatic messages to the person from now on. */
export const objectForContact = (deps: PrivacyDeps, clientId: string, contactId: string, by: PrivacyBy) => change(deps, clientId, contactId, { flag: 'objected', on: true }, by);
/** Lifts an objection (recorded as objection_lifted). */
export const liftContactObjection = (deps: PrivacyDeps, clientId: string, contactId: string, by: PrivacyBy) => change(deps, clientId, contactId, { flag: 'objected', on: false }, by);

/**
 * The customer's own STOP or START (the STOP/START step changed the objection in `trx`): recorded
 * as objection / objection_lifted with the contact as requester. The composition passes this to the step.
 */
export async function recordKeywordObjection(trx: Db, clock: Clock, ref: { clientId: string; contactId: string }, objected: boolean): Promise<void> {
  await recordRequestIn(trx, clock, {
    clientId: ref.clientId, contactId: ref.contactId, kind: objected ? 'objection' : 'objection_lifted', requester: { kind: 'contact', id: ref.contactId }, status: 'done',
    evidence: { changed: true, how: objected ? 'stop_keyword' : 'start_keyword' },
  }, { ...SYSTEM_ACTOR, label: 'customer (keyword)' });
}
