import { Layout, Field, Csrf } from '../layout.tsx';
import { ActionButton, ClientTabs, SelectField } from '../controls.tsx';
import type { ViewContext } from '../view-context.ts';
import type { Client } from '../../src/tenants/index.ts';
import type { Action, StoredRule } from '../../src/automation/index.ts';

// The automation screen: its tabs, the rules list (order, on/off, last fired, count) and the rule form.

const TABS = ['', 'templates', 'hours', 'tester', 'transfer'] as const;
const TAB_KEYS: Record<string, string> = { '': 'rules', templates: 'templates', hours: 'hours', tester: 'tester', transfer: 'transfer' };

export const automationBase = (slug: string) => `/clients/${slug}/automation`;

export function AutomationTabs({ v, slug, active }: { v: ViewContext; slug: string; active: string }) {
  return (
    <nav class="subtabs" aria-label={v.t('automation.title')}>
      {TABS.map((tab) => (
        <a href={tab ? `${automationBase(slug)}/${tab}` : automationBase(slug)} class={tab === active ? 'active' : ''} aria-current={tab === active ? 'page' : undefined}>
          {v.t(`automation.tab.${TAB_KEYS[tab]}`)}
        </a>
      ))}
    </nav>
  );
}

/** The one argument an action takes, by its type. */
export const ACTION_ARG: Record<string, string | undefined> = {
  send_template: 'code', add_tag: 'tag', remove_tag: 'tag', hand_off: 'reason', pause_ai: 'minutes', assign: 'member_id', call_webhook: 'webhook_id',
};

export const actionText = (v: ViewContext, a: Action) => {
  const arg = ACTION_ARG[a.type];
  const value = arg ? String((a as Record<string, unknown>)[arg]) : '';
  return `${v.t(`automation.action.${a.type}`)}${value ? `: ${value}` : ''}`;
};

export interface RulesView {
  client: Client;
  rules: StoredRule[];
  canManage: boolean;
}

export function AutomationPage({ v, d }: { v: ViewContext; d: RulesView }) {
  const base = automationBase(d.client.slug);
  return (
    <Layout v={v} title={`${v.t('automation.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{v.t('automation.title')}</h1>
      <AutomationTabs v={v} slug={d.client.slug} active="" />
      <p class="muted">{v.t('automation.intro')}</p>
      {d.rules.length === 0 ? <p class="muted">{v.t('automation.rules.none')}</p> : (
        <table data-testid="rules">
          <thead><tr>
            <th>{v.t('automation.rules.order')}</th><th>{v.t('automation.rules.name')}</th><th>{v.t('automation.rules.when')}</th><th>{v.t('automation.rules.then')}</th>
            <th>{v.t('automation.rules.state')}</th><th>{v.t('automation.rules.last_fired')}</th><th>{v.t('automation.rules.count')}</th><th></th>
          </tr></thead>
          <tbody>
            {d.rules.map((r, i) => (
              <tr data-rule={r.name}>
                <td>{i + 1}</td>
                <td>{d.canManage ? <a href={`${base}/rules/${r.id}`}>{r.name}</a> : r.name}</td>
                <td>{v.t(`automation.event.${r.trigger.event}`, { minutes: String(r.trigger.minutes ?? 'N') })}</td>
                <td>{r.actions.map((a) => actionText(v, a)).join('; ')}</td>
                <td>{r.enabled ? <span class="badge on">{v.t('automation.rules.enabled')}</span> : <span class="badge off">{v.t('automation.rules.disabled')}</span>}</td>
                <td>{r.lastFiredAt ? v.time(r.lastFiredAt) : v.t('automation.rules.never')}</td>
                <td>{r.firedCount}</td>
                <td class="row-actions">
                  {d.canManage ? (
                    <>
                      <ActionButton v={v} action={`${base}/rules/${r.id}/toggle`} label={v.t(r.enabled ? 'automation.rules.disable' : 'automation.rules.enable')} />
                      {i > 0 ? <ActionButton v={v} action={`${base}/rules/${r.id}/move`} label={v.t('automation.rules.up')}><input type="hidden" name="dir" value="up" /></ActionButton> : null}
                      {i < d.rules.length - 1 ? <ActionButton v={v} action={`${base}/rules/${r.id}/move`} label={v.t('automation.rules.down')}><input type="hidden" name="dir" value="down" /></ActionButton> : null}
                      <ActionButton v={v} action={`${base}/rules/${r.id}/delete`} label={v.t('automation.rules.delete')} danger />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.canManage ? <p><a class="button" href={`${base}/rules/new`}>{v.t('automation.rules.add')}</a></p> : null}
    </Layout>
  );
}

/** The rule form's values: rows of conditions and actions as the form posts them. */
export interface RuleFormValues {
  name: string;
  enabled: boolean;
  event: string;
  minutes: string;
  conditions: Array<{ type: string; value: string }>;
  actions: Array<{ type: string; value: string }>;
}

export interface RuleFormView {
  client: Client;
  id?: string;
  values: RuleFormValues;
  events: readonly string[];
  conditionTypes: readonly string[];
  actionTypes: readonly string[];
  templateCodes: string[];
  errors?: Record<string, string>;
}

/** At least this many rows of each, so a new condition or action needs no script. */
const MIN_ROWS = 3;
const padded = <T,>(rows: T[], blank: T) => [...rows, ...Array.from({ length: Math.max(MIN_ROWS - rows.length, 1) }, () => blank)];

export function RuleFormPage({ v, d }: { v: ViewContext; d: RuleFormView }) {
  const base = automationBase(d.client.slug);
  const e = d.errors ?? {};
  const none: [string, string] = ['', v.t('automation.rule.none')];
  return (
    <Layout v={v} title={`${v.t('automation.title')} · ${d.client.name}`}>
      <ClientTabs v={v} slug={d.client.slug} name={d.client.name} />
      <h1>{d.id ? v.t('automation.rule.title_edit', { name: d.values.name }) : v.t('automation.rule.title_new')}</h1>
      <AutomationTabs v={v} slug={d.client.slug} active="" />
      {e.form ? <p class="error" role="alert">{e.form}</p> : null}
      <form method="post" action={d.id ? `${base}/rules/${d.id}` : `${base}/rules`} class="card rule-form">
        <Csrf v={v} />
        <Field label={v.t('automation.rules.name')} name="name" value={d.values.name} error={e.name} required />
        <label class="check"><input type="checkbox" name="enabled" value="1" checked={d.values.enabled} /> {v.t('automation.rules.enabled')}</label>
        <SelectField label={v.t('automation.rule.event')} name="event" value={d.values.event} options={d.events.map((x) => [x, v.t(`automation.event.${x}`, { minutes: 'N' })])} error={e.event} />
        <Field label={v.t('automation.rule.minutes')} name="minutes" type="number" value={d.values.minutes} error={e.minutes} />
        <fieldset>
          <legend>{v.t('automation.rule.conditions')}</legend>
          {padded(d.values.conditions, { type: '', value: '' }).map((c, i) => (
            <div class="row">
              <SelectField label={`${i + 1}.`} name={`cond_type_${i}`} value={c.type} options={[none, ...d.conditionTypes.map((x): [string, string] => [x, v.t(`automation.condition.${x}`)])]} error={e[`cond_type_${i}`]} />
              <Field label={v.t('automation.rule.value')} name={`cond_value_${i}`} value={c.value} error={e[`cond_value_${i}`]} />
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{v.t('automation.rule.actions')}</legend>
          {padded(d.values.actions, { type: '', value: '' }).map((a, i) => (
            <div class="row">
              <SelectField label={`${i + 1}.`} name={`act_type_${i}`} value={a.type} options={[none, ...d.actionTypes.map((x): [string, string] => [x, v.t(`automation.action.${x}`)])]} error={e[`act_type_${i}`]} />
              <Field label={v.t('automation.rule.value')} name={`act_value_${i}`} value={a.value} error={e[`act_value_${i}`]} placeholder={d.templateCodes.length ? d.templateCodes.join(', ') : undefined} />
            </div>
          ))}
          <p class="muted"><small>{v.t('automation.rule.help_value')}</small></p>
        </fieldset>
        <button type="submit">{v.t('automation.rule.save')}</button>
      </form>
    </Layout>
  );
}
