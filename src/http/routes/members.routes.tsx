import { Hono } from 'hono';
import type { Context } from 'hono';
import {
  addMember, editMember, getMember, listMembers, manageableMemberRoles, mayResetMemberPasswords, resetMemberPassword, setMemberDisabled,
  type Client, type MemberActor,
} from '../../tenants/index.ts';
import { MembersPage, MemberEditPage, type MembersView, type MemberFormValues } from '../../../views/pages/members.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { principalOf, scopedClient, CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';
import { eraseMember } from '../../privacy/index.ts';
import { isStaffRole } from '../../auth/index.ts';
import { forbidden } from '../../lib/errors.ts';


const actorOf = (c: Context<HttpEnv>): MemberActor => ({ principal: principalOf(c.get('user')!), ip: c.get('ip') });

async function membersView(c: Context<HttpEnv>, client: Client, extra: Partial<MembersView> = {}): Promise<MembersView> {
  const p = principalOf(c.get('user')!);
  return {
    client, members: await listMembers(c.get('ctx').db, client.id), manageable: manageableMemberRoles(p),
    mayReset: mayResetMemberPasswords(p), selfId: p.id, ...extra,
  };
}

const page = async (c: Context<HttpEnv>, client: Client, extra: Partial<MembersView> = {}, status = 200) =>
  html(c, <MembersPage v={viewContext(c, { timezone: client.timezone })} d={await membersView(c, client, extra)} />, status);

export function membersRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/members', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'members.list' });
    return page(c, client);
  });

  app.post('/clients/:slug/members', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'members.create' });
    const f = await readForm(c);
    const values: MemberFormValues = { email: f.email ?? '', name: f.name ?? '', role: f.role ?? '' };
    try {
      const { user, password } = await addMember(ctx.db, ctx.clock, actorOf(c), client.id, values);
      // The one-time password is in this response only: never in a URL, a log line or the database.
      return page(c, client, { issued: { email: user.email, password } });
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return page(c, client, { values, errors }, 422);
    }
  });

  app.get('/clients/:slug/members/:userId', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'members.edit' });
    const member = await getMember(c.get('ctx').db, client.id, c.req.param('userId'));
    const roles = manageableMemberRoles(principalOf(c.get('user')!));
    if (!(roles as string[]).includes(member.role)) return c.redirect(`/clients/${client.slug}/members`, 303);
    return html(c, <MemberEditPage v={viewContext(c)} client={client} member={member} roles={roles} values={{ email: member.email, name: member.name, role: member.role }} />);
  });

  app.post('/clients/:slug/members/:userId', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'members.update' });
    const member = await getMember(ctx.db, client.id, c.req.param('userId'));
    const f = await readForm(c);
    const v = viewContext(c);
    try {
      const { changed } = await editMember(ctx.db, ctx.clock, actorOf(c), client.id, member.id, { name: f.name, email: f.email, role: f.role });
      return c.redirect(flashUrl(c, `/clients/${client.slug}/members`, changed.length ? 'common.saved' : 'clients.no_changes'), 303);
    } catch (err) {
      const errors = formErrors(err, v.t);
      if (!errors) throw err;
      const roles = manageableMemberRoles(principalOf(c.get('user')!));
      const values = { email: f.email ?? member.email, name: f.name ?? member.name, role: f.role ?? member.role };
      return html(c, <MemberEditPage v={v} client={client} member={member} roles={roles} values={values} errors={errors} />, 422);
    }
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/clients/:slug/members/:userId/${path}`, requireUser(), async (c) => {
      const ctx = c.get('ctx');
      const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: `members.${path}` });
      try {
        await setMemberDisabled(ctx.db, ctx.clock, actorOf(c), client.id, c.req.param('userId'), disabled);
      } catch (err) {
        const errors = formErrors(err, viewContext(c).t);
        if (!errors) throw err;
        return page(c, client, { errors }, 422);
      }
      return c.redirect(flashUrl(c, `/clients/${client.slug}/members`, disabled ? 'members.disabled_done' : 'members.enabled_done'), 303);
    });
  }

  // A member's erasure (privacy): the account goes, their audit entries stay under a pseudonym.
  app.post('/clients/:slug/members/:userId/erase', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: CLIENT_EDITOR_ROLES, what: 'members.erase' });
    const member = await getMember(ctx.db, client.id, c.req.param('userId'));
    const user = c.get('user')!;
    if (!(manageableMemberRoles(principalOf(user)) as string[]).includes(member.role)) throw forbidden('You may not erase this member');
    await eraseMember(ctx, client.id, member.id, { requester: { kind: isStaffRole(user.role) ? 'operator' : 'member', id: user.id }, audit: { id: user.id, label: user.email, ip: c.get('ip') } });
    return c.redirect(flashUrl(c, `/clients/${client.slug}/members`, 'members.erased_done'), 303);
  });

  app.post('/clients/:slug/members/:userId/reset-password', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: ['admin', 'owner'], what: 'members.reset_password' });
    const member = await getMember(ctx.db, client.id, c.req.param('userId'));
    try {
      const password = await resetMemberPassword(ctx.db, ctx.clock, actorOf(c), client.id, member.id);
      return page(c, client, { issued: { email: member.email, password } });
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return page(c, client, { errors }, 422);
    }
  });

  return app;
}
