// The automation room: rules (events × conditions × actions), response templates and business
// hours. Rules are data (validated JSON, store.ts), evaluated by a pure function (evaluate.ts),
// run as the responder step at order 100 (rules-step.ts) and as jobs (rule-jobs.ts); reply-state
// changes go through messaging's reply-state owner. Channels never import this room.

export {
  RULE_EVENTS, CONDITION_TYPES, ACTION_TYPES, TEMPLATE_LANGUAGES, WEEKDAYS, LIMITS as AUTOMATION_LIMITS,
  RuleSetSchema, TemplateSetSchema, BusinessHoursPatchSchema, RuleSchema, TemplateSchema, ConditionSchema, ActionSchema, WeekSchema, RuleStatsSchema,
  type RuleEvent, type ConditionType, type ActionType, type Condition, type Action, type RuleInput, type RuleSetInput, type TemplateSetInput, type TemplateInput, type Weekday,
} from './rule-schema.ts';
export { evaluateRules, compileRule, type Rule, type RuleContext, type Evaluation, type RuleMatch } from './evaluate.ts';
export { isOpenAt, instantOf, nextOpening, describeNextOpening, localTime, hasHours, DEFAULT_TIMEZONE, type BusinessHours } from './business-hours.ts';
export { renderTemplate, pickVariant, TEMPLATE_VARIABLES, type Template, type TemplateVars } from './templates.ts';
export {
  loadRules, loadTemplates, loadBusinessHours, replaceRules, replaceTemplates, updateBusinessHours, ruleSetJson, templateSetJson, businessHoursJson,
  type StoredRule,
} from './store.ts';
export { rulesResponderStep, RULES_STEP_ORDER, NO_AGENT_REPLY_JOB } from './rules-step.ts';
export { noAgentReplyHandler, automationEventHandler, automationActionsHandler, AUTOMATION_EVENT_JOB } from './rule-jobs.ts';
export { AUTOMATION_ACTIONS_JOB, FIRINGS_PER_HOUR } from './actions.ts';
export { automationWatcher } from './watcher.ts';
export { testRules, type RuleTestInput, type RuleTestResult } from './tester.ts';
export { templatesForConversation } from './inbox-templates.ts';
