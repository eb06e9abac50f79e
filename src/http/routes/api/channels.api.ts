import { z } from 'zod';
import { ChannelSchema, channelJson } from './representation.ts';
import { addChannelAccount, customerUrl, listChannelAccounts } from '../../../channels/index.ts';
import { named } from './openapi-builder.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { chars, readJson } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

const NewChannel = named('NewChannel', z.object({
  kind: z.literal('sandbox').describe('Only sandbox: WhatsApp and Instagram accounts are paired in the admin UI (QR code, Meta login)'),
  name: chars(100).describe('A name for people, e.g. "Website chat"'),
}).strict());

export const channelRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/channels', operationId: 'listChannels', tag: 'Channels', summary: 'This client’s channel accounts',
    description: 'A sandbox channel has a customer_url: POST <customer_url>/messages with {"text", "customer"?, "message_id"?} sends a message as a customer (201 {"id"} once stored; a replayed message_id answers 200 with the same id).',
    responses: { 200: { description: 'Every channel account (few per client, so no paging)', schema: z.object({ data: z.array(ChannelSchema) }) } },
    async handler(c) {
      const ctx = c.get('ctx');
      const accounts = await listChannelAccounts(ctx.db, apiClientId(c));
      return c.json({ data: accounts.map((a) => channelJson(a, customerUrl(ctx.publicUrl(), a))) });
    },
  },
  {
    method: 'post', path: '/api/v1/channels', operationId: 'createChannel', tag: 'Channels', summary: 'Create a sandbox channel',
    description: 'Answers 201 with the channel, its customer_url included (the customer-side chat page, connected at once).',
    body: NewChannel,
    responses: { 201: { description: 'The new channel', schema: ChannelSchema } },
    async handler(c) {
      const ctx = c.get('ctx');
      const clientId = apiClientId(c);
      const body = await readJson(c, NewChannel);
      const account = await addChannelAccount(ctx.db, ctx.clock, ctx.vault, { clientId, kind: body.kind, name: body.name }, apiActor(c), ctx.channels.registry);
      await ctx.channels.startAccount(account);
      return c.json(channelJson(account, customerUrl(ctx.publicUrl(), account)), 201);
    },
  },
];
