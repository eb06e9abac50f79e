import type { User } from '../auth/index.ts';
import { firstStepsDismissed } from '../auth/index.ts';
import { customerUrl, listChannelAccounts } from '../channels/index.ts';
import { getAiSettings } from '../ai/index.ts';
import { listConversations } from '../messaging/index.ts';
import { DEMO_SLUG, findClient, listClients, listMembers, type Client } from '../tenants/index.ts';
import type { FirstStepsView } from '../../views/pages/dashboard.tsx';
import type { AppContext } from './env.ts';

// The dashboard's first steps, each ticked from the data (nothing records a step as done): the
// customer chat was tried, a messaging number or account is connected, a person saved the AI
// settings, the client has a member besides the viewer. Shown until the person hides them.

const SETUP_ROLES = ['admin', 'owner', 'representative'];

// An admin sets up the install on the demo client (else the first client); members on their own.
async function clientFor(ctx: AppContext, user: User): Promise<Client | undefined> {
  if (user.clientId) return findClient(ctx.db, user.clientId);
  return (await findClient(ctx.db, DEMO_SLUG)) ?? (await listClients(ctx.db))[0];
}

/** The first steps for this person, or undefined when they have none to take (their role) or hid them. */
export async function firstStepsFor(ctx: AppContext, user: User): Promise<FirstStepsView | undefined> {
  if (!SETUP_ROLES.includes(user.role) || (await firstStepsDismissed(ctx.db, user.id))) return undefined;
  const client = await clientFor(ctx, user);
  if (!client) return undefined;
  const accounts = await listChannelAccounts(ctx.db, client.id);
  const isChatPage = (kind: string) => !!ctx.channels.registry.driverFor(kind)?.customerPage;
  const chat = accounts.find((a) => isChatPage(a.kind) && a.publicToken);
  const chatTried = chat ? (await listConversations(ctx.db, { clientId: client.id, channelAccountId: chat.id, limit: 1 })).data.length > 0 : false;
  const base = `/clients/${client.slug}`;
  return {
    client: { slug: client.slug, name: client.name },
    steps: [
      { key: 'chat', done: chatTried, href: (chat && customerUrl(ctx.publicUrl(), chat)) || `${base}/channels`, external: !!chat },
      { key: 'whatsapp', done: accounts.some((a) => !isChatPage(a.kind) && a.status === 'connected'), href: `${base}/channels` },
      { key: 'ai', done: (await getAiSettings(ctx.db, client.id)).updatedBy !== null, href: `${base}/ai` },
      { key: 'invite', done: (await listMembers(ctx.db, client.id)).some((m) => m.id !== user.id), href: `${base}/members` },
    ],
  };
}
