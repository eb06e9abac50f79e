import {
  eraseContact, eraseDepsOf, liftContactObjection, liftRestriction, objectForContact, restrictContact, type PrivacyBy, type PrivacyRequest,
} from '../../../privacy/index.ts';
import { RequestSchema, requestJsonOf } from './requests.api.ts';
import { apiActor, apiClientId, type ApiContext } from './api-env.ts';
import { pathId } from './validation.ts';
import type { AppContext } from '../../env.ts';
import type { ApiRoute } from './api-route.ts';

/** The calling key as the request register records it (by its id) and the audit log (by its prefix). */
const byKey = (c: ApiContext): PrivacyBy => ({ requester: { kind: 'api_key', id: c.get('apiKey').id }, audit: apiActor(c) });

type Command = (ctx: AppContext, clientId: string, contactId: string, by: PrivacyBy) => Promise<PrivacyRequest>;

const accepted = (run: Command) => async (c: ApiContext) => c.json(requestJsonOf(c, await run(c.get('ctx'), apiClientId(c), pathId(c, 'contact_id'), byKey(c))), 202);
const lifted = (run: Command) => async (c: ApiContext) => {
  await run(c.get('ctx'), apiClientId(c), pathId(c, 'contact_id'), byKey(c));
  return c.body(null, 204);
};

const recordResponse = (what: string) => ({ 202: { description: what, schema: RequestSchema } });

export const contactPrivacyRoutes: ApiRoute[] = [
  {
    method: 'post', path: '/api/v1/contacts/{contact_id}/restrict', operationId: 'restrictContact', tag: 'Privacy', summary: 'Restrict processing of a contact’s data (effective at once)',
    description: 'Their messages are kept and shown, but nothing about them leaves the appliance: no AI (any provider), no rules or automatic replies, no outgoing webhooks. Recorded in the request register (kind restriction, status done).',
    responses: recordResponse('The request record (status done)'), handler: accepted(restrictContact),
  },
  {
    method: 'delete', path: '/api/v1/contacts/{contact_id}/restrict', operationId: 'liftContactRestriction', tag: 'Privacy', summary: 'Lift a contact’s restriction',
    description: 'Recorded as restriction_lifted.', responses: { 204: { description: 'Lifted (or there was none)' } }, handler: lifted(liftRestriction),
  },
  {
    method: 'post', path: '/api/v1/contacts/{contact_id}/object', operationId: 'recordContactObjection', tag: 'Privacy', summary: 'Record a contact’s objection (effective at once)',
    description: 'No AI reply, automatic reply or disclosure goes to them from now on; people can still write. The same as the customer writing STOP. Recorded as objection, status done.',
    responses: recordResponse('The request record (status done)'), handler: accepted(objectForContact),
  },
  {
    method: 'delete', path: '/api/v1/contacts/{contact_id}/object', operationId: 'liftContactObjection', tag: 'Privacy', summary: 'Lift a contact’s objection',
    description: 'Recorded as objection_lifted (the customer writing START does the same).', responses: { 204: { description: 'Lifted (or there was none)' } }, handler: lifted(liftContactObjection),
  },
  {
    method: 'post', path: '/api/v1/contacts/{contact_id}/erase', operationId: 'eraseContact', tag: 'Privacy', summary: 'Erase a contact and everything about them',
    description: 'Messages, media, AI summaries, identities (WhatsApp, Instagram), WhatsApp session rows, pending work and webhook deliveries go in one transaction; files and remote parties follow in a job, then status is done. Usage counts stay, without the person. Older backups keep the person until backups_expire_at. Erasing again answers the same record.',
    responses: recordResponse('The erasure record (running, then done)'), handler: accepted((ctx, clientId, contactId, by) => eraseContact(eraseDepsOf(ctx), clientId, contactId, by)),
  },
  {
    method: 'post', path: '/api/v1/contacts/{contact_id}/minor', operationId: 'markContactMinor', tag: 'Privacy', summary: 'Mark a contact as a minor: their data is erased at once',
    description: 'The service holds no data of people under 18 (policy section 10): the same erasure as /erase, recorded with the reason minor.',
    responses: recordResponse('The erasure record (running, then done)'), handler: accepted((ctx, clientId, contactId, by) => eraseContact(eraseDepsOf(ctx), clientId, contactId, by, 'minor')),
  },
];
