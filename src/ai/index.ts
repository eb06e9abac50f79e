// The AI room: the assistant that answers customers (OpenAI, an OpenAI-compatible endpoint, or
// the offline FAQ responder), with cross-border consent, minimisation, bounded context,
// debounced replies, handoff and usage. Only this room speaks the `openai` SDK.

// Settings and consent.
export {
  getAiSettings, defaultAiSettings, validateAiPatch, setProviderStatus, AI_PROVIDERS, AI_LANGUAGES, REPLY_LENGTHS, LIMITS as AI_LIMITS,
  type AiSettings, type AiSettingsPatch, type AiProvider, type ReplyLength,
} from './ai-settings.ts';
export { updateAiSettings } from './update-settings.ts';
export {
  activeConsent, listConsents, recordTransferConsent, withdrawTransferConsent, assertTransferAllowed, crossesBorder, consentRequired, pseudonymiseConsentRecorder, clientsWithoutConsent, OFFSITE_BACKUP, type TransferKind,
  type TransferConsent, type ConsentActor,
} from './consent.ts';
export { DEFAULT_DISCLOSURE, DEFAULT_FALLBACK, DEFAULT_HANDOFF_KEYWORDS, TRANSFER_POLICY_VERSION, pickLanguageLine } from './defaults.ts';

// The pipeline: the responder step, the debounced reply job, the per-conversation state.
export { aiResponderStep, aiReplyJobHandler, scheduleReply, AI_REPLY_JOB } from './responder.ts';
export { answerConversation } from './reply-job.ts';
export { handoffNoticeHandler, enqueueHandoffNotice, HANDOFF_NOTIFY_JOB } from './handoff-notify.ts';
export { stopStartStep, STOP_STEP_ORDER } from './stop-step.ts';
export { type AiDeps, asksForHuman, aiApplies } from './gate.ts';
export { changeAiState, effectiveAiState, humanReplyWatcher } from './ai-state.ts';
export { aiStateAt, conversationAiInfo, type ConversationAiInfo } from './ai-state-view.ts';

// Playground, usage and report.
export { runPlayground, type PlaygroundInput, type PlaygroundResult } from './playground.ts';
export { usageByDay, aiReport, type UsageRow, type AiReport } from './usage.ts';
export { formatUsd } from './pricing.ts';

// Building blocks (benchmarks and tests use them too).
export { Redactor, NoRedaction, luhnValid } from './redact.ts';
export { FaqIndex, FAQ_CONFIDENCE_THRESHOLD, type FaqEntry, type FaqResult } from './faq-responder.ts';
export { findKeyword, containsWords, isCommand, isFormOf, StemMemo } from './keywords.ts';
export { detectLanguage, words, type Language } from './text-normalise.ts';
export { buildLexicon, BUILT_IN_SYNONYMS } from './lexicon.ts';
export { DEMO_FAQ } from './demo-faq.ts';
export { writeDemoAiSettings } from './demo-settings.ts';
export { countTokens, countChatTokens, warmTokenizer } from './tokenizer.ts';
export { selectWindow, foldSummary, buildChatMessages, DEFAULT_BUDGET, type ThreadMessage, type ChatMessage } from './context.ts';
export { prepareContext, loadRecentTurns, forgetSummaries } from './thread.ts';
export { runTurn, buildRequest, type TurnResult, type EngineDeps } from './reply-engine.ts';
export { AiProviderError, type CallOptions } from './openai-client.ts';
export { aiRecipients } from './recipients.ts';
