import { z } from 'zod';
import { ContactSchema, contactJson } from './representation.ts';
import { getContact, updateContactWithEvents } from '../../../messaging/index.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { pathId, readJson } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

const ContactPatch = z.object({
  name: z.string().max(200).optional(),
  phone: z.string().max(40).nullable().optional().describe('null clears it'),
  tags: z.array(z.string().max(50)).max(50).optional().describe('Replaces the tags'),
}).strict();

export const contactRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/contacts/{contact_id}', tag: 'Contacts', summary: 'One contact',
    responses: { 200: { description: 'The contact', schema: ContactSchema } },
    async handler(c) {
      return c.json(contactJson(await getContact(c.get('ctx').db, apiClientId(c), pathId(c, 'contact_id'))));
    },
  },
  {
    method: 'patch', path: '/api/v1/contacts/{contact_id}', tag: 'Contacts', summary: 'Change a contact’s name, phone or tags (only the fields present)',
    body: ContactPatch, responses: { 200: { description: 'The contact', schema: ContactSchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      const id = pathId(c, 'contact_id');
      await getContact(ctx.db, apiClientId(c), id);
      const patch = await readJson(c, ContactPatch);
      const contact = await updateContactWithEvents(ctx, apiClientId(c), id, { displayName: patch.name, phone: patch.phone, tags: patch.tags }, apiActor(c));
      return c.json(contactJson(contact));
    },
  },
];
