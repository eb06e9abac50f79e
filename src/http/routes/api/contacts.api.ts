import { z } from 'zod';
import { ContactSchema, contactJson } from './representation.ts';
import { getContact, listContacts, updateContactWithEvents } from '../../../messaging/index.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { PageQuery, chars, pathId, readJson, readQuery, renameFields } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

const ContactQuery = PageQuery.extend({
  phone: z.string().max(40).optional().describe('Digits of the phone number in any layout: "701 555-44" finds +77015554433'),
  name: chars(200).optional().describe('Part of the name'),
  tag: chars(50).optional().describe('Contacts with this tag'),
}).strict();

const ContactPatch = z.object({
  name: chars(200).optional(),
  phone: z.string().max(40).nullable().optional().describe('null clears it'),
  tags: z.array(chars(50)).max(50).optional().describe('Replaces the tags'),
}).strict();

export const contactRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/contacts', operationId: 'listContacts', tag: 'Contacts', summary: 'List contacts, newest first; search by phone, name or tag',
    description: 'The filters combine (all must match).',
    query: ContactQuery,
    responses: { 200: { description: 'A page of contacts', schema: z.object({ data: z.array(ContactSchema), next_cursor: z.string().nullable() }) } },
    async handler(c) {
      const q = readQuery(c, ContactQuery);
      const r = await listContacts(c.get('ctx').db, { clientId: apiClientId(c), phone: q.phone, name: q.name, tag: q.tag, cursor: q.cursor, limit: q.limit });
      return c.json({ data: r.data.map(contactJson), next_cursor: r.nextCursor });
    },
  },
  {
    method: 'get', path: '/api/v1/contacts/{contact_id}', operationId: 'getContact', tag: 'Contacts', summary: 'One contact',
    responses: { 200: { description: 'The contact', schema: ContactSchema } },
    async handler(c) {
      return c.json(contactJson(await getContact(c.get('ctx').db, apiClientId(c), pathId(c, 'contact_id'))));
    },
  },
  {
    method: 'patch', path: '/api/v1/contacts/{contact_id}', operationId: 'updateContact', tag: 'Contacts', summary: 'Change a contact’s name, phone or tags (only the fields present)',
    body: ContactPatch, responses: { 200: { description: 'The contact', schema: ContactSchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      const id = pathId(c, 'contact_id');
      await getContact(ctx.db, apiClientId(c), id);
      const patch = await readJson(c, ContactPatch);
      const contact = await renameFields(updateContactWithEvents(ctx, apiClientId(c), id, { displayName: patch.name, phone: patch.phone, tags: patch.tags }, apiActor(c)), { display_name: 'name' });
      return c.json(contactJson(contact));
    },
  },
];
