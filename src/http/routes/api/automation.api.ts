import { z } from 'zod';
import {
  BusinessHoursPatchSchema, RuleSetSchema, TemplateSetSchema, businessHoursJson, loadBusinessHours, loadRules, loadTemplates, replaceRules,
  replaceTemplates, ruleSetJson, templateSetJson, updateBusinessHours, WEEKDAYS,
} from '../../../automation/index.ts';
import { getClient } from '../../../tenants/index.ts';
import { named } from './openapi-builder.ts';
import { apiActor, apiClientId, type ApiContext } from './api-env.ts';
import { readJson } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

// The whole set is read and replaced: the JSON is the UI's import/export format. The domain
// validates (one schema for the UI, the API and this document), so the body is read as any JSON.
const RuleSet = named('RuleSet', RuleSetSchema, 'A client\'s automation rules, in order (the import/export format)');
const TemplateSet = named('TemplateSet', TemplateSetSchema, 'A client\'s response templates (the import/export format)');
export const BusinessHoursPatch = named('BusinessHoursPatch', BusinessHoursPatchSchema, 'Only the fields present change; week, when present, replaces the whole week');
export const BusinessHours = named('BusinessHours', z.object({
  week: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(z.tuple([z.string(), z.string()]))]))),
  holidays: z.array(z.string()),
  out_of_hours_template: z.string().nullable(),
  timezone: z.string().describe('The client\'s time zone, in which the hours are read (change it in the general settings)'),
}), 'A client\'s business hours');

const anyJson = z.unknown();
const SET_HELP = 'An invalid set answers 400 with error.field as a dotted path (e.g. rules.3.conditions.0.value) and changes nothing.';

const hoursJson = async (c: ApiContext) => {
  const db = c.get('ctx').db;
  return businessHoursJson(await loadBusinessHours(db, apiClientId(c)), (await getClient(db, apiClientId(c))).timezone);
};

export const automationRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/rules', operationId: 'getRules', tag: 'Automation', summary: 'The automation rules, in order, with their statistics',
    responses: { 200: { description: 'The rules (valid PUT input)', schema: RuleSet } },
    async handler(c) {
      return c.json(ruleSetJson(await loadRules(c.get('ctx').db, apiClientId(c))));
    },
  },
  {
    method: 'put', path: '/api/v1/rules', operationId: 'replaceRules', tag: 'Automation', summary: 'Replace the whole set of rules',
    description: `Array order is rule order. A rule's name identifies it across a PUT: a rule that keeps its name keeps its statistics; read-only stats are ignored. ${SET_HELP} `
      + 'send_template must name an existing template, assign a member of the client, call_webhook one of its webhooks. Audited as rules.replaced.',
    body: RuleSet,
    responses: { 200: { description: 'The rules after the change', schema: RuleSet } },
    async handler(c) {
      const ctx = c.get('ctx');
      const rules = await replaceRules(ctx.db, ctx.clock, apiClientId(c), await readJson(c, anyJson), apiActor(c));
      return c.json(ruleSetJson(rules));
    },
  },
  {
    method: 'get', path: '/api/v1/templates', operationId: 'getTemplates', tag: 'Automation', summary: 'The response templates',
    responses: { 200: { description: 'The templates (valid PUT input)', schema: TemplateSet } },
    async handler(c) {
      return c.json(templateSetJson(await loadTemplates(c.get('ctx').db, apiClientId(c))));
    },
  },
  {
    method: 'put', path: '/api/v1/templates', operationId: 'replaceTemplates', tag: 'Automation', summary: 'Replace the whole set of templates (keyed by code)',
    description: `${SET_HELP} Audited as templates.replaced.`,
    body: TemplateSet,
    responses: { 200: { description: 'The templates after the change', schema: TemplateSet } },
    async handler(c) {
      const ctx = c.get('ctx');
      const templates = await replaceTemplates(ctx.db, ctx.clock, apiClientId(c), await readJson(c, anyJson), apiActor(c));
      return c.json(templateSetJson(templates));
    },
  },
  {
    method: 'get', path: '/api/v1/settings/business-hours', operationId: 'getBusinessHours', tag: 'Settings', summary: 'The business hours',
    responses: { 200: { description: 'The hours', schema: BusinessHours } },
    async handler(c) {
      return c.json(await hoursJson(c));
    },
  },
  {
    method: 'put', path: '/api/v1/settings/business-hours', operationId: 'updateBusinessHours', tag: 'Settings', summary: 'Change the business hours (only the fields present)',
    description: 'In the client\'s time zone (clients.timezone, Asia/Almaty by default). A day absent or [] is closed; week, when present, replaces the whole week. '
      + 'Invalid values answer 400 naming the field as a dotted path (week.mon.0.1) and change nothing. Audited as business_hours.updated.',
    body: BusinessHoursPatch,
    responses: { 200: { description: 'The hours after the change', schema: BusinessHours } },
    async handler(c) {
      const ctx = c.get('ctx');
      await updateBusinessHours(ctx.db, ctx.clock, apiClientId(c), await readJson(c, anyJson), apiActor(c));
      return c.json(await hoursJson(c));
    },
  },
];
