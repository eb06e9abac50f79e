// The playground: the client's assistant on a made-up conversation. Shows the exact request
// that would leave the appliance (after minimisation), the reply, the tokens and the estimated
// cost. Same consent gate as real traffic; nothing is billed or stored besides the call record.
import { getAiSettings } from './ai-settings.ts';
import { countChatTokens, foldSummary, selectWindow, type ThreadMessage } from './context.ts';
import { buildRequest, runTurn, type EngineDeps, type TurnResult } from './reply-engine.ts';
import { NoRedaction, Redactor } from './redact.ts';

export interface PlaygroundInput {
  clientId: string;
  businessName: string;
  /** One message per line; "a:" / "assistant:" / "ai:" lines are the assistant's, the rest the customer's. */
  script: string;
  /** Only show the request; do not call the provider. */
  dryRun?: boolean;
}

export interface PlaygroundResult extends TurnResult {
  /** The request body as it would be sent (pretty JSON). */
  requestJson: string | null;
  promptTokens: number;
  turns: number;
}

export const MAX_SCRIPT_LENGTH = 20_000;

function parseScript(script: string): ThreadMessage[] {
  return script.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 500).map((line, i) => {
    const m = /^(a|assistant|ai|ассистент|ии|c|customer|клиент|user)\s*:\s*(.*)$/i.exec(line);
    const role = m && /^(a|assistant|ai|ассистент|ии)$/i.test(m[1]) ? 'assistant' as const : 'customer' as const;
    return { id: String(i).padStart(6, '0'), role, text: m ? m[2] : line };
  });
}

export async function runPlayground(deps: EngineDeps, input: PlaygroundInput): Promise<PlaygroundResult> {
  const settings = await getAiSettings(deps.db, input.clientId);
  const turns = parseScript(input.script.slice(0, MAX_SCRIPT_LENGTH));
  const { window, older } = selectWindow(turns);
  const summary = older.length ? foldSummary(null, older) : null;
  const turn = { clientId: input.clientId, conversationId: null, businessName: input.businessName, settings, window, summary, playground: true };
  if (settings.provider === 'faq') {
    // Local: nothing leaves the appliance, so there is no request to show.
    return { ...(await runTurn(deps, turn)), requestJson: null, promptTokens: 0, turns: turns.length };
  }
  if (input.dryRun) {
    const redactor = settings.redact ? new Redactor() : new NoRedaction();
    const { body, messages } = buildRequest(turn, redactor);
    return {
      outcome: { kind: 'answer', text: '' }, request: body, usage: null, redacted: Object.values(redactor.counts).reduce((a, b) => a + b, 0),
      requestJson: JSON.stringify(body, null, 2), promptTokens: countChatTokens(messages), turns: turns.length,
    };
  }
  const r = await runTurn(deps, turn);
  return { ...r, requestJson: r.request ? JSON.stringify(r.request, null, 2) : null, promptTokens: r.request ? countChatTokens(r.request.messages as Array<{ content: string }>) : 0, turns: turns.length };
}
