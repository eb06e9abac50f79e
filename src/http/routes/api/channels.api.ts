import { z } from 'zod';
import { ChannelSchema, channelJson } from './representation.ts';
import {
  connectChannelAccount, customerUrl, findChannelAccount, getChannelAccount, listChannelAccounts, logoutChannel, reconnectChannel, removeChannelAccount,
  requestChannelPairingCode, updateChannelAccount, type ChannelAccount,
} from '../../../channels/index.ts';
import { notFound } from '../../../lib/errors.ts';
import { ErrorSchema, named } from './openapi-builder.ts';
import { apiClientId, apiActor, type ApiContext } from './api-env.ts';
import { chars, pathId, readJson, readQuery } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

const NewNamedChannel = named('NewNamedChannel', z.object({
  kind: z.enum(['sandbox', 'whatsapp']).describe('sandbox: connected at once; whatsapp: pairing starts (GET the channel for its qr, or POST …/pairing-code)'),
  name: chars(100).describe('A name for people, e.g. "Website chat"'),
}).strict());

const NewInstagramChannel = named('NewInstagramChannel', z.object({
  kind: z.literal('instagram').describe('instagram: an account connected with a token from Meta Business Suite (or in the admin UI with Facebook or Instagram login)'),
  ig_account_id: chars(32).describe('The Instagram professional account\'s numeric id'),
  access_token: chars(2000).describe('A token from Meta Business Suite (a system user\'s, or the Page\'s) with instagram_manage_messages; checked with the Graph API, then stored sealed'),
  name: chars(100).optional().describe('A name for people (default: @username)'),
}).strict());

const NewChannel = named('NewChannel', z.discriminatedUnion('kind', [NewNamedChannel, NewInstagramChannel]));

const ChannelChange = named('ChannelChange', z.object({
  name: chars(100).optional().describe('A new name for people'),
  settings: z.record(z.string(), z.union([z.boolean(), z.number().int().min(0)])).optional()
    .describe('Settings to change (only the keys given); the kind’s settings are listed on Channel.settings. An unknown key or a value out of bounds is 400 invalid_field on settings.<key>'),
}).strict());

const PairingCodeRequest = named('PairingCodeRequest', z.object({
  phone: chars(30).describe('The WhatsApp number to pair, in international format (e.g. +77011234567)'),
}).strict());

const DeleteQuery = z.object({
  purge: z.enum(['true', 'false']).optional().describe('true: also delete the channel’s row and, with it, its conversations and messages (also for a channel deleted before)'),
}).strict();

const CHANNEL_PATH = '/api/v1/channels/{channel_id}';

/** The channel as the API shows it: with the QR code to scan while it is pairing by QR. */
function shown(c: ApiContext, a: ChannelAccount) {
  const ctx = c.get('ctx');
  const pairing = ctx.channels.pairing(a.id);
  const settings = ctx.channels.registry.driverFor(a.kind)?.settings?.read(a.settings) as Record<string, boolean | number> | undefined;
  return channelJson(a, customerUrl(ctx.publicUrl(), a), pairing?.kind === 'qr' ? pairing.value : null, settings);
}

const channelOf = (c: ApiContext) => getChannelAccount(c.get('ctx').db, apiClientId(c), pathId(c, 'channel_id'));
const fresh = (c: ApiContext, a: ChannelAccount) => getChannelAccount(c.get('ctx').db, a.clientId, a.id);

export const channelRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/channels', operationId: 'listChannels', tag: 'Channels', summary: 'This client’s channel accounts',
    description: 'A sandbox channel has a customer_url: POST <customer_url>/messages with {"text", "customer"?, "message_id"?} sends a message as a customer (201 {"id"} once stored; a replayed message_id answers 200 with the same id). Deleted channels are not listed.',
    responses: { 200: { description: 'Every channel account (few per client, so no paging)', schema: z.object({ data: z.array(ChannelSchema) }) } },
    async handler(c) {
      const accounts = await listChannelAccounts(c.get('ctx').db, apiClientId(c));
      return c.json({ data: accounts.map((a) => shown(c, a)) });
    },
  },
  {
    method: 'post', path: '/api/v1/channels', operationId: 'createChannel', tag: 'Channels', summary: 'Create a channel: a sandbox, a WhatsApp number to pair, or an Instagram account with its token',
    description: 'Answers 201 with the channel. A sandbox is connected at once and has its customer_url. A WhatsApp channel starts pairing: its status is connecting and qr null until WhatsApp gives the first QR code; then GET it for status qr and the qr to draw, or POST …/pairing-code to pair by typing a code on the phone. '
      + 'An Instagram account is connected with a token pasted from Meta Business Suite: Habar opens the account with it on the Graph API and subscribes it to message webhooks first.',
    body: NewChannel,
    responses: {
      201: { description: 'The new channel', schema: ChannelSchema },
      400: { description: 'invalid_token (field access_token): Meta refused the token, its message quoted; or another invalid field', schema: ErrorSchema },
      409: { description: 'already_connected: a client already holds this Instagram account', schema: ErrorSchema },
      502: { description: 'meta_unavailable: Meta could not be asked now; try again', schema: ErrorSchema },
    },
    async handler(c) {
      const ctx = c.get('ctx');
      const { kind, name, ...fields } = await readJson(c, NewChannel);
      const deps = { db: ctx.db, clock: ctx.clock, vault: ctx.vault, log: ctx.log, registry: ctx.channels.registry };
      const account = await connectChannelAccount(deps, { clientId: apiClientId(c), kind, name, fields }, apiActor(c));
      await ctx.channels.startAccount(account);
      return c.json(shown(c, await fresh(c, account)), 201);
    },
  },
  {
    method: 'get', path: CHANNEL_PATH, operationId: 'getChannel', tag: 'Channels', summary: 'One channel: its status, the QR code while pairing, the paired number',
    description: 'Poll it while pairing: status goes connecting → qr (draw qr as a QR code; it rotates) → connected (phone and profile_name set). logged_out, qr_expired or reconnect_needed: POST …/connect to pair again. A deleted channel is 404.',
    responses: { 200: { description: 'The channel', schema: ChannelSchema } },
    async handler(c) {
      return c.json(shown(c, await channelOf(c)));
    },
  },
  {
    method: 'patch', path: CHANNEL_PATH, operationId: 'updateChannel', tag: 'Channels', summary: 'Rename a channel or change its settings',
    description: 'Changes only the fields given and answers 200 with the channel. A WhatsApp number restarts its connection (with its saved session, no new scan) to apply changed settings. Audited as channel.updated.',
    body: ChannelChange,
    responses: {
      200: { description: 'The channel as changed', schema: ChannelSchema },
      409: { description: 'not_supported: this kind has no settings to change', schema: ErrorSchema },
    },
    async handler(c) {
      const ctx = c.get('ctx');
      const current = await channelOf(c); // another client's id is a 404 before a bad body is a 400
      const body = await readJson(c, ChannelChange);
      const { account, settingsChanged } = await updateChannelAccount(ctx.db, ctx.clock, ctx.channels.registry, current.clientId, current.id, body, apiActor(c));
      if (settingsChanged) await ctx.channels.restartAccount(account);
      return c.json(shown(c, account));
    },
  },
  {
    method: 'post', path: `${CHANNEL_PATH}/pairing-code`, operationId: 'requestChannelPairingCode', tag: 'Channels', summary: 'Pair by phone number: get the 8-character code to type on the phone',
    description: 'On the phone: WhatsApp → Linked devices → Link a device → Link with phone number instead, then type the code. 400 invalid_phone for a number not in international format; 409 already_connected once paired.',
    body: PairingCodeRequest,
    responses: {
      200: { description: 'The code (8 characters, no dash)', schema: named('PairingCode', z.object({ code: z.string().length(8) })) },
      409: { description: 'already_connected: the channel is paired (log it out first); not_supported: this kind does not pair with a phone' },
    },
    async handler(c) {
      const ctx = c.get('ctx');
      const account = await channelOf(c);
      const body = await readJson(c, PairingCodeRequest);
      return c.json({ code: await requestChannelPairingCode(ctx, account, body.phone, apiActor(c)) });
    },
  },
  {
    method: 'post', path: `${CHANNEL_PATH}/connect`, operationId: 'connectChannel', tag: 'Channels', summary: 'Reconnect, or pair again after a logout or an expired QR code',
    description: 'Answers 202 with the channel: the connection is being made; GET it for the new status (and a new qr when it must be scanned again).',
    responses: { 202: { description: 'Connecting', schema: ChannelSchema }, 409: { description: 'not_supported: this kind does not pair with a phone' } },
    async handler(c) {
      const account = await channelOf(c);
      await reconnectChannel(c.get('ctx'), account, apiActor(c));
      return c.json(shown(c, await fresh(c, account)), 202);
    },
  },
  {
    method: 'post', path: `${CHANNEL_PATH}/logout`, operationId: 'logoutChannel', tag: 'Channels', summary: 'Log the paired phone out (disconnect)',
    description: 'Answers 202 with the channel; its status is then logged_out and its session keys are forgotten. POST …/connect pairs it again.',
    responses: { 202: { description: 'Logged out', schema: ChannelSchema }, 409: { description: 'not_supported: this kind does not pair with a phone' } },
    async handler(c) {
      const account = await channelOf(c);
      await logoutChannel(c.get('ctx'), account, apiActor(c));
      return c.json(shown(c, await fresh(c, account)), 202);
    },
  },
  {
    method: 'delete', path: CHANNEL_PATH, operationId: 'deleteChannel', tag: 'Channels', summary: 'Delete a channel (logs out and deletes its session keys)',
    description: 'The channel is gone from the list and GET answers 404; its conversations stay readable in the inbox. With ?purge=true its conversations and messages are deleted too. Idempotent: deleting a deleted channel answers 204 again (with purge=true it is purged then); an id this client never had is 404.',
    query: DeleteQuery,
    responses: { 204: { description: 'Deleted (now or before)' } },
    async handler(c) {
      const ctx = c.get('ctx');
      const q = readQuery(c, DeleteQuery);
      const account = await findChannelAccount(ctx.db, pathId(c, 'channel_id'));
      if (!account || account.clientId !== apiClientId(c)) throw notFound('No such channel');
      if (!account.deletedAt || q.purge === 'true') await removeChannelAccount(ctx, account, { purge: q.purge === 'true', by: apiActor(c) });
      return c.body(null, 204);
    },
  },
];
