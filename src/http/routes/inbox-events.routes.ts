import { Hono } from 'hono';
import { streamSSE, type SSEMessage, type SSEStreamingApi } from 'hono/streaming';
import { resolveSession } from '../../auth/index.ts';
import { activeSupportGrant } from '../../tenants/index.ts';
import type { MessagingEvent } from '../../messaging/index.ts';
import { requireUser } from '../middleware/session.ts';
import { scopedClient } from '../client-scope.ts';
import { INBOX_ROLES } from './inbox-data.ts';
import type { HttpEnv } from '../env.ts';

// The inbox's live stream (Server-Sent Events): one connection per open inbox page, carrying the
// client's messaging events as ids and states only (never a message's text); public/inbox.js turns
// each event into an htmx refresh of the fragment it concerns, and a handoff into a notice.

/** A comment line this often keeps proxies from closing an idle stream. */
export const KEEPALIVE_MS = 20_000;
/** How often the stream re-checks that the session (and a support grant) still holds. */
export const RECHECK_MS = 60_000;
/** A stream ends after this long; the browser's EventSource reconnects by itself. */
export const STREAM_LIFETIME_MS = 15 * 60_000;
/** Events queued for a slow reader beyond this are dropped: the next one refreshes the same fragments. */
const MAX_QUEUED = 500;

/**
 * A live stream's idle wait: `wait()` returns when `nudge()` is called (an event, or the reader
 * going away) or, after KEEPALIVE_MS, once it has written a keepalive comment.
 */
export function idleWait(stream: SSEStreamingApi): { nudge: () => void; wait: () => Promise<void> } {
  let wake: (() => void) | undefined;
  const nudge = () => { const w = wake; wake = undefined; w?.(); };
  stream.onAbort(nudge);
  const wait = async () => {
    const idle = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), KEEPALIVE_MS);
      timer.unref();
      wake = () => { clearTimeout(timer); resolve(false); };
    });
    if (idle && !stream.aborted) await stream.write(': keepalive\n\n');
  };
  return { nudge, wait };
}

/** The SSE form of a messaging event: its kind as the event name, ids as data. */
export function sseOf(e: MessagingEvent): SSEMessage {
  switch (e.type) {
    case 'conversation.updated':
      // A handoff by the AI is an ai_state change to handed_off: the inbox marks it "needs a person".
      return {
        event: 'conversation',
        data: JSON.stringify({
          type: e.type, conversation_id: e.conversation.id, change: e.change, ai_state: e.conversation.aiState,
          ...(e.change === 'ai_state' && e.conversation.aiState === 'handed_off' ? { handoff: true } : {}),
        }),
      };
    case 'channel.status':
      return { event: 'channel', data: JSON.stringify({ type: e.type, channel_id: e.channel.id, status: e.channel.status }) };
    default:
      return { event: 'message', data: JSON.stringify({ type: e.type, conversation_id: e.message.conversationId, message_id: e.message.id, status: e.message.status }) };
  }
}

export function inboxEventsRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/clients/:slug/inbox/events', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const token = c.get('sessionToken');
    const client = await scopedClient(c, { roles: INBOX_ROLES, what: 'inbox.live' });
    c.header('X-Accel-Buffering', 'no'); // nginx: pass events through as they come

    return streamSSE(c, async (stream) => {
      const queue: SSEMessage[] = [];
      const { nudge, wait } = idleWait(stream);
      const unsubscribe = ctx.hub.subscribe((e) => {
        if (queue.length < MAX_QUEUED) queue.push(sseOf(e));
        nudge();
      }, { clientId: client.id });
      const started = Date.now();
      let checked = started;
      // Still allowed? A signed-out or disabled user, or an ended support grant, ends the stream.
      const stillAllowed = async () => {
        if (!token || !(await resolveSession(ctx.db, ctx.clock, token))) return false;
        return user.role !== 'support' || !!(await activeSupportGrant(ctx.db, ctx.clock, client.id));
      };
      try {
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
        while (!stream.aborted && !stream.closed) {
          if (queue.length === 0) await wait();
          while (queue.length && !stream.aborted) await stream.writeSSE(queue.shift()!);
          const now = Date.now();
          if (now - started > STREAM_LIFETIME_MS) break;
          if (now - checked > RECHECK_MS) {
            checked = now;
            if (!(await stillAllowed())) break;
          }
        }
      } finally {
        unsubscribe();
      }
    });
  });

  return app;
}
