import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import {
  getClient, MAX_CONTACT_PERSONS, rectifyClient, type Client, type ClientInput, type ContactPerson,
} from '../../../tenants/index.ts';
import { named } from './openapi-builder.ts';
import { apiClientId, apiActor } from './api-env.ts';
import { chars, readJson } from './validation.ts';
import type { ApiRoute } from './api-route.ts';

// The client's own details (the company screen) and its security policy, through the API: the
// right to rectification does not need the UI. Validation and the audit entry are the UI's.

const optional = (max: number, what: string) => chars(max).nullable().describe(`${what}; null when none (a PUT of null or "" clears it)`);

const PersonJson = z.object({
  name: chars(200), email: optional(254, 'E-mail'), phone: optional(40, 'Phone'), role: optional(200, 'Role, e.g. accountant'),
});
const PersonIn = PersonJson.partial({ email: true, phone: true, role: true }).strict();

const companyFields = {
  name: chars(200).describe('Company name'),
  contact_email: optional(254, 'Contact e-mail address'),
  phone: optional(40, 'Phone, e.g. +7 701 234 56 78'),
  invoice_address: optional(1000, 'Invoice address'),
  contact_persons: z.array(PersonJson).max(MAX_CONTACT_PERSONS).describe(`Contact persons (at most ${MAX_CONTACT_PERSONS}); a PUT replaces the whole list`),
  timezone: chars(100).describe('IANA time zone, e.g. Asia/Almaty: times in the UI and working hours follow it'),
};

export const CompanySettingsJson = named('CompanySettings', z.object(companyFields), 'The client’s company details');
export const CompanySettingsPatch = named('CompanySettingsPatch', z.object({
  ...companyFields,
  contact_persons: z.array(PersonIn).max(MAX_CONTACT_PERSONS).describe(companyFields.contact_persons.description ?? ''),
}).partial().strict(), 'Only the fields present change; null (or "") clears contact_email, phone or invoice_address.');

const REQUIRE_TOTP_HELP = 'Members must sign in with a TOTP second factor. Read-only through the API: it is the owner’s security policy, '
  + 'and an API key does not prove the owner’s decision (representatives and the server’s CLI also make keys), so a leaked key '
  + 'must not be able to weaken (or impose) every member’s sign-in. The owner changes it in the UI (company details). '
  + 'A PUT that sends the current value changes nothing and succeeds; another value answers 403 owner_only_setting.';

export const SecuritySettingsJson = named('SecuritySettings', z.object({ require_totp: z.boolean().describe(REQUIRE_TOTP_HELP) }), 'The client’s security policy');
const SecuritySettingsPatch = named('SecuritySettingsPatch', z.object({ require_totp: z.boolean().optional().describe(REQUIRE_TOTP_HELP) }).strict());

const orNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);
const companyJson = (cl: Client): z.infer<typeof CompanySettingsJson> => ({
  name: cl.name, contact_email: orNull(cl.contactEmail), phone: orNull(cl.phone), invoice_address: orNull(cl.invoiceAddress),
  contact_persons: cl.contactPersons.map((p) => ({ name: p.name, email: orNull(p.email), phone: orNull(p.phone), role: orNull(p.role) })),
  timezone: cl.timezone,
});

/** The API body → the domain's input (only the fields present; null clears to ""). Persons are stored as the UI stores them. */
function toInput(b: z.infer<typeof CompanySettingsPatch>): ClientInput {
  const input: ClientInput = {};
  const text = (v: string | null | undefined) => (v === undefined ? undefined : (v ?? '').trim());
  if (b.name !== undefined) input.name = b.name.trim();
  if (b.contact_email !== undefined) input.contactEmail = text(b.contact_email);
  if (b.phone !== undefined) input.phone = text(b.phone);
  if (b.invoice_address !== undefined) input.invoiceAddress = text(b.invoice_address);
  if (b.timezone !== undefined) input.timezone = b.timezone.trim();
  if (b.contact_persons !== undefined) {
    input.contactPersons = b.contact_persons.map((p): ContactPerson => ({ name: p.name.trim(), email: text(p.email) ?? '', phone: text(p.phone) ?? '', role: text(p.role) ?? '' }));
  }
  return input;
}

export const companySettingsRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/v1/settings/company', operationId: 'getCompanySettings', tag: 'Settings', summary: 'The client’s company details',
    responses: { 200: { description: 'The details', schema: CompanySettingsJson } },
    async handler(c) {
      return c.json(companyJson(await getClient(c.get('ctx').db, apiClientId(c))));
    },
  },
  {
    method: 'put', path: '/api/v1/settings/company', operationId: 'updateCompanySettings', tag: 'Settings', summary: 'Rectify the company details (only the fields present)',
    description: 'All or nothing: an invalid value answers 400 naming its field (e.g. contact_email, timezone, contact_persons). '
      + 'A change is recorded in the audit log as client.updated with the names of the changed fields (never their values).',
    body: CompanySettingsPatch, responses: { 200: { description: 'The details after the change', schema: CompanySettingsJson } },
    async handler(c) {
      const ctx = c.get('ctx');
      const clientId = apiClientId(c);
      const input = toInput(await readJson(c, CompanySettingsPatch));
      const { client } = await rectifyClient(ctx.db, ctx.clock, clientId, input, apiActor(c));
      return c.json(companyJson(client));
    },
  },
  {
    method: 'get', path: '/api/v1/settings/security', operationId: 'getSecuritySettings', tag: 'Settings', summary: 'The client’s security policy',
    responses: { 200: { description: 'The policy', schema: SecuritySettingsJson } },
    async handler(c) {
      return c.json({ require_totp: (await getClient(c.get('ctx').db, apiClientId(c))).requireTotp });
    },
  },
  {
    method: 'put', path: '/api/v1/settings/security', operationId: 'updateSecuritySettings', tag: 'Settings', summary: 'The security policy is read-only through the API',
    description: REQUIRE_TOTP_HELP,
    body: SecuritySettingsPatch,
    responses: { 200: { description: 'Unchanged policy', schema: SecuritySettingsJson }, 403: { description: 'Another value than the current one (owner_only_setting), or the client is not active (client_inactive)' } },
    async handler(c) {
      const body = await readJson(c, SecuritySettingsPatch);
      const client = await getClient(c.get('ctx').db, apiClientId(c));
      if (body.require_totp !== undefined && body.require_totp !== client.requireTotp) {
        throw new AppError('owner_only_setting', 'require_totp is the owner’s security policy: the owner changes it in the admin UI (company details)', 403, true, 'require_totp');
      }
      return c.json({ require_totp: client.requireTotp });
    },
  },
];
