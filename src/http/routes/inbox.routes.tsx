import { Hono, type Context } from 'hono';
import { inboxChannels, startConversation, type InboxChannel } from '../../messaging/index.ts';
import { changeAiState } from '../../ai/index.ts';
import type { Client } from '../../tenants/index.ts';
import { ConversationList, InboxPage, NewConversationPage, inboxBase, type NewConversationValues } from '../../../views/pages/inbox.tsx';
import { MessageList, ThreadHead } from '../../../views/pages/inbox-thread.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { scopedClient } from '../client-scope.ts';
import { INBOX_ROLES, loadList, loadThread } from './inbox-data.ts';
import { inboxEventsRoutes } from './inbox-events.routes.ts';
import { inboxActionRoutes } from './inbox-actions.routes.tsx';
import type { HttpEnv } from '../env.ts';

// The built-in inbox: the conversation list (filters, search, pages), a thread beside it, and
// starting a conversation. Actions on a thread are in inbox-actions.routes.tsx, the live stream
// in inbox-events.routes.ts (both mounted here).

type C = Context<HttpEnv>;

const vOf = (c: C, client: Client) => viewContext(c, { timezone: client.timezone });

/** The client's channels on which a person may start a conversation (their drivers say so). */
async function startableChannels(c: C, client: Client): Promise<InboxChannel[]> {
  const ctx = c.get('ctx');
  return (await inboxChannels(ctx.db, client.id)).filter((ch) => !ch.deleted && ctx.channels.rulesFor(ch.kind)?.startConversation);
}

export function inboxRoutes() {
  const app = new Hono<HttpEnv>();
  // The fixed paths (/inbox/events) first, so they are not taken for a conversation id.
  app.route('/', inboxEventsRoutes());
  app.route('/', inboxActionRoutes());

  // `?part=list` answers the list alone (the live refresh).
  app.get('/clients/:slug/inbox', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.list' });
    const list = await loadList(c, client, c.req.query('open') || undefined);
    if (c.req.query('part') === 'list') return html(c, <ConversationList v={vOf(c, client)} list={list} />);
    return html(c, <InboxPage v={vOf(c, client)} list={list} />);
  });

  // Registered before /:conversationId so that "new" is not taken for an id.
  app.get('/clients/:slug/inbox/new', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.new' });
    const channels = await startableChannels(c, client);
    const values: NewConversationValues = { channel: c.req.query('channel') ?? '', to: '', name: '', text: '', pause: false };
    return html(c, <NewConversationPage v={vOf(c, client)} client={client} channels={channels} values={values} />);
  });

  app.post('/clients/:slug/inbox/new', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.start' });
    const f = await readForm(c);
    const values: NewConversationValues = { channel: f.channel ?? '', to: (f.to ?? '').trim(), name: (f.name ?? '').trim(), text: f.text ?? '', pause: f.pause === '1' };
    const channels = await startableChannels(c, client);
    const v = vOf(c, client);
    const channel = channels.find((ch) => ch.id === values.channel);
    const fail = (errors: Record<string, string>) => html(c, <NewConversationPage v={v} client={client} channels={channels} values={values} errors={errors} />, 422);
    if (!channel) return fail({ channel: v.t('inbox.new.pick_channel') });
    try {
      // The channel's driver reads the address (a phone, a customer id; where it is optional, an empty one makes a new contact).
      const r = await startConversation(ctx, {
        clientId: client.id, channelAccountId: channel.id, to: values.to, text: values.text, displayName: values.name || undefined,
        authorKind: 'agent', authorUserId: user.id,
      });
      // Paused in advance: until the agent resumes it (audited). Without the tick the first message
      // pauses it for resume_after_minutes, as any reply of a person does.
      if (values.pause) await changeAiState(ctx, { id: user.id, label: user.email, ip: c.get('ip') }, client.id, r.conversation.id, 'paused', null);
      return c.redirect(`${inboxBase(client.slug)}/${r.conversation.id}`, 303);
    } catch (err) {
      const errors = formErrors(err, v.t);
      if (!errors) throw err;
      return fail(errors);
    }
  });

  // `?part=head` / `?part=messages` answer one fragment (the live refresh); the page and the
  // messages fragment mark the conversation read: the agent is looking at it.
  app.get('/clients/:slug/inbox/:conversationId', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.thread' });
    const id = c.req.param('conversationId');
    const part = c.req.query('part');
    const v = vOf(c, client);
    if (part === 'head') {
      const t = await loadThread(c, client, id);
      return html(c, <ThreadHead v={v} slug={client.slug} t={t} />);
    }
    if (part === 'messages') {
      const t = await loadThread(c, client, id, { since: c.req.query('since') || undefined, older: c.req.query('older') || undefined, markRead: true });
      return html(c, <MessageList v={v} slug={client.slug} t={t} />);
    }
    const thread = await loadThread(c, client, id, { markRead: true });
    const list = await loadList(c, client, id);
    return html(c, <InboxPage v={v} list={list} thread={thread} />);
  });

  return app;
}
