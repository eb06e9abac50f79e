// A client's automation as the hot path reads it: enabled rules (compiled, grouped by event),
// templates, hours, time zone, name and default language. Loaded once and kept until the
// client's revision changes (one indexed read per message) or a minute passes (the client's name,
// zone and languages live elsewhere). One cache per pipeline, built by the step's factory.
import type { Db } from '../db/index.ts';
import { getClient } from '../tenants/index.ts';
import { getAiSettings, StemMemo } from '../ai/index.ts';
import { compileRule, type Rule } from './evaluate.ts';
import { automationRevision, loadBusinessHours, loadRules, loadTemplates } from './store.ts';
import { DEFAULT_TIMEZONE, NO_HOURS, type BusinessHours } from './business-hours.ts';
import type { RuleEvent } from './rule-schema.ts';
import type { Template } from './templates.ts';

export interface ClientAutomation {
  revision: number;
  byEvent: Map<RuleEvent, Rule[]>;
  templates: Map<string, Template>;
  hours: BusinessHours;
  timezone: string;
  clientName: string;
  defaultLanguage: string;
  loadedAt: number;
  /** The stems of the rules' keywords and recent words, kept while the set is. */
  memo: StemMemo;
}

const EMPTY = (revision: number, loadedAt: number): ClientAutomation => ({
  revision, byEvent: new Map(), templates: new Map(), hours: NO_HOURS,
  timezone: DEFAULT_TIMEZONE, clientName: '', defaultLanguage: 'ru', loadedAt, memo: new StemMemo(),
});

/** Everything of one client's automation, read now (the tester and the timed jobs use it uncached). */
export async function loadClientAutomation(db: Db, clientId: string, revision: number, nowMs: number): Promise<ClientAutomation> {
  if (revision === 0) return EMPTY(0, nowMs);
  const [rules, templates, hours, client, ai] = await Promise.all([
    loadRules(db, clientId), loadTemplates(db, clientId), loadBusinessHours(db, clientId), getClient(db, clientId), getAiSettings(db, clientId),
  ]);
  const enabled = rules.filter((r) => r.enabled).map(compileRule);
  const byEvent = new Map<RuleEvent, Rule[]>();
  for (const r of enabled) byEvent.set(r.trigger.event, [...(byEvent.get(r.trigger.event) ?? []), r]);
  return {
    revision, byEvent, templates: new Map(templates.map((t) => [t.code, t])), hours,
    timezone: client.timezone || DEFAULT_TIMEZONE, clientName: client.name, defaultLanguage: ai.languages[0] ?? 'ru', loadedAt: nowMs, memo: new StemMemo(),
  };
}

const MAX_AGE_MS = 60_000;

/** Per-client cache of ClientAutomation keyed by revision. */
export class AutomationCache {
  private readonly byClient = new Map<string, ClientAutomation>();

  async get(db: Db, clientId: string, nowMs: number): Promise<ClientAutomation> {
    const revision = await automationRevision(db, clientId);
    const hit = this.byClient.get(clientId);
    if (hit && hit.revision === revision && nowMs - hit.loadedAt < MAX_AGE_MS) return hit;
    const fresh = await loadClientAutomation(db, clientId, revision, nowMs);
    this.byClient.set(clientId, fresh);
    return fresh;
  }
}
