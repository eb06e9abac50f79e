import { z } from 'zod';
import { ChannelSchema, channelJson } from '../../../api/index.ts';
import { customerUrl, listChannelAccounts } from '../../../channels/index.ts';
import { apiClientId } from './api-env.ts';
import type { ApiRoute } from './api-route.ts';

export const channelRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/channels', tag: 'Channels', summary: 'This client’s channel accounts',
    description: 'A sandbox channel has a customer_url: POST <customer_url>/messages with {"text", "customer"?, "message_id"?} sends a message as a customer (201 {"id"} once stored; a replayed message_id answers 200 with the same id).',
    responses: { 200: { description: 'Every channel account (few per client, so no paging)', schema: z.object({ data: z.array(ChannelSchema) }) } },
    async handler(c) {
      const ctx = c.get('ctx');
      const accounts = await listChannelAccounts(ctx.db, apiClientId(c));
      return c.json({ data: accounts.map((a) => channelJson(a, customerUrl(ctx.publicUrl(), a))) });
    },
  },
];
