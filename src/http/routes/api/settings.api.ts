import { z } from 'zod';
import { recordAudit } from '../../../audit/index.ts';
import { badRequest } from '../../../lib/errors.ts';
import { named } from './openapi-builder.ts';
import { apiClientId } from './api-env.ts';
import { pathId, readJson } from './validation.ts';
import { findArea, settingsAreas } from './settings-areas.ts';
import type { ApiRoute } from './api-route.ts';

const SettingsValues = named('SettingsValues', z.record(z.string(), z.unknown()),
  'An area’s fields. A secret is write-only: reads show <name>_set (true/false), a PUT of <name> sets it and null clears it.');

const AreaInfo = named('SettingsArea', z.object({
  area: z.string(),
  fields: z.array(z.object({
    name: z.string(), type: z.enum(['string', 'boolean', 'integer']), secret: z.boolean(), choices: z.array(z.string()).optional(), help: z.string(),
  })),
}));

const PutBody = z.record(z.string(), z.unknown());

export const settingsRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/settings', tag: 'Settings', summary: 'The settings areas and their fields',
    description: 'Every screen’s settings are readable and writable here, one area per screen: GET/PUT /api/v1/settings/{area}.',
    responses: { 200: { description: 'The areas', schema: z.object({ data: z.array(AreaInfo) }) } },
    handler(c) {
      return c.json({
        data: settingsAreas().map((a) => ({
          area: a.name,
          fields: a.fields.map((f) => ({ name: f.name, type: f.type, secret: f.secret, ...(f.choices ? { choices: [...f.choices] } : {}), help: f.help })),
        })),
      });
    },
  },
  {
    method: 'get', path: '/api/v1/settings/{area}', tag: 'Settings', summary: 'Read one settings area (e.g. general, auto-reply)',
    responses: { 200: { description: 'The values (unset ones are null)', schema: SettingsValues } },
    async handler(c) {
      const area = findArea(pathId(c, 'area'));
      return c.json(await area.read(c.get('ctx'), apiClientId(c)));
    },
  },
  {
    method: 'put', path: '/api/v1/settings/{area}', tag: 'Settings', summary: 'Change the fields present (all or none); null clears one',
    body: SettingsValues, responses: { 200: { description: 'The values after the change', schema: SettingsValues } },
    async handler(c) {
      const ctx = c.get('ctx');
      const area = findArea(pathId(c, 'area'));
      const body = await readJson(c, PutBody);
      if (Array.isArray(body)) throw badRequest('Send a JSON object of fields', undefined, 'invalid_field');
      const actor = { id: null, label: `api-key:${c.get('apiKey').prefix}`, ip: c.get('ip') };
      await area.write(ctx, apiClientId(c), body, actor);
      await recordAudit(ctx.db, ctx.clock, {
        actor, action: 'settings.update', clientId: apiClientId(c), targetType: 'settings', targetId: area.name, ip: actor.ip,
        details: { fields: Object.keys(body) },
      });
      return c.json(await area.read(ctx, apiClientId(c)));
    },
  },
];
