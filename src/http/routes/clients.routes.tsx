import { Hono } from 'hono';
import type { Context } from 'hono';
import { forbidden } from '../../lib/errors.ts';
import {
  addClient, clientIdsWithActiveGrants, clientInputProblems, listClients, findClient, rectifyClient,
  type Client, type ClientInput, type ContactPerson,
} from '../../tenants/index.ts';
import { ClientsListPage, ClientPage, ClientFormPage, PersonRow, type ClientFormValues } from '../../../views/pages/clients.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm, readFormAll } from '../forms.ts';
import { formErrors, translateCode } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

/** Who may turn the client's TOTP requirement on or off (a security policy: not a representative). */
const TOTP_POLICY_ROLES = ['admin', 'owner'];
const setsTotpPolicy = (c: Context<HttpEnv>) => TOTP_POLICY_ROLES.includes(c.get('user')!.role);

const FIELD_TO_INPUT: Record<string, keyof ClientInput> = {
  slug: 'slug', name: 'name', contact_email: 'contactEmail', phone: 'phone', invoice_address: 'invoiceAddress', timezone: 'timezone',
};

/** The client fields present in a submitted form (absent fields stay as stored: rectification changes only what is sent). */
async function clientInputFromForm(c: Context<HttpEnv>, allowSlug: boolean): Promise<ClientInput> {
  const f = await readForm(c);
  const input: ClientInput = {};
  for (const [field, key] of Object.entries(FIELD_TO_INPUT)) {
    if (field === 'slug' && !allowSlug) continue;
    if (f[field] !== undefined) (input as Record<string, string>)[key] = f[field].trim();
  }
  if (f.require_totp_present !== undefined && setsTotpPolicy(c)) input.requireTotp = f.require_totp === 'on';
  if (f.contact_persons_present !== undefined) {
    const [names, emails, phones, roles] = await Promise.all(['cp_name', 'cp_email', 'cp_phone', 'cp_role'].map((n) => readFormAll(c, n)));
    const persons: ContactPerson[] = [];
    names.forEach((name, i) => {
      const p = { name: name.trim(), email: emails[i]?.trim() ?? '', phone: phones[i]?.trim() ?? '', role: roles[i]?.trim() ?? '' };
      if (p.name || p.email || p.phone || p.role) persons.push(p);
    });
    input.contactPersons = persons;
  }
  return input;
}

const formValues = (input: ClientInput, base?: Client): ClientFormValues => ({
  slug: input.slug ?? base?.slug ?? '',
  name: input.name ?? base?.name ?? '',
  contact_email: input.contactEmail ?? base?.contactEmail ?? '',
  phone: input.phone ?? base?.phone ?? '',
  invoice_address: input.invoiceAddress ?? base?.invoiceAddress ?? '',
  timezone: input.timezone ?? base?.timezone ?? 'Asia/Almaty',
  require_totp: input.requireTotp ?? base?.requireTotp ?? false,
  persons: input.contactPersons ?? base?.contactPersons ?? [],
});

function problemsAsErrors(c: Context<HttpEnv>, input: ClientInput, creating: boolean): Record<string, string> | undefined {
  const t = viewContext(c).t;
  const problems = clientInputProblems(input, creating);
  if (!problems.length) return undefined;
  const errors: Record<string, string> = {};
  for (const p of problems) errors[p.field] ??= translateCode(t, p.code, p.message);
  return errors;
}

export function clientsRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    if ((user.role === 'owner' || user.role === 'representative') && user.clientId) {
      const own = await findClient(ctx.db, user.clientId);
      if (own) return c.redirect(`/clients/${own.slug}`, 303);
    }
    if (user.role !== 'admin' && user.role !== 'support') throw forbidden('Your role may not open this page');
    let clients = await listClients(ctx.db);
    if (user.role === 'support') {
      const granted = new Set(await clientIdsWithActiveGrants(ctx.db, ctx.clock));
      clients = clients.filter((cl) => granted.has(cl.id));
    }
    return html(c, <ClientsListPage v={viewContext(c)} clients={clients} canCreate={user.role === 'admin'} supportOnly={user.role === 'support'} />);
  });

  app.get('/clients/new', requireUser(['admin']), (c) => html(c, <ClientFormPage v={viewContext(c)} values={formValues({})} />));

  // The "add a contact person" button fetches one more empty row.
  app.get('/clients/new/person-row', requireUser(CLIENT_EDITOR_ROLES), (c) => html(c, <PersonRow v={viewContext(c)} />));

  app.post('/clients', requireUser(['admin']), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const input = await clientInputFromForm(c, true);
    input.timezone ||= 'Asia/Almaty';
    const v = viewContext(c);
    const errors = problemsAsErrors(c, input, true);
    if (errors) return html(c, <ClientFormPage v={v} values={formValues(input)} errors={errors} />, 422);
    try {
      const client = await addClient(ctx.db, ctx.clock, input as ClientInput & { slug: string; name: string }, { id: user.id, label: user.email, ip: c.get('ip') });
      return c.redirect(flashUrl(c, `/clients/${client.slug}`, 'clients.created'), 303);
    } catch (err) {
      const fe = formErrors(err, v.t);
      if (!fe) throw err;
      return html(c, <ClientFormPage v={v} values={formValues(input)} errors={fe} />, 422);
    }
  });

  app.get('/clients/:slug', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'client.view' });
    const canEdit = CLIENT_EDITOR_ROLES.includes(c.get('user')!.role);
    return html(c, <ClientPage v={viewContext(c, { timezone: client.timezone })} client={client} canEdit={canEdit} />);
  });

  app.get('/clients/:slug/edit', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'client.edit' });
    return html(c, <ClientFormPage v={viewContext(c, { timezone: client.timezone })} values={formValues({}, client)} client={client} canSetTotp={setsTotpPolicy(c)} />);
  });

  app.post('/clients/:slug/edit', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'client.update' });
    const input = await clientInputFromForm(c, false);
    const v = viewContext(c, { timezone: client.timezone });
    const errors = problemsAsErrors(c, input, false);
    if (errors) return html(c, <ClientFormPage v={v} values={formValues(input, client)} client={client} errors={errors} canSetTotp={setsTotpPolicy(c)} />, 422);
    const { client: updated, changed } = await rectifyClient(ctx.db, ctx.clock, client.id, input, { id: user.id, label: user.email, ip: c.get('ip') });
    if (!changed.length) return c.redirect(flashUrl(c, `/clients/${client.slug}`, 'clients.no_changes'), 303);
    return c.redirect(flashUrl(c, `/clients/${updated.slug}`, 'clients.updated'), 303);
  });

  return app;
}
