import { Layout, Field, Csrf, ErrorSummary } from '../layout.tsx';
import { AiTabs, ClientTabs, SelectField, TextAreaField } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { AiSettings, TransferConsent } from '../../src/ai/index.ts';

export interface AiSettingsView {
  client: Client;
  settings: AiSettings;
  channels: Array<{ id: string; name: string; kind: string }>;
  consents: TransferConsent[];
  policyVersion: string;
  canEdit: boolean;
  isOwner: boolean;
  /** The ranges of the number fields. */
  limits: { debounceMax: number; resumeMax: number };
  /** Form values after a failed save (as typed). */
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

/** FAQ entries as the textarea shows them: question line, answer lines, blank line between. */
export const faqToText = (faq: AiSettings['faq']) => faq.map((e) => [e.question, ...(e.questions ?? []).map((q) => `? ${q}`), e.answer].join('\n')).join('\n\n');

const ABROAD: Array<'openai' | 'compatible'> = ['openai', 'compatible'];

function ConsentCard({ v, d }: { v: ViewContext; d: AiSettingsView }) {
  const base = `/clients/${d.client.slug}/ai/consent`;
  return (
    <section class="card" id="consent">
      <h2>{v.t('ai.consent.title')}</h2>
      <p class="muted">{v.t('ai.consent.intro', { version: d.policyVersion })}</p>
      <table class="stack">
        <tbody>
          {ABROAD.map((p) => {
            const active = d.consents.find((c) => c.provider === p && !c.withdrawnAt);
            return (
              <tr>
                <td>{v.t(`ai.provider.${p}`)}</td>
                <td data-testid={`consent-${p}`}>
                  {active ? <span class="badge on">{v.t('ai.consent.in_force', { who: active.recordedByLabel, when: v.time(active.recordedAt), version: active.policyVersion })}</span>
                    : <span class="badge off">{v.t('ai.consent.none')}</span>}
                </td>
                <td>
                  {d.isOwner ? (
                    <form method="post" action={active ? `${base}/withdraw` : base} class="inline">
                      <Csrf v={v} />
                      <input type="hidden" name="provider" value={p} />
                      {active ? null : <label class="check"><input type="checkbox" name="agree" value="1" required /> <small>{v.t('ai.consent.policy', { version: d.policyVersion })}</small></label>}
                      <button type="submit" class={active ? 'small danger' : 'small'}>{v.t(active ? 'ai.consent.withdraw' : 'ai.consent.record')}</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {d.isOwner ? null : <p class="muted"><small>{v.t('ai.consent.owner_only')}</small></p>}
      {d.consents.length ? (
        <details>
          <summary>{v.t('ai.consent.history')}</summary>
          <ul>{d.consents.map((c) => <li>{c.provider}: {v.t('ai.consent.in_force', { who: c.recordedByLabel, when: v.time(c.recordedAt), version: c.policyVersion })}{c.withdrawnAt ? `, ${v.t('ai.consent.withdrawn_at', { when: v.time(c.withdrawnAt) })}` : ''}</li>)}</ul>
        </details>
      ) : null}
    </section>
  );
}

/** The form's fields by name, as the error summary names them. */
const fieldLabels = (v: ViewContext): Record<string, string> => ({
  provider: v.t('ai.provider'), base_url: v.t('ai.base_url'), model: v.t('ai.model'), api_key: v.t('ai.api_key'), instructions: v.t('ai.instructions'),
  facts: v.t('ai.facts'), faq: v.t('ai.faq.short'), languages: v.t('ai.languages'), faq_synonyms: v.t('ai.synonyms.short'), handoff_keywords: v.t('ai.keywords'),
  stop_keywords: v.t('ai.stop_keywords'), start_keywords: v.t('ai.start_keywords'), debounce_seconds: v.t('ai.debounce'), resume_after_minutes: v.t('ai.resume'),
  disclosure: v.t('ai.disclosure.short'), fallback_text: v.t('ai.fallback'), reply_length: v.t('ai.reply_length'),
});

/** The errors that belong to one input (the consent error has its own line above the form). */
const fieldErrors = (e: Record<string, string>) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'consent'));

export function AiSettingsPage({ v, d }: { v: ViewContext; d: AiSettingsView }) {
  const s = d.settings;
  const val = (name: string, current: string) => d.values?.[name] ?? current;
  const checked = (name: string, current: boolean) => (d.values ? d.values[name] === '1' : current);
  const e = d.errors ?? {};
  const base = `/clients/${d.client.slug}/ai`;
  return (
    <Layout v={v} title={`${v.t('ai.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('ai.title')}</h1>
      <AiTabs v={v} slug={d.client.slug} />
      <p class="muted">{v.t('ai.intro')}</p>
      <p>
        {s.providerStatus === 'ok' ? <span class="badge on">{v.t('ai.status.ok')}</span> : <span class="badge off" data-testid="needs-attention">{v.t('ai.status.needs_attention')}</span>}
      </p>
      {s.providerStatus === 'needs_attention' ? <p class="error" role="alert">{v.t('ai.status.error', { error: s.providerError ?? '' })}</p> : null}
      {e.consent ? <p class="error" role="alert">{e.consent}</p> : null}
      <ErrorSummary v={v} errors={fieldErrors(e)} labels={fieldLabels(v)} />
      {/* Fields marked data-providers show only while one of those providers is chosen (app.css, :has()). */}
      <form method="post" action={base} class="card ai-form">
        <Csrf v={v} />
        <input type="hidden" name="_form" value="1" />
        <fieldset disabled={!d.canEdit}>
          <label class="check"><input type="checkbox" name="enabled" value="1" checked={checked('enabled', s.enabled)} /> {v.t('ai.enabled')}</label>
          <SelectField label={v.t('ai.provider')} name="provider" value={val('provider', s.provider)} error={e.provider}
            options={(['faq', 'compatible', 'openai'] as const).map((p) => [p, v.t(`ai.provider.${p}`)])} />
          <div data-providers="compatible">
            <Field label={v.t('ai.base_url')} name="base_url" type="url" value={val('base_url', s.baseUrl ?? '')} error={e.base_url} placeholder="http://10.0.0.5:8000/v1" />
            <label class="check"><input type="checkbox" name="located_in_kazakhstan" value="1" checked={checked('located_in_kazakhstan', s.locatedInKazakhstan)} /> {v.t('ai.located_in_kz')}</label>
          </div>
          <div data-providers="compatible openai">
            <Field label={v.t('ai.model')} name="model" value={val('model', s.model)} error={e.model} placeholder="gpt-4o-mini" />
            <Field label={v.t('ai.api_key')} name="api_key" type="password" error={e.api_key} autocomplete="off" />
            {s.apiKeySet ? <p class="muted"><small>{v.t('ai.api_key_set')}</small> <label class="check"><input type="checkbox" name="api_key_clear" value="1" /> {v.t('ai.api_key_clear')}</label></p> : null}
            <TextAreaField label={v.t('ai.instructions')} name="instructions" value={val('instructions', s.instructions)} error={e.instructions} rows={4} />
            <TextAreaField label={v.t('ai.facts')} name="facts" value={val('facts', s.facts)} error={e.facts} rows={4} />
          </div>
          <div data-providers="faq">
            <TextAreaField label={v.t('ai.faq')} name="faq" value={val('faq', faqToText(s.faq))} error={e.faq} rows={8} />
          </div>
          <fieldset id="field-languages" class={e.languages ? 'field invalid' : 'field'}>
            <legend>{v.t('ai.languages')}</legend>
            {(['ru', 'kk', 'en'] as const).map((l) => <label class="check"><input type="checkbox" name={`lang_${l}`} value="1" checked={d.values ? d.values[`lang_${l}`] === '1' : s.languages.includes(l)} /> {l}</label>)}
            {e.languages ? <small class="error">{e.languages}</small> : null}
          </fieldset>
          <div data-providers="faq">
            <TextAreaField label={v.t('ai.synonyms')} name="faq_synonyms" value={val('faq_synonyms', s.faqSynonyms.map((g) => g.join(', ')).join('\n'))} error={e.faq_synonyms} rows={3} />
          </div>
          <Field label={v.t('ai.keywords')} name="handoff_keywords" value={val('handoff_keywords', s.handoffKeywords.join(', '))} error={e.handoff_keywords} />
          <div class="grid2">
            <Field label={v.t('ai.stop_keywords')} name="stop_keywords" value={val('stop_keywords', s.stopKeywords.join(', '))} error={e.stop_keywords} />
            <Field label={v.t('ai.start_keywords')} name="start_keywords" value={val('start_keywords', s.startKeywords.join(', '))} error={e.start_keywords} />
          </div>
          <label class="check" data-providers="compatible openai"><input type="checkbox" name="redact" value="1" checked={checked('redact', s.redact)} /> {v.t('ai.redact')}</label>
          <div class="grid2">
            <Field label={v.t('ai.debounce')} name="debounce_seconds" type="number" min={0} max={d.limits.debounceMax} value={val('debounce_seconds', String(s.debounceSeconds))} error={e.debounce_seconds} />
            <Field label={v.t('ai.resume')} name="resume_after_minutes" type="number" min={0} max={d.limits.resumeMax} value={val('resume_after_minutes', String(s.resumeAfterMinutes))} error={e.resume_after_minutes} />
          </div>
          <TextAreaField label={v.t('ai.disclosure')} name="disclosure" value={val('disclosure', s.disclosure ?? '')} error={e.disclosure} rows={3} />
          <label class="check"><input type="checkbox" name="disclosure_off" value="1" checked={checked('disclosure_off', s.disclosure === null)} /> {v.t('ai.disclosure_off')}</label>
          <TextAreaField label={v.t('ai.fallback')} name="fallback_text" value={val('fallback_text', s.fallbackText)} error={e.fallback_text} rows={3} />
          <div data-providers="compatible openai">
            <SelectField label={v.t('ai.reply_length')} name="reply_length" value={val('reply_length', s.replyLength)} error={e.reply_length}
              options={(['short', 'medium', 'long'] as const).map((l) => [l, v.t(`ai.reply_length.${l}`)])} />
          </div>
          {d.channels.length ? (
            <fieldset class="field">
              <legend>{v.t('ai.channels')}</legend>
              {d.channels.map((ch) => <label class="check"><input type="checkbox" name={`channel_${ch.id}`} value="1" checked={d.values ? d.values[`channel_${ch.id}`] === '1' : s.channelIds.includes(ch.id)} /> {ch.name} <small class="muted">{ch.kind}</small></label>)}
            </fieldset>
          ) : null}
          <label class="check" data-providers="compatible openai"><input type="checkbox" name="transcribe_voice" value="1" checked={checked('transcribe_voice', s.transcribeVoice)} /> {v.t('ai.transcribe')}</label>
          <p><button type="submit">{v.t('common.save')}</button></p>
        </fieldset>
      </form>
      <ConsentCard v={v} d={d} />
    </Layout>
  );
}
