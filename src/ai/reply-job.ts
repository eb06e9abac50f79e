// The work of one debounced `ai.reply` job: answer, hand off, or fall back — and commit the
// reply with the conversation's AI bookkeeping in one transaction, after checking again that
// nobody (a person, an earlier run) answered meanwhile.
import fs from 'node:fs';
import type { Db } from '../db/index.ts';
import {
  businessRepliedAfter, changeReplyStateIn, findContact, findConversation, findMessage, getAttachment, inTransaction, queueOutbound, type Conversation,
} from '../messaging/index.ts';
import { clientSlugAndName } from '../tenants/index.ts';
import { getAiSettings, openApiKey, type AiSettings } from './ai-settings.ts';
import { effectiveAiState } from './ai-state.ts';
import { assertTransferAllowed } from './consent.ts';
import { pickLanguageLine } from './defaults.ts';
import { transcribeAudio } from './openai-client.ts';
import { runTurn, type TurnResult } from './reply-engine.ts';
import { aiApplies, type AiDeps } from './gate.ts';
import { detectLanguage } from './text-normalise.ts';
import { quietSeconds } from './quiet-period.ts';
import { getAiConversation, loadRecentTurns, prepareContext, upsertAiConversation, type Turn } from './thread.ts';
import { recordAiCall } from './usage.ts';
import { enqueueHandoffNotice } from './handoff-notify.ts';
import { aiQuotaReached } from '../billing/index.ts';

/** Customer turns after the business's last real answer (AI, rule or person; not notices). */
export function unanswered(turns: Turn[]): Turn[] {
  let i = turns.length - 1;
  while (i >= 0 && !(turns[i].direction === 'out' && turns[i].authorKind !== 'system')) i--;
  return turns.slice(i + 1).filter((t) => t.direction === 'in');
}

/** Answers the conversation's pending question; returns what happened (null: nothing to do) and the provider's share of the time. */
export async function answerConversation(deps: AiDeps, conversationId: string): Promise<{ outcome: string; providerMs: number } | null> {
  const conv = await findConversation(deps.db, conversationId);
  if (!conv) return null; // erased meanwhile
  const [s, contact, client] = await Promise.all([
    getAiSettings(deps.db, conv.clientId),
    findContact(deps.db, conv.contactId),
    clientSlugAndName(deps.db, conv.clientId),
  ]);
  if (!contact || !aiApplies(s, conv.channelAccountId, contact)) return null;
  const turns = await loadRecentTurns(deps.db, conv.id);
  if ((await effectiveAiState(deps, conv, s, turns)) !== 'active') return null;
  const pending = unanswered(turns);
  if (pending.length === 0) return null; // answered already (a re-run after a crash, or a person)
  const newest = pending[pending.length - 1];
  // A message arrived inside the quiet period after this job was due: its own job answers.
  if (new Date(newest.createdAt).getTime() + quietSeconds(newest.text, s.debounceSeconds) * 1000 > deps.clock.now().getTime()) return null;

  const state = await getAiConversation(deps.db, conv.id);
  // The plan's limit was reached since the question was scheduled: hand off once, with the fallback text, no provider call.
  if (await aiQuotaReached(deps.db, deps.clock, conv.clientId)) {
    await commitTurn(deps, conv, s, newest, { outcome: { kind: 'handoff', reason: 'plan_quota', detail: 'plan limit reached' }, request: null, usage: null, redacted: 0 }, null, state?.failures ?? 0);
    return { outcome: 'handoff', providerMs: 0 };
  }
  await transcribeVoiceNotes(deps, s, conv, turns, pending);
  const ctx = prepareContext(turns, state);
  const result = await runTurn(deps, { clientId: conv.clientId, conversationId: conv.id, businessName: client?.name ?? '', settings: s, window: ctx.window, summary: ctx.summary });
  await commitTurn(deps, conv, s, newest, result, ctx.nextSummary, state?.failures ?? 0);
  return { outcome: result.outcome.kind, providerMs: result.usage?.provider === 'faq' ? 0 : result.usage?.latencyMs ?? 0 };
}

async function commitTurn(deps: AiDeps, conv: Conversation, s: AiSettings, newest: Turn, result: TurnResult, nextSummary: { summary: string | null; throughId: string } | null, failures: number): Promise<void> {
  const lang = detectLanguage(newest.text, s.languages[0] ?? 'ru');
  const o = result.outcome;
  await inTransaction(deps, async (trx, events) => {
    const now = deps.clock.now().toISOString();
    const c = await findConversation(trx, conv.id);
    if (!c || c.aiState !== 'active') return; // a person took over during the call
    // Anything from the business after the newest question means it was answered meanwhile.
    if (await businessRepliedAfter(trx, conv.id, newest.id)) return;
    const ids = { conversationId: c.id, clientId: c.clientId, contactId: c.contactId };
    const bookkeeping = nextSummary ? { summary: nextSummary.summary, summary_through_id: nextSummary.throughId } : {};
    if (o.kind === 'answer') {
      const { events: e } = await queueOutbound(trx, deps.clock, c, { text: o.text.slice(0, 4096), authorKind: 'ai' });
      events.push(...e);
      const prev = await getAiConversation(trx, c.id);
      await upsertAiConversation(trx, deps.clock, ids, { ...bookkeeping, failures: 0, first_ai_reply_at: prev?.first_ai_reply_at ?? now });
      return;
    }
    // Handoff (the model asked, or the FAQ has no answer) or failure: the customer gets the
    // client's fallback text, never an error, and a person takes over.
    const reason = o.kind === 'failed' ? 'failures' : o.reason;
    if (!(await changeReplyStateIn(trx, deps.clock, events, c, c, { to: 'handed_off', reason })).applied) return;
    await upsertAiConversation(trx, deps.clock, ids, { ...bookkeeping, handoff_reason: reason, handed_off_at: now, failures: o.kind === 'failed' ? failures + 1 : failures });
    await enqueueHandoffNotice(trx, deps.clock, c, reason);
    const { events: e } = await queueOutbound(trx, deps.clock, c, { text: pickLanguageLine(s.fallbackText, lang), authorKind: 'ai' });
    events.push(...e);
  });
  if (o.kind !== 'answer') deps.log.info('ai', 'handed off to a person', { client_id: conv.clientId, conversation_id: conv.id, reason: o.kind === 'failed' ? `failed:${o.code}` : o.reason });
}

/** Voice notes among the pending turns get their transcript as text (same consent rules as chat). */
async function transcribeVoiceNotes(deps: AiDeps, s: AiSettings, conv: Conversation, turns: Turn[], pending: Turn[]): Promise<void> {
  if (!s.transcribeVoice || s.provider === 'faq') return;
  const voice = pending.filter((t) => t.text.startsWith('[attachment:'));
  if (voice.length === 0) return;
  try {
    await assertTransferAllowed(deps.db, conv.clientId, s);
  } catch {
    return;
  }
  const apiKey = await openApiKey(deps.db, deps.vault, conv.clientId);
  for (const t of voice) {
    const audio = await audioOf(deps.db, deps.config.dataDir, conv.clientId, t.id);
    if (!audio) continue;
    try {
      const r = await transcribeAudio({ provider: s.provider as 'openai' | 'compatible', baseUrl: s.baseUrl, apiKey, model: s.model }, audio, s.transcriptionModel, deps.callOptions);
      await recordAiCall(deps.db, deps.clock, { clientId: conv.clientId, conversationId: conv.id, kind: 'transcription', provider: s.provider, model: s.transcriptionModel, tokensIn: 0, tokensOut: 0, latencyMs: r.latencyMs, attempts: r.attempts, outcome: 'answered' });
      const turn = turns.find((x) => x.id === t.id);
      if (turn && r.text) turn.text = `(voice message) ${r.text}`;
    } catch (err) {
      deps.log.warn('ai', 'transcription failed', { client_id: conv.clientId, conversation_id: conv.id, error: (err as Error).message });
    }
  }
}

async function audioOf(db: Db, dataDir: string, clientId: string, messageId: string): Promise<{ data: Uint8Array; fileName: string; mime: string } | undefined> {
  const m = await findMessage(db, messageId);
  const a = m?.attachments.find((x) => x.id && x.mime?.startsWith('audio/'));
  if (!a?.id) return undefined;
  const stored = await getAttachment(db, dataDir, clientId, a.id);
  return { data: fs.readFileSync(stored.file), fileName: stored.name, mime: stored.mime };
}
