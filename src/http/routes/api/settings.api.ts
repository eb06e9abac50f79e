import { z } from 'zod';
import { badRequest } from '../../../lib/errors.ts';
import { named } from './openapi-builder.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { pathId, readJson } from './validation.ts';
import { findArea, settingsAreas, type FieldInfo, type FieldType } from './settings-areas.ts';
import { AiSettingsJson, AiSettingsPut } from './ai-settings.api.ts';
import { CompanySettingsJson, CompanySettingsPatch, SecuritySettingsJson } from './company-settings.api.ts';
import { BusinessHours, BusinessHoursPatch } from './automation.api.ts';
import { ChatwootSettingsJson, ChatwootSettingsPut } from './chatwoot-settings.api.ts';
import type { ApiRoute } from './api-route.ts';

const SettingsValues = named('SettingsValues', z.record(z.string(), z.unknown()),
  'An area’s fields. A secret is write-only: reads show <name>_set (true/false), a PUT of <name> sets it and null clears it.');

const AreaInfo = named('SettingsArea', z.object({
  area: z.string(),
  fields: z.array(z.object({
    name: z.string(), type: z.enum(['string', 'boolean', 'integer', 'array', 'object']), secret: z.boolean(), choices: z.array(z.string()).optional(), help: z.string(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional().describe('What the field reads as while unset'),
    read_only: z.boolean().optional().describe('true: shown, not writable through the API'),
  })),
}));

type Json = Record<string, unknown>;
const propsOf = (s: z.ZodType) => ((z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json).properties ?? {}) as Record<string, Json>;

function fieldFromJsonSchema(name: string, p: Json, secret: boolean, readOnly: boolean): FieldInfo {
  const main = ((p.anyOf as Json[] | undefined)?.find((a) => a.type !== 'null') ?? p) as Json;
  const type = (['boolean', 'integer', 'array', 'object'].includes(main.type as string) ? main.type : 'string') as FieldType;
  const choices = Array.isArray(main.enum) ? (main.enum as string[]) : undefined;
  return { name, type, secret, help: String(p.description ?? main.description ?? ''), ...(choices ? { choices } : {}), ...(readOnly ? { readOnly } : {}) };
}

/** The fields of an area served by its own routes, from their schemas: a secret is written as <name> and read as <name>_set. */
function routedArea(patch: z.ZodType, read: z.ZodType): FieldInfo[] {
  const writes = propsOf(patch);
  const reads = propsOf(read);
  const fields = Object.entries(writes).map(([name, p]) => fieldFromJsonSchema(name, p, !(name in reads) && `${name}_set` in reads, false));
  for (const [name, p] of Object.entries(reads)) {
    if (!(name in writes) && !(name.endsWith('_set') && name.slice(0, -4) in writes)) fields.push(fieldFromJsonSchema(name, p, false, true));
  }
  return fields;
}

let routedAreas: Array<{ name: string; fields: FieldInfo[] }> | undefined;
/** Areas with their own routes (listed in the index beside the generic ones). */
const ownRouteAreas = () => (routedAreas ??= [
  { name: 'ai', fields: routedArea(AiSettingsPut, AiSettingsJson) },
  { name: 'business-hours', fields: routedArea(BusinessHoursPatch.omit({ timezone: true }), BusinessHours) },
  { name: 'company', fields: routedArea(CompanySettingsPatch, CompanySettingsJson) },
  { name: 'chatwoot', fields: routedArea(ChatwootSettingsPut, ChatwootSettingsJson) },
  // require_totp is read-only through the API (see PUT /api/v1/settings/security).
  { name: 'security', fields: routedArea(z.object({}), SecuritySettingsJson) },
]);

const fieldJson = (f: FieldInfo) => ({
  name: f.name, type: f.type, secret: f.secret, ...(f.choices ? { choices: [...f.choices] } : {}), help: f.help,
  ...(f.default !== undefined && f.default !== null ? { default: f.default } : {}), ...(f.readOnly ? { read_only: true } : {}),
});

const PutBody = z.record(z.string(), z.unknown());

export const settingsRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/settings', operationId: 'listSettingsAreas', tag: 'Settings', summary: 'The settings areas and their fields',
    description: 'Every screen’s settings are readable (and, but for read_only fields, writable) here, one area per screen: GET/PUT /api/v1/settings/{area} — ai, auto-reply, company, general, security, … . Channels are their own resource (/api/v1/channels).',
    responses: { 200: { description: 'The areas', schema: z.object({ data: z.array(AreaInfo) }) } },
    handler(c) {
      const areas = [...settingsAreas(), ...ownRouteAreas()].sort((a, b) => a.name.localeCompare(b.name));
      return c.json({ data: areas.map((a) => ({ area: a.name, fields: a.fields.map(fieldJson) })) });
    },
  },
  {
    method: 'get', path: '/api/v1/settings/{area}', operationId: 'getSettingsArea', tag: 'Settings', summary: 'Read one settings area (e.g. general, auto-reply)',
    responses: { 200: { description: 'The values (an unset one reads as its default, or null when it has none)', schema: SettingsValues } },
    async handler(c) {
      const area = findArea(pathId(c, 'area'));
      return c.json(await area.read(c.get('ctx'), apiClientId(c)));
    },
  },
  {
    method: 'put', path: '/api/v1/settings/{area}', operationId: 'updateSettingsArea', tag: 'Settings', summary: 'Change the fields present (all or none); null clears one',
    body: SettingsValues, responses: { 200: { description: 'The values after the change', schema: SettingsValues } },
    async handler(c) {
      const ctx = c.get('ctx');
      const area = findArea(pathId(c, 'area'));
      const body = await readJson(c, PutBody);
      if (Array.isArray(body)) throw badRequest('Send a JSON object of fields', undefined, 'invalid_field');
      await area.write(ctx, apiClientId(c), body, apiActor(c));
      return c.json(await area.read(ctx, apiClientId(c)));
    },
  },
];
