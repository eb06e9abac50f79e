import { Hono, type Context } from 'hono';
import {
  AI_LIMITS, changeAiState, getAiSettings, listConsents, recordTransferConsent, TRANSFER_POLICY_VERSION, updateAiSettings, withdrawTransferConsent,
  type AiProvider, type AiSettingsPatch,
} from '../../ai/index.ts';
import { listChannelAccounts } from '../../channels/index.ts';
import { badRequest, isAppError } from '../../lib/errors.ts';
import type { Client } from '../../tenants/index.ts';
import { AiSettingsPage, type AiSettingsView } from '../../../views/pages/ai-settings.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { principalOf, scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

const STATE_ROLES = ['admin', 'owner', 'representative', 'agent'];

/**
 * FAQ textarea → entries: blocks separated by a blank line; the first line is the question, lines
 * starting with "?" are other phrasings of it, the rest the answer.
 */
export function parseFaqText(text: string): Array<{ question: string; questions?: string[]; answer: string }> {
  return text.replace(/\r\n/g, '\n').split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean).map((block, i) => {
    const [question, ...rest] = block.split('\n');
    const questions = rest.filter((l) => l.trim().startsWith('?')).map((l) => l.trim().slice(1).trim()).filter(Boolean);
    const answer = rest.filter((l) => !l.trim().startsWith('?')).join('\n').trim();
    if (!answer) throw badRequest(`FAQ entry ${i + 1} needs an answer on the lines after its question`, 'faq', 'invalid_field', { reason: 'faq_needs_answer', n: i + 1 });
    return { question: question.trim(), ...(questions.length ? { questions } : {}), answer };
  });
}

const commaList = (v: string | undefined) => (v ?? '').split(',').map((k) => k.trim()).filter(Boolean);

// Anything but a whole number reaches the domain as NaN, whose refusal names the allowed range.
const int = (v: string | undefined) => (/^-?\d{1,9}$/.test((v ?? '').trim()) ? Number(v) : Number.NaN);

/** The settings form → a patch (every field of the form is present; unticked boxes are false). */
export function formToPatch(f: Record<string, string>, channelIds: string[]): AiSettingsPatch {
  const on = (k: string) => f[k] === '1';
  const patch: AiSettingsPatch = {
    enabled: on('enabled'), provider: (f.provider ?? 'faq') as AiProvider, baseUrl: f.base_url ?? '', locatedInKazakhstan: on('located_in_kazakhstan'),
    model: f.model ?? '', instructions: f.instructions ?? '', facts: f.facts ?? '', faq: parseFaqText(f.faq ?? ''),
    languages: (['ru', 'kk', 'en'] as const).filter((l) => on(`lang_${l}`)),
    handoffKeywords: commaList(f.handoff_keywords),
    ...(f.stop_keywords !== undefined ? { stopKeywords: commaList(f.stop_keywords) } : {}),
    ...(f.start_keywords !== undefined ? { startKeywords: commaList(f.start_keywords) } : {}),
    ...(f.faq_synonyms !== undefined ? { faqSynonyms: f.faq_synonyms.split('\n').map(commaList).filter((g) => g.length > 0) } : {}),
    redact: on('redact'), debounceSeconds: int(f.debounce_seconds), resumeAfterMinutes: int(f.resume_after_minutes),
    disclosure: on('disclosure_off') ? null : f.disclosure ?? '', fallbackText: f.fallback_text ?? '', replyLength: (f.reply_length ?? 'medium') as AiSettingsPatch['replyLength'],
    channelIds: channelIds.filter((id) => on(`channel_${id}`)), transcribeVoice: on('transcribe_voice'),
  };
  if (on('api_key_clear')) patch.apiKey = null;
  else if ((f.api_key ?? '').trim()) patch.apiKey = f.api_key.trim();
  return patch;
}

const actorOf = (c: Context<HttpEnv>) => ({ id: c.get('user')!.id, label: c.get('user')!.email, ip: c.get('ip') });

async function page(c: Context<HttpEnv>, client: Client, extra: Partial<AiSettingsView> = {}, status = 200) {
  const ctx = c.get('ctx');
  const user = c.get('user')!;
  const d: AiSettingsView = {
    client, settings: await getAiSettings(ctx.db, client.id), consents: await listConsents(ctx.db, client.id), policyVersion: TRANSFER_POLICY_VERSION,
    channels: (await listChannelAccounts(ctx.db, client.id)).map((a) => ({ id: a.id, name: a.name, kind: a.kind })),
    canEdit: CLIENT_EDITOR_ROLES.includes(user.role), isOwner: user.role === 'owner' && user.clientId === client.id,
    limits: { debounceMax: AI_LIMITS.debounceMax, resumeMax: AI_LIMITS.resumeMax }, ...extra,
  };
  return html(c, <AiSettingsPage v={viewContext(c, { timezone: client.timezone })} d={d} />, status);
}

const back = (c: Context<HttpEnv>, client: Client, key: string, anchor = '') =>
  c.redirect(flashUrl(c, `/clients/${client.slug}/ai${anchor}`, key), 303);

/** The AI settings screen of a client, with the owner's transfer authorisation. */
export function aiRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/ai', requireUser(), async (c) => page(c, await scopedClient(c, { what: 'ai.settings' })));

  app.post('/clients/:slug/ai', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'ai.settings.update' });
    const f = await readForm(c);
    const channelIds = (await listChannelAccounts(ctx.db, client.id)).map((a) => a.id);
    try {
      await updateAiSettings(ctx.db, ctx.vault, ctx.clock, client.id, formToPatch(f, channelIds), actorOf(c));
      return back(c, client, 'ai.saved');
    } catch (err) {
      const t = viewContext(c).t;
      if (isAppError(err) && err.code === 'transfer_consent_required') return page(c, client, { values: f, errors: { consent: t('ai.consent.required') } }, 409);
      const errors = formErrors(err, t);
      if (!errors) throw err;
      return page(c, client, { values: f, errors }, 422);
    }
  });

  app.post('/clients/:slug/ai/consent', requireUser(['owner']), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: ['owner'], what: 'ai.consent.record' });
    const f = await readForm(c);
    if (f.agree !== '1') throw badRequest('Tick the authorisation text to record it', 'agree', 'invalid_field', { reason: 'tick_to_agree' });
    const provider = f.provider === 'openai' ? 'openai' : 'compatible';
    const s = await getAiSettings(ctx.db, client.id);
    const destination = provider === 'openai' ? 'api.openai.com' : s.baseUrl ? new URL(s.baseUrl).host : '';
    await recordTransferConsent(ctx.db, ctx.clock, principalOf(c.get('user')!), { clientId: client.id, provider, destination, ip: c.get('ip') });
    return back(c, client, 'ai.consent.recorded', '#consent');
  });

  app.post('/clients/:slug/ai/consent/withdraw', requireUser(['owner']), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: ['owner'], what: 'ai.consent.withdraw' });
    const f = await readForm(c);
    const provider = f.provider === 'openai' ? 'openai' : 'compatible';
    await withdrawTransferConsent(ctx.db, ctx.clock, principalOf(c.get('user')!), { clientId: client.id, provider, ip: c.get('ip') });
    return back(c, client, 'ai.consent.withdrawn', '#consent');
  });

  // The inbox's AI buttons: pause (for N minutes or until resumed), resume, off. Audited.
  app.post('/clients/:slug/ai/conversations/:id/state', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: STATE_ROLES, what: 'ai.state' });
    const f = await readForm(c);
    const state = f.state;
    if (state !== 'active' && state !== 'paused' && state !== 'off') throw badRequest('The state must be active, paused or off', 'state');
    const minutes = f.minutes && /^\d{1,5}$/.test(f.minutes) ? Number(f.minutes) : null;
    await changeAiState(ctx, actorOf(c), client.id, c.req.param('id'), state, minutes);
    const next = f.next && f.next.startsWith(`/clients/${client.slug}/`) ? f.next : `/clients/${client.slug}/inbox`;
    return c.redirect(flashUrl(c, next, 'ai.state.changed'), 303);
  });

  return app;
}
