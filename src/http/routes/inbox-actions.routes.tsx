import { liftContactObjection } from '../../privacy/index.ts';
import fs from 'node:fs';
import { Hono, type Context } from 'hono';
import {
  MAX_ATTACHMENT_BYTES, MAX_TEXT_LENGTH, getAttachment, getConversation, getMessage, replyWindowNow, sendMessage, setConversationStatus,
  storeAttachment, updateContactWithEvents, type ConversationStatus,
} from '../../messaging/index.ts';
import { isAppError, notFound } from '../../lib/errors.ts';
import { charLength } from '../../lib/text.ts';
import { getChannelAccount } from '../../channels/index.ts';
import type { Client } from '../../tenants/index.ts';
import { InboxPage } from '../../../views/pages/inbox.tsx';
import { requireUser } from '../middleware/session.ts';
import { parseFormBody, readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { scopedClient } from '../client-scope.ts';
import { INBOX_ROLES, backToThread, loadList, loadThread } from './inbox-data.ts';
import type { ThreadView } from '../../../views/pages/inbox-thread.tsx';
import type { HttpEnv } from '../env.ts';

// What an agent does in a thread: reply (text and a file; it pauses the AI), resolve/reopen (resolving
// resumes the AI), correct the contact; and download a file shown in the thread. The AI's own
// controls (take over = pause, resume, off) post to the AI room's state route (ai.routes.tsx).

type C = Context<HttpEnv>;


async function threadPageWith(c: C, client: Client, id: string, extra: Partial<ThreadView>) {
  const v = viewContext(c, { timezone: client.timezone });
  const [thread, list] = await Promise.all([loadThread(c, client, id, { extra }), loadList(c, client, id)]);
  return html(c, <InboxPage v={v} list={list} thread={thread} />, 422);
}

/** Why nothing can reach the customer now (the channel's messaging window has closed), translated; undefined when a reply can go. */
async function windowClosed(c: C, client: Client, conversation: { channelAccountId: string; clientId: string; lastInboundAt: string | null }): Promise<string | undefined> {
  const ctx = c.get('ctx');
  const rules = ctx.channels.rulesFor((await getChannelAccount(ctx.db, client.id, conversation.channelAccountId)).kind);
  const w = rules ? await replyWindowNow(ctx, rules, conversation) : undefined;
  return w?.state === 'closed' ? viewContext(c).t(`inbox.window.${w.reason}`) : undefined;
}

export function inboxActionRoutes() {
  const app = new Hono<HttpEnv>();

  app.post('/clients/:slug/inbox/:conversationId/reply', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.reply' });
    const conversation = await getConversation(ctx.db, client.id, c.req.param('conversationId'));
    const v = viewContext(c);
    const body = await parseFormBody(c);
    const text = typeof body.text === 'string' ? body.text : '';
    const file = body.file instanceof File && body.file.size > 0 ? body.file : undefined;
    // Checked before the file is stored, so a refused reply leaves nothing behind.
    let error: string | undefined;
    if (file && file.size > MAX_ATTACHMENT_BYTES) error = v.t('inbox.file_too_large', { mb: Math.floor(MAX_ATTACHMENT_BYTES / 1024 / 1024) });
    else if (charLength(text) > MAX_TEXT_LENGTH) error = v.t('validation.text_too_long', { n: MAX_TEXT_LENGTH });
    else if (!text.trim() && !file) error = v.t('validation.empty_message');
    else error = await windowClosed(c, client, conversation);
    if (error) return threadPageWith(c, client, conversation.id, { reply: { text, error } });
    try {
      const attachments = file
        ? [await storeAttachment(ctx.db, ctx.clock, ctx.config.dataDir, {
          clientId: client.id, contactId: conversation.contactId, fileName: file.name, mime: file.type, bytes: new Uint8Array(await file.arrayBuffer()),
        })]
        : [];
      await sendMessage(ctx, client.id, conversation.id, { text, attachments, authorKind: 'agent', authorUserId: c.get('user')!.id });
    } catch (err) {
      if (!isAppError(err) || err.status >= 500 || err.status === 404) throw err;
      return threadPageWith(c, client, conversation.id, { reply: { text, error: formErrors(err, v.t)?.[err.field ?? ''] ?? err.message } });
    }
    return backToThread(c, client, conversation.id);
  });

  app.post('/clients/:slug/inbox/:conversationId/status', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.status' });
    const id = c.req.param('conversationId');
    await getConversation(c.get('ctx').db, client.id, id);
    const f = await readForm(c);
    await setConversationStatus(c.get('ctx'), client.id, id, f.status as ConversationStatus);
    return backToThread(c, client, id);
  });

  // Rectification of the contact's data; a mistake in any field changes nothing.
  app.post('/clients/:slug/inbox/:conversationId/contact', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.contact' });
    const conversation = await getConversation(ctx.db, client.id, c.req.param('conversationId'));
    const f = await readForm(c);
    const values = { name: f.display_name ?? '', phone: f.phone ?? '', tags: f.tags ?? '' };
    try {
      await updateContactWithEvents(ctx, client.id, conversation.contactId, {
        displayName: values.name, phone: values.phone, tags: values.tags.split(','),
      }, { id: c.get('user')!.id, label: c.get('user')!.email, ip: c.get('ip') });
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return threadPageWith(c, client, conversation.id, { contactForm: { values, errors } });
    }
    return backToThread(c, client, conversation.id);
  });

  // The customer wrote STOP: a person may lift the objection (audited contact.objection_lifted,
  // recorded in the privacy request register as objection_lifted with the member as requester).
  app.post('/clients/:slug/inbox/:conversationId/objection', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.objection' });
    const conversation = await getConversation(ctx.db, client.id, c.req.param('conversationId'));
    const user = c.get('user')!;
    await liftContactObjection(ctx, client.id, conversation.contactId, { requester: { kind: 'member', id: user.id }, audit: { id: user.id, label: user.email, ip: c.get('ip') } });
    return backToThread(c, client, conversation.id);
  });

  // A file shown in the thread: only this client's, and only on this conversation's messages.
  app.get('/clients/:slug/inbox/:conversationId/attachments/:attachmentId', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.attachment' });
    const conversationId = c.req.param('conversationId');
    const a = await getAttachment(ctx.db, ctx.config.dataDir, client.id, c.req.param('attachmentId'));
    const message = a.messageId ? await getMessage(ctx.db, client.id, a.messageId).catch(() => undefined) : undefined;
    if (!message || message.conversationId !== conversationId || !fs.existsSync(a.file)) throw notFound('No such file');
    const data = fs.readFileSync(a.file);
    // Always a download (never rendered here): an uploaded HTML or SVG file must not run on our origin.
    return c.body(new Uint8Array(data), 200, {
      'Content-Type': a.mime,
      'Content-Disposition': `attachment; filename="${a.name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(a.name)}`,
      'Cache-Control': 'private, no-store',
    });
  });

  return app;
}
