// A client's AI settings: read (with defaults when never saved), validate and update a patch.
// The API key is sealed (context "ai_settings.api_key") and never leaves this module except to
// the provider call.
import { refuseCardNumber } from '../lib/card-number.ts';
import type { Selectable } from 'kysely';
import type { AiSettingsTable, Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { Clock } from '../lib/clock.ts';
import { badRequest } from '../lib/errors.ts';
import { charLength } from '../lib/text.ts';
import {
  DEFAULT_DISCLOSURE, DEFAULT_FALLBACK, DEFAULT_HANDOFF_KEYWORDS, DEFAULT_MODEL, DEFAULT_START_KEYWORDS, DEFAULT_STOP_KEYWORDS, DEFAULT_TRANSCRIPTION_MODEL,
} from './defaults.ts';
import type { FaqEntry } from './faq-responder.ts';
import type { Language } from './text-normalise.ts';

export type AiProvider = 'openai' | 'compatible' | 'faq';
export const AI_PROVIDERS: AiProvider[] = ['openai', 'compatible', 'faq'];
export type ReplyLength = 'short' | 'medium' | 'long';
export const REPLY_LENGTHS: ReplyLength[] = ['short', 'medium', 'long'];
export const AI_LANGUAGES: Language[] = ['ru', 'kk', 'en'];

export interface AiSettings {
  clientId: string;
  enabled: boolean;
  provider: AiProvider;
  baseUrl: string | null;
  locatedInKazakhstan: boolean;
  model: string;
  apiKeySet: boolean;
  instructions: string;
  facts: string;
  faq: FaqEntry[];
  languages: Language[];
  handoffKeywords: string[];
  /** Words with which a customer objects to automatic messages, besides the built-in STOP, СТОП, ТОҚТА. */
  stopKeywords: string[];
  /** Words with which a customer lifts their objection, besides the built-in START, СТАРТ, БАСТАУ. */
  startKeywords: string[];
  /** Groups of words that mean the same, added to the FAQ matcher's built-in lexicon. */
  faqSynonyms: string[][];
  redact: boolean;
  debounceSeconds: number;
  resumeAfterMinutes: number;
  disclosure: string | null;
  fallbackText: string;
  replyLength: ReplyLength;
  channelIds: string[];
  transcribeVoice: boolean;
  transcriptionModel: string;
  providerStatus: 'ok' | 'needs_attention';
  providerError: string | null;
  providerErrorAt: string | null;
  updatedAt: string | null;
  /** Who last saved them: a user id, or null for the system (the demo defaults) and never saved ones. */
  updatedBy: string | null;
}

/** Fields a person may change; absent ones stay. `apiKey: null` clears the key. */
export type AiSettingsPatch = Partial<Omit<AiSettings, 'clientId' | 'apiKeySet' | 'providerStatus' | 'providerError' | 'providerErrorAt' | 'updatedAt' | 'updatedBy' | 'stopKeywords' | 'startKeywords'>> & {
  apiKey?: string | null;
  /** null restores the defaults. */
  stopKeywords?: string[] | null;
  startKeywords?: string[] | null;
};

export const LIMITS = {
  instructions: 4000, facts: 8000, faqEntries: 200, faqQuestion: 500, faqAnswer: 2000, faqVariants: 20, keyword: 60, keywords: 50, synonymGroups: 200, synonymGroup: 30,
  disclosure: 1000, fallback: 1000, model: 100, apiKey: 500, baseUrl: 500, debounceMax: 120, resumeMax: 7 * 24 * 60,
} as const;

const json = <T>(s: string, fallback: T): T => {
  try { return JSON.parse(s) as T; } catch { return fallback; }
};

/** The settings a client has before anyone saves them (the demo client's are written at seeding: writeDemoAiSettings). */
export function defaultAiSettings(clientId: string): AiSettings {
  return {
    clientId, enabled: false, provider: 'faq', baseUrl: null, locatedInKazakhstan: false, model: '', apiKeySet: false,
    instructions: '', facts: '', faq: [], languages: [...AI_LANGUAGES], handoffKeywords: [...DEFAULT_HANDOFF_KEYWORDS],
    stopKeywords: [...DEFAULT_STOP_KEYWORDS], startKeywords: [...DEFAULT_START_KEYWORDS], faqSynonyms: [],
    redact: true, debounceSeconds: 4, resumeAfterMinutes: 60, disclosure: DEFAULT_DISCLOSURE, fallbackText: DEFAULT_FALLBACK,
    replyLength: 'medium', channelIds: [], transcribeVoice: false, transcriptionModel: DEFAULT_TRANSCRIPTION_MODEL,
    providerStatus: 'ok', providerError: null, providerErrorAt: null, updatedAt: null, updatedBy: null,
  };
}

function toSettings(r: Selectable<AiSettingsTable>): AiSettings {
  return {
    clientId: r.client_id, enabled: !!r.enabled, provider: r.provider as AiProvider, baseUrl: r.base_url,
    locatedInKazakhstan: !!r.located_in_kazakhstan, model: r.model, apiKeySet: !!r.api_key, instructions: r.instructions, facts: r.facts,
    faq: json<FaqEntry[]>(r.faq, []), languages: json<Language[]>(r.languages, [...AI_LANGUAGES]), handoffKeywords: json<string[]>(r.handoff_keywords, []),
    stopKeywords: r.stop_keywords === null ? [...DEFAULT_STOP_KEYWORDS] : json<string[]>(r.stop_keywords, []),
    startKeywords: r.start_keywords === null ? [...DEFAULT_START_KEYWORDS] : json<string[]>(r.start_keywords, []),
    faqSynonyms: json<string[][]>(r.faq_synonyms, []),
    redact: !!r.redact, debounceSeconds: r.debounce_seconds, resumeAfterMinutes: r.resume_after_minutes, disclosure: r.disclosure,
    fallbackText: r.fallback_text, replyLength: r.reply_length as ReplyLength, channelIds: json<string[]>(r.channel_ids, []),
    transcribeVoice: !!r.transcribe_voice, transcriptionModel: r.transcription_model, providerStatus: r.provider_status as AiSettings['providerStatus'],
    providerError: r.provider_error, providerErrorAt: r.provider_error_at, updatedAt: r.updated_at, updatedBy: r.updated_by,
  };
}

export async function getAiSettings(db: Db, clientId: string): Promise<AiSettings> {
  const r = await db.selectFrom('ai_settings').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  return r ? toSettings(r) : defaultAiSettings(clientId);
}

/** The plain API key, for the provider call only. */
export async function openApiKey(db: Db, vault: Vault, clientId: string): Promise<string | null> {
  const r = await db.selectFrom('ai_settings').select('api_key').where('client_id', '=', clientId).executeTakeFirst();
  return r?.api_key ? vault.open(r.api_key, 'ai_settings.api_key') : null;
}

const cleanList = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];

/** Checks each present field; errors name the API field (snake_case). Returns the cleaned patch. */
export function validateAiPatch(p: AiSettingsPatch): AiSettingsPatch {
  const out: AiSettingsPatch = { ...p };
  if (p.provider !== undefined && !AI_PROVIDERS.includes(p.provider)) throw badRequest('provider must be openai, compatible or faq', 'provider');
  if (p.baseUrl !== undefined && p.baseUrl !== null) {
    const v = p.baseUrl.trim();
    if (v === '') out.baseUrl = null;
    else {
      let u: URL;
      const badUrl = () => badRequest('base_url must be an http(s) URL such as http://10.0.0.5:8000/v1', 'base_url', 'invalid_field', { reason: 'base_url_invalid' });
      try { u = new URL(v); } catch { throw badUrl(); }
      if (!/^https?:$/.test(u.protocol) || v.length > LIMITS.baseUrl) throw badUrl();
      if (u.username || u.password) throw badRequest('Put credentials in api_key, not in base_url', 'base_url', 'invalid_field', { reason: 'base_url_credentials' });
      out.baseUrl = v.replace(/\/+$/, '');
    }
  }
  if (p.model !== undefined && (p.model.length > LIMITS.model || /\s/.test(p.model.trim()))) throw badRequest(`model must be a model name without spaces (at most ${LIMITS.model} characters)`, 'model', 'invalid_field', { reason: 'model_invalid', max: LIMITS.model });
  if (p.model !== undefined) out.model = p.model.trim();
  if (p.apiKey !== undefined && p.apiKey !== null && (p.apiKey.trim() === '' || p.apiKey.length > LIMITS.apiKey || /\s/.test(p.apiKey.trim()))) throw badRequest('api_key must be the key as the provider shows it', 'api_key', 'invalid_field', { reason: 'api_key_invalid' });
  if (p.instructions !== undefined && charLength(p.instructions) > LIMITS.instructions) throw badRequest(`instructions: at most ${LIMITS.instructions} characters`, 'instructions', 'too_long');
  if (p.facts !== undefined && charLength(p.facts) > LIMITS.facts) throw badRequest(`facts: at most ${LIMITS.facts} characters`, 'facts', 'too_long');
  if (p.faq !== undefined) {
    if (p.faq.length > LIMITS.faqEntries) throw badRequest(`faq: at most ${LIMITS.faqEntries} entries`, 'faq', 'invalid_field', { reason: 'faq_too_many', max: LIMITS.faqEntries });
    p.faq.forEach((e, i) => {
      if (!e.question?.trim() || !e.answer?.trim()) throw badRequest(`faq[${i}] needs both a question and an answer`, 'faq', 'invalid_field', { reason: 'faq_entry_incomplete', n: i + 1 });
      if (charLength(e.question) > LIMITS.faqQuestion || charLength(e.answer) > LIMITS.faqAnswer) throw badRequest(`faq[${i}] is too long`, 'faq', 'too_long');
      if (e.questions !== undefined && (!Array.isArray(e.questions) || e.questions.length > LIMITS.faqVariants || e.questions.some((q) => typeof q !== 'string' || charLength(q) > LIMITS.faqQuestion))) {
        throw badRequest(`faq[${i}].questions: at most ${LIMITS.faqVariants} phrasings of ${LIMITS.faqQuestion} characters`, 'faq');
      }
    });
    out.faq = p.faq.map((e) => {
      const questions = cleanList(e.questions ?? []);
      return { question: e.question.trim(), ...(questions.length ? { questions } : {}), answer: e.answer.trim() };
    });
  }
  if (p.languages !== undefined) {
    if (p.languages.length === 0 || p.languages.some((l) => !AI_LANGUAGES.includes(l))) throw badRequest('languages must list some of ru, kk, en', 'languages', 'invalid_field', { reason: 'languages_required' });
    out.languages = [...new Set(p.languages)];
  }
  if (p.handoffKeywords !== undefined) {
    if (p.handoffKeywords.length > LIMITS.keywords || p.handoffKeywords.some((k) => charLength(k) > LIMITS.keyword)) throw badRequest(`handoff_keywords: at most ${LIMITS.keywords} words of ${LIMITS.keyword} characters`, 'handoff_keywords', 'invalid_field', { reason: 'keywords_limit', max: LIMITS.keywords, chars: LIMITS.keyword });
    out.handoffKeywords = cleanList(p.handoffKeywords.map((k) => k.toLowerCase()));
  }
  for (const [key, field] of [['stopKeywords', 'stop_keywords'], ['startKeywords', 'start_keywords']] as const) {
    const list = p[key];
    if (list === undefined || list === null) continue;
    if (list.length > LIMITS.keywords || list.some((k) => charLength(k) > LIMITS.keyword)) throw badRequest(`${field}: at most ${LIMITS.keywords} words of ${LIMITS.keyword} characters`, field, 'invalid_field', { reason: 'keywords_limit', max: LIMITS.keywords, chars: LIMITS.keyword });
    out[key] = cleanList(list.map((k) => k.toLowerCase()));
  }
  if (p.faqSynonyms !== undefined) {
    if (p.faqSynonyms.length > LIMITS.synonymGroups || p.faqSynonyms.some((g) => g.length < 2 || g.length > LIMITS.synonymGroup || g.some((w) => charLength(w) > LIMITS.keyword))) {
      throw badRequest(`faq_synonyms: at most ${LIMITS.synonymGroups} groups, each of 2 to ${LIMITS.synonymGroup} words of at most ${LIMITS.keyword} characters`, 'faq_synonyms');
    }
    out.faqSynonyms = p.faqSynonyms.map((g) => cleanList(g.map((w) => w.toLowerCase()))).filter((g) => g.length >= 2);
  }
  if (p.debounceSeconds !== undefined && (!Number.isInteger(p.debounceSeconds) || p.debounceSeconds < 0 || p.debounceSeconds > LIMITS.debounceMax)) throw badRequest(`debounce_seconds must be a whole number from 0 to ${LIMITS.debounceMax}`, 'debounce_seconds', 'invalid_field', { reason: 'number_range', min: 0, max: LIMITS.debounceMax });
  if (p.resumeAfterMinutes !== undefined && (!Number.isInteger(p.resumeAfterMinutes) || p.resumeAfterMinutes < 0 || p.resumeAfterMinutes > LIMITS.resumeMax)) throw badRequest(`resume_after_minutes must be a whole number from 0 to ${LIMITS.resumeMax}`, 'resume_after_minutes', 'invalid_field', { reason: 'number_range', min: 0, max: LIMITS.resumeMax });
  if (p.disclosure !== undefined && p.disclosure !== null) {
    if (charLength(p.disclosure) > LIMITS.disclosure) throw badRequest(`disclosure: at most ${LIMITS.disclosure} characters`, 'disclosure', 'too_long');
    refuseCardNumber(p.disclosure, 'disclosure');
    out.disclosure = p.disclosure.trim() || null;
  }
  if (p.fallbackText !== undefined) {
    if (!p.fallbackText.trim()) throw badRequest('fallback_text cannot be empty: customers receive it when the assistant cannot answer', 'fallback_text', 'invalid_field', { reason: 'fallback_empty' });
    if (charLength(p.fallbackText) > LIMITS.fallback) throw badRequest(`fallback_text: at most ${LIMITS.fallback} characters`, 'fallback_text', 'too_long');
    refuseCardNumber(p.fallbackText, 'fallback_text');
    out.fallbackText = p.fallbackText.trim();
  }
  if (p.replyLength !== undefined && !REPLY_LENGTHS.includes(p.replyLength)) throw badRequest('reply_length must be short, medium or long', 'reply_length');
  if (p.channelIds !== undefined) out.channelIds = cleanList(p.channelIds);
  if (p.transcriptionModel !== undefined) out.transcriptionModel = p.transcriptionModel.trim() || DEFAULT_TRANSCRIPTION_MODEL;
  return out;
}

/** Checks the settings as a whole once the patch is applied (what enabling needs). */
export function assertUsable(s: AiSettings, apiKeySet: boolean): void {
  if (!s.enabled) return;
  if (s.provider === 'compatible' && !s.baseUrl) throw badRequest('A compatible provider needs its base_url', 'base_url', 'invalid_field', { reason: 'base_url_required' });
  if (s.provider === 'openai' && !apiKeySet) throw badRequest('OpenAI needs an api_key', 'api_key', 'invalid_field', { reason: 'api_key_required' });
  if (s.provider !== 'faq' && !s.model) throw badRequest('Name the model to use', 'model', 'invalid_field', { reason: 'model_required' });
}

/** Applies a validated patch (on top of the current or default settings) in the caller's transaction. */
export async function writeAiSettings(db: Db, vault: Vault, clock: Clock, current: AiSettings, patch: AiSettingsPatch, by: string | null): Promise<void> {
  const next = { ...current, ...patch };
  const now = clock.now().toISOString();
  // A list set to null restores the defaults: stored as NULL, read as the defaults; an absent one stays.
  const keywordList = (k: 'stopKeywords' | 'startKeywords', column: string) => (patch[k] === undefined ? {} : { [column]: patch[k] === null ? null : JSON.stringify(patch[k]) });
  const row = {
    enabled: next.enabled ? 1 : 0, provider: next.provider, base_url: next.baseUrl, located_in_kazakhstan: next.locatedInKazakhstan ? 1 : 0,
    model: next.model || (next.provider === 'openai' ? DEFAULT_MODEL.openai : ''), instructions: next.instructions, facts: next.facts,
    faq: JSON.stringify(next.faq), languages: JSON.stringify(next.languages), handoff_keywords: JSON.stringify(next.handoffKeywords),
    ...keywordList('stopKeywords', 'stop_keywords'), ...keywordList('startKeywords', 'start_keywords'),
    faq_synonyms: JSON.stringify(next.faqSynonyms),
    redact: next.redact ? 1 : 0, debounce_seconds: next.debounceSeconds, resume_after_minutes: next.resumeAfterMinutes,
    disclosure: next.disclosure, fallback_text: next.fallbackText, reply_length: next.replyLength, channel_ids: JSON.stringify(next.channelIds),
    transcribe_voice: next.transcribeVoice ? 1 : 0, transcription_model: next.transcriptionModel, updated_by: by, updated_at: now,
    // A changed provider, endpoint or key gets a fresh chance: the "needs attention" mark is cleared.
    ...(patch.provider !== undefined || patch.baseUrl !== undefined || patch.apiKey !== undefined || patch.model !== undefined
      ? { provider_status: 'ok', provider_error: null, provider_error_at: null } : {}),
    ...(patch.apiKey !== undefined ? { api_key: patch.apiKey === null ? null : vault.seal(patch.apiKey.trim(), 'ai_settings.api_key') } : {}),
  };
  await db.insertInto('ai_settings').values({ client_id: current.clientId, created_at: now, ...row })
    .onConflict((oc) => oc.column('client_id').doUpdateSet(row)).execute();
}

/** Marks the provider "needs attention" (wrong key, quota) or clears the mark. */
export async function setProviderStatus(db: Db, clock: Clock, clientId: string, error: string | null): Promise<void> {
  const now = clock.now().toISOString();
  const exists = await db.selectFrom('ai_settings').select('client_id').where('client_id', '=', clientId).executeTakeFirst();
  if (!exists) return;
  await db.updateTable('ai_settings').set(error
    ? { provider_status: 'needs_attention', provider_error: error.slice(0, 500), provider_error_at: now }
    : { provider_status: 'ok', provider_error: null, provider_error_at: null }).where('client_id', '=', clientId).execute();
}
