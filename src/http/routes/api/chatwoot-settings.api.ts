import { z } from 'zod';
import { chatwootStatus, saveChatwootSettings, type ChatwootPatch } from '../../../chatwoot/index.ts';
import type { AppContext } from '../../env.ts';
import { named } from './openapi-builder.ts';
import { apiActor, apiClientId } from './api-env.ts';
import { chars, readSettingsPatch } from './validation.ts';
import { time } from './representation.ts';
import type { ApiRoute } from './api-route.ts';

const fields = {
  url: chars(300).nullable().describe('Chatwoot’s address, e.g. https://chat.example.kz (https; http only on a loopback or private address the operator allows)'),
  account_id: z.number().int().min(1).nullable().describe('The Chatwoot account id (in its URLs: /app/accounts/<id>/…)'),
  sign_agent_name: z.boolean().describe('Put the agent’s name before each reply the customer receives'),
  resume_ai_on_resolve: z.boolean().describe('Resolving a conversation (here or in Chatwoot) hands it back to the AI. Default true'),
};

export const ChatwootSettingsPut = named('ChatwootSettingsPatch', z.object({
  url: fields.url.optional(),
  account_id: fields.account_id.optional(),
  sign_agent_name: fields.sign_agent_name.optional(),
  resume_ai_on_resolve: fields.resume_ai_on_resolve.optional(),
  api_token: chars(500).nullable().optional().describe('Write-only: a Chatwoot access token; null clears it (disconnects)'),
  webhook_secret: chars(500).nullable().optional().describe('Write-only: the key Chatwoot signs its webhooks with, when the inbox’s own does not match (chatwoot#13809); null clears it'),
}).strict(), 'Only the fields present change. A change of url, account_id or api_token is checked against Chatwoot first (400 chatwoot_refused quoting its reason); then an API-channel inbox per channel account is created or reused, pointed at this server.');

export const ChatwootSettingsJson = named('ChatwootSettings', z.object({
  ...fields,
  api_token_set: z.boolean(),
  webhook_secret_set: z.boolean(),
  connected: z.boolean().describe('Conversations are mirrored to Chatwoot'),
  signing: z.enum(['signed', 'unsigned']).describe('unsigned: Chatwoot’s deliveries are authenticated by their secret URL alone'),
  last_error: z.string().nullable(),
  last_error_at: time().nullable(),
}), 'A client’s Chatwoot connection');

const READ_ONLY = ['api_token_set', 'webhook_secret_set', 'connected', 'signing', 'last_error', 'last_error_at'];

async function chatwootJson(ctx: AppContext, clientId: string) {
  const st = await chatwootStatus(ctx.db, clientId);
  const s = st.settings;
  return {
    url: s.url, account_id: s.accountId, api_token_set: s.apiTokenSet, webhook_secret_set: s.webhookSecretSet, sign_agent_name: s.signAgentName,
    resume_ai_on_resolve: s.resumeAiOnResolve, connected: !!s.connectedAt, signing: st.signing, last_error: s.lastError, last_error_at: s.lastErrorAt,
  };
}

function toPatch(b: z.output<typeof ChatwootSettingsPut>): ChatwootPatch {
  const out: ChatwootPatch = {};
  if (b.url !== undefined) out.url = b.url;
  if (b.account_id !== undefined) out.accountId = b.account_id;
  if (b.api_token !== undefined) out.apiToken = b.api_token;
  if (b.webhook_secret !== undefined) out.webhookSecret = b.webhook_secret;
  if (b.sign_agent_name !== undefined) out.signAgentName = b.sign_agent_name;
  if (b.resume_ai_on_resolve !== undefined) out.resumeAiOnResolve = b.resume_ai_on_resolve;
  return out;
}

export const chatwootSettingsRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/settings/chatwoot', operationId: 'getChatwootSettings', tag: 'Settings', summary: 'The Chatwoot connection',
    description: 'The token and the webhook secret are write-only: reads show api_token_set and webhook_secret_set.',
    responses: { 200: { description: 'The settings', schema: ChatwootSettingsJson } },
    async handler(c) {
      return c.json(await chatwootJson(c.get('ctx'), apiClientId(c)));
    },
  },
  {
    method: 'put', path: '/api/v1/settings/chatwoot', operationId: 'updateChatwootSettings', tag: 'Settings', summary: 'Connect to Chatwoot or change its options (only the fields present)',
    description: 'A change of url, account_id or api_token is checked against Chatwoot before anything is stored: a refusal answers 400 chatwoot_refused with Chatwoot’s own reason (field api_token, account_id or url).',
    body: ChatwootSettingsPut,
    responses: { 200: { description: 'The settings after the change', schema: ChatwootSettingsJson } },
    async handler(c) {
      const ctx = c.get('ctx');
      await saveChatwootSettings(ctx, apiClientId(c), toPatch(await readSettingsPatch(c, ChatwootSettingsPut, READ_ONLY)), apiActor(c));
      return c.json(await chatwootJson(ctx, apiClientId(c)));
    },
  },
];
