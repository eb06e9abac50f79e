import { Layout, Csrf } from '../layout.tsx';
import { AiTabs, ClientTabs, TextAreaField } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { PlaygroundResult } from '../../src/ai/index.ts';

export interface PlaygroundView {
  client: Client;
  provider: string;
  script: string;
  result?: PlaygroundResult & { cost: string };
  error?: string;
}

export const SAMPLE_SCRIPT = [
  'Здравствуйте! Меня зовут Айгерим, мой номер +7 701 234 56 78.',
  'a: Здравствуйте, Айгерим! Чем могу помочь?',
  'Сколько стоит доставка по Алматы?',
].join('\n');

function Outcome({ v, r }: { v: ViewContext; r: NonNullable<PlaygroundView['result']> }) {
  const o = r.outcome;
  if (o.kind === 'handoff') return <p data-testid="playground-outcome">{v.t('ai.playground.handoff', { detail: o.reason === 'tool' ? o.detail : v.t(`ai.reason.${o.reason}`) })}</p>;
  if (o.kind === 'failed') return <p class="error" data-testid="playground-outcome">{v.t('ai.playground.failed', { code: o.code })}</p>;
  return o.text ? <blockquote data-testid="playground-outcome">{o.text}</blockquote> : null;
}

export function PlaygroundPage({ v, d }: { v: ViewContext; d: PlaygroundView }) {
  const r = d.result;
  return (
    <Layout v={v} title={`${v.t('ai.playground')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('ai.playground')}</h1>
      <AiTabs v={v} slug={d.client.slug} />
      <p class="muted">{v.t('ai.playground.intro')}</p>
      <form method="post" action={`/clients/${d.client.slug}/ai/playground`} class="card">
        <Csrf v={v} />
        <TextAreaField label={v.t('ai.playground.script')} name="script" value={d.script} rows={8} error={d.error} />
        <p>
          <button type="submit" name="mode" value="run">{v.t('ai.playground.run')}</button>{' '}
          {d.provider === 'faq' ? null : <button type="submit" name="mode" value="dry" class="secondary">{v.t('ai.playground.dry')}</button>}
        </p>
      </form>
      {r ? (
        <section class="card">
          <h2>{v.t('ai.playground.reply')}</h2>
          <Outcome v={v} r={r} />
          {r.usage && r.usage.provider !== 'faq' ? <p class="muted">{v.t('ai.playground.tokens', { in: r.usage.tokensIn, out: r.usage.tokensOut, cost: r.cost, redacted: r.redacted })}</p> : null}
          <h2>{v.t('ai.playground.request')}</h2>
          {r.requestJson ? (
            <>
              <p class="muted">{v.t('ai.playground.prompt_tokens', { n: r.promptTokens })}</p>
              <pre data-testid="playground-request">{r.requestJson}</pre>
            </>
          ) : <p class="muted">{v.t('ai.playground.no_request')}</p>}
        </section>
      ) : null}
    </Layout>
  );
}
