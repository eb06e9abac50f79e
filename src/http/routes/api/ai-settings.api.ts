import { z } from 'zod';
import {
  activeConsent, AI_LANGUAGES, AI_LIMITS, AI_PROVIDERS, getAiSettings, REPLY_LENGTHS, updateAiSettings, type AiSettings, type AiSettingsPatch,
} from '../../../ai/index.ts';
import type { AppContext } from '../../env.ts';
import { named } from './openapi-builder.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { chars, readSettingsPatch } from './validation.ts';
import { time } from './representation.ts';
import type { ApiRoute } from './api-route.ts';

const FaqEntry = z.object({
  question: chars(AI_LIMITS.faqQuestion),
  questions: z.array(chars(AI_LIMITS.faqQuestion)).max(AI_LIMITS.faqVariants).optional().describe('Other phrasings of the question (other words, other languages)'),
  answer: chars(AI_LIMITS.faqAnswer).describe('The answer; lines "ru: …", "kk: …", "en: …" follow the customer\'s language'),
}).strict();
const Keywords = z.array(chars(AI_LIMITS.keyword)).max(AI_LIMITS.keywords);

const fields = {
  enabled: z.boolean().describe('Whether the assistant answers customers'),
  provider: z.enum(AI_PROVIDERS as [string, ...string[]]).describe('openai; compatible (any OpenAI-compatible endpoint, e.g. vLLM, Ollama, llama.cpp); faq (the built-in offline FAQ responder)'),
  base_url: chars(AI_LIMITS.baseUrl).nullable().describe('compatible: the endpoint, e.g. http://10.0.0.5:8000/v1'),
  located_in_kazakhstan: z.boolean().describe('compatible only: true when the endpoint runs in Kazakhstan (then no transfer authorisation is needed). Default false'),
  model: chars(AI_LIMITS.model).describe('The model name, e.g. gpt-4o-mini'),
  instructions: chars(AI_LIMITS.instructions).describe('Persona and instructions'),
  facts: chars(AI_LIMITS.facts).describe('Business facts the assistant may use'),
  faq: z.array(FaqEntry).max(AI_LIMITS.faqEntries).describe('FAQ entries (the offline responder answers from these)'),
  languages: z.array(z.enum(AI_LANGUAGES as [string, ...string[]])).describe('Languages to answer in (the customer\'s, when listed)'),
  handoff_keywords: Keywords.describe('Words with which a customer asks for a person (any word form matches)'),
  faq_synonyms: z.array(z.array(chars(AI_LIMITS.keyword)).min(2).max(AI_LIMITS.synonymGroup)).max(AI_LIMITS.synonymGroups)
    .describe('Groups of words that mean the same (e.g. [["цена", "баға", "price"]]), added to the offline FAQ matcher\'s built-in lexicon'),
  redact: z.boolean().describe('Replace phone numbers, e-mail addresses, IIN/BIN and card numbers with placeholders before text leaves the appliance'),
  debounce_seconds: z.number().int().min(0).max(AI_LIMITS.debounceMax).describe(`Quiet period that merges quick messages into one question (0–${AI_LIMITS.debounceMax})`),
  resume_after_minutes: z.number().int().min(0).max(AI_LIMITS.resumeMax).describe(`After a person's reply the AI stays paused this long (0–${AI_LIMITS.resumeMax})`),
  disclosure: chars(AI_LIMITS.disclosure).nullable().describe('Line sent at the start of a conversation; null for none. Lines "ru: …", "kk: …", "en: …" follow the customer\'s language'),
  fallback_text: chars(AI_LIMITS.fallback).describe('What the customer receives when the assistant hands off or fails'),
  reply_length: z.enum(REPLY_LENGTHS as [string, ...string[]]).describe('short, medium or long'),
  channel_ids: z.array(z.string().max(100)).max(100).describe('Channels the assistant works on; empty for all'),
  transcribe_voice: z.boolean().describe('Transcribe voice notes through the provider\'s audio endpoint'),
  transcription_model: chars(AI_LIMITS.model).describe('e.g. whisper-1'),
};

const stopStart = {
  stop_keywords: Keywords.describe('Words with which a customer objects to automatic messages, added to the built-in STOP, СТОП, ТОҚТА (which always work); any word form, in a short message. Applies whether or not the assistant is enabled'),
  start_keywords: Keywords.describe('Words with which a customer lifts their objection, added to the built-in START, СТАРТ, БАСТАУ (which always work)'),
};

export const AiSettingsPut = named('AiSettingsPatch', z.object({
  ...Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, s.optional()])),
  stop_keywords: stopStart.stop_keywords.nullable().optional().describe('null restores the defaults'),
  start_keywords: stopStart.start_keywords.nullable().optional().describe('null restores the defaults'),
  api_key: chars(AI_LIMITS.apiKey).nullable().optional().describe('Write-only; null clears it'),
}).strict(), 'Only the fields present change.');

export const AiSettingsJson = named('AiSettings', z.object({
  ...fields,
  ...stopStart,
  api_key_set: z.boolean(),
  provider_status: z.enum(['ok', 'needs_attention']),
  provider_error: z.string().nullable(),
  transfer_consent: z.object({ provider: z.enum(AI_PROVIDERS as [string, ...string[]]), policy_version: z.string(), recorded_at: time(), recorded_by: z.string() }).nullable()
    .describe('The owner\'s authorisation in force for the chosen provider (recorded in the UI only)'),
}), 'A client\'s AI assistant settings');

const READ_ONLY = ['api_key_set', 'provider_status', 'provider_error', 'transfer_consent'];

async function aiJson(ctx: AppContext, clientId: string, s?: AiSettings) {
  s ??= await getAiSettings(ctx.db, clientId);
  const consent = await activeConsent(ctx.db, clientId, s.provider);
  return {
    enabled: s.enabled, provider: s.provider, base_url: s.baseUrl, located_in_kazakhstan: s.locatedInKazakhstan, model: s.model, api_key_set: s.apiKeySet,
    instructions: s.instructions, facts: s.facts, faq: s.faq, languages: s.languages, handoff_keywords: s.handoffKeywords, stop_keywords: s.stopKeywords, start_keywords: s.startKeywords, faq_synonyms: s.faqSynonyms, redact: s.redact,
    debounce_seconds: s.debounceSeconds, resume_after_minutes: s.resumeAfterMinutes, disclosure: s.disclosure, fallback_text: s.fallbackText,
    reply_length: s.replyLength, channel_ids: s.channelIds, transcribe_voice: s.transcribeVoice, transcription_model: s.transcriptionModel,
    provider_status: s.providerStatus, provider_error: s.providerError,
    transfer_consent: consent ? { provider: consent.provider, policy_version: consent.policyVersion, recorded_at: consent.recordedAt, recorded_by: consent.recordedByLabel } : null,
  };
}

/** snake_case API body → the domain's patch (only the fields present). */
export function toPatch(b: Record<string, unknown>): AiSettingsPatch {
  const map: Record<string, keyof AiSettingsPatch> = {
    enabled: 'enabled', provider: 'provider', base_url: 'baseUrl', located_in_kazakhstan: 'locatedInKazakhstan', model: 'model', api_key: 'apiKey',
    instructions: 'instructions', facts: 'facts', faq: 'faq', languages: 'languages', handoff_keywords: 'handoffKeywords', redact: 'redact',
    stop_keywords: 'stopKeywords', start_keywords: 'startKeywords', faq_synonyms: 'faqSynonyms',
    debounce_seconds: 'debounceSeconds', resume_after_minutes: 'resumeAfterMinutes', disclosure: 'disclosure', fallback_text: 'fallbackText',
    reply_length: 'replyLength', channel_ids: 'channelIds', transcribe_voice: 'transcribeVoice', transcription_model: 'transcriptionModel',
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) if (v !== undefined && map[k]) out[map[k]] = v;
  return out as AiSettingsPatch;
}

export const aiSettingsRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/settings/ai', operationId: 'getAiSettings', tag: 'Settings', summary: 'The AI assistant settings',
    description: 'The API key is write-only: reads show api_key_set.',
    responses: { 200: { description: 'The settings', schema: AiSettingsJson } },
    async handler(c) {
      return c.json(await aiJson(c.get('ctx'), apiClientId(c)));
    },
  },
  {
    method: 'put', path: '/api/v1/settings/ai', operationId: 'updateAiSettings', tag: 'Settings', summary: 'Change the AI assistant settings (only the fields present)',
    description: 'Invalid values answer 400 naming the field. Enabling a provider outside Kazakhstan (openai, or compatible with located_in_kazakhstan false) without the owner\'s recorded authorisation answers 409 transfer_consent_required; only the owner records one, in the UI.',
    body: AiSettingsPut,
    responses: { 200: { description: 'The settings after the change', schema: AiSettingsJson }, 409: { description: 'The provider processes data abroad and the owner has not authorised the transfer (transfer_consent_required)' } },
    async handler(c) {
      const ctx = c.get('ctx');
      const body = await readSettingsPatch(c, AiSettingsPut, READ_ONLY);
      const s = await updateAiSettings(ctx.db, ctx.vault, ctx.clock, apiClientId(c), toPatch(body), apiActor(c));
      return c.json(await aiJson(ctx, apiClientId(c), s));
    },
  },
];
