import type { Context } from 'hono';
import type { User } from '../auth/index.ts';
import type { AuditBy } from '../audit/index.ts';
import { assertClientAccess, assertRole, findClient, type Client, type Principal } from '../tenants/index.ts';
import { notFound } from '../lib/errors.ts';
import { channelsNeedingAttention } from '../channels/index.ts';
import { quotaAlerts } from '../billing/index.ts';
import type { HttpEnv } from './env.ts';

export const principalOf = (u: User): Principal => ({ id: u.id, email: u.email, role: u.role, clientId: u.clientId });

/** The signed-in person who made this request, as the audit log records them. */
export function actorOf(c: Context<HttpEnv>): AuditBy {
  const user = c.get('user')!;
  return { id: user.id, label: user.email, ip: c.get('ip') };
}

/** Roles that manage a client (its details, members, support access); agents work the inbox only. */
export const CLIENT_MANAGER_ROLES = ['admin', 'support', 'owner', 'representative'];
/** Who may change a client's things (support staff look, they do not change). */
export const CLIENT_EDITOR_ROLES = ['admin', 'owner', 'representative'];

/**
 * The client named by the route's `:slug`, after the role check (403) and the tenancy check
 * (members of another client get 404; support staff need an active grant, and each access is audited).
 * Call it before reading the form, so nothing about another tenant is validated or revealed.
 */
export async function scopedClient(c: Context<HttpEnv>, opts: { roles?: string[]; what: string }): Promise<Client> {
  const ctx = c.get('ctx');
  const user = c.get('user');
  if (!user) throw notFound('No such client');
  const p = principalOf(user);
  assertRole(p, opts.roles ?? CLIENT_MANAGER_ROLES);
  const client = await findClient(ctx.db, c.req.param('slug') ?? '');
  if (!client) throw notFound('No such client');
  await assertClientAccess(ctx.db, ctx.clock, p, client.id, { ip: c.get('ip'), what: opts.what });
  // The banner on the client's pages: a channel logged out on the phone (or that must be paired again).
  if (CLIENT_EDITOR_ROLES.includes(user.role)) c.set('channelAlerts', await channelsNeedingAttention(ctx.db, client.id));
  // The plan's quotas at 80 % or more this month: the owners' (and the operator's) banner.
  if (['admin', 'owner'].includes(user.role)) c.set('quotaAlerts', await quotaAlerts(ctx.db, ctx.clock, client.id));
  return client;
}
