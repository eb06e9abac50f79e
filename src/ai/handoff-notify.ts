// Agents hear of a handoff live in the inbox (the conversation.updated event) and, when SMTP
// is configured, by e-mail: a durable job enqueued in the handoff's own transaction. The
// e-mail names the conversation and the reason only, never the customer's words.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob, type JobHandler } from '../jobs/index.ts';
import { readSmtpConfig, sendMail } from '../mail/index.ts';
import { listUsers, type Role } from '../auth/index.ts';
import { findConversation } from '../messaging/index.ts';
import { clientSlugAndName } from '../tenants/index.ts';
import type { AiDeps } from './gate.ts';

const INBOX_ROLES: Role[] = ['owner', 'representative', 'agent'];

export const HANDOFF_NOTIFY_JOB = 'ai.handoff_notify';

const REASONS: Record<string, string> = {
  keyword: 'the customer asked for a person', tool: 'the assistant could not help', failures: 'the AI provider failed',
  no_match: 'the FAQ has no answer', restricted: 'the customer restricted processing', plan_quota: 'the plan’s AI limit for this month is reached',
};

/** Queues the notice (in the caller's transaction). */
export async function enqueueHandoffNotice(db: Db, clock: Clock, conv: { id: string; clientId: string; contactId: string }, reason: string): Promise<void> {
  await enqueueJob(db, clock, {
    kind: HANDOFF_NOTIFY_JOB, clientId: conv.clientId, contactId: conv.contactId, conversationId: conv.id, payload: { conversationId: conv.id, reason },
    idempotencyKey: `ai.handoff:${conv.id}:${clock.now().toISOString()}`, maxAttempts: 5,
  });
}

export function handoffNoticeHandler(deps: AiDeps): JobHandler {
  return {
    kind: HANDOFF_NOTIFY_JOB,
    async run(job) {
      const smtp = await readSmtpConfig(deps.db, deps.vault);
      if (!smtp || !job.clientId) return; // e-mail not configured: the live inbox is the notice
      const conv = await findConversation(deps.db, String(job.payload.conversationId));
      if (!conv) return;
      const client = await clientSlugAndName(deps.db, job.clientId);
      if (!client) return;
      // The assignee when there is one, else every member who works the inbox.
      const members = (await listUsers(deps.db, job.clientId)).filter((u) => !u.disabled);
      const to = (conv.assigneeUserId ? members.filter((u) => u.id === conv.assigneeUserId) : members.filter((u) => INBOX_ROLES.includes(u.role))).map((u) => u.email);
      if (to.length === 0) return;
      const link = `${deps.publicUrl().replace(/\/$/, '')}/clients/${client.slug}/inbox/${conv.id}`;
      await sendMail(smtp, {
        to: to.join(', '),
        subject: `[Habar] ${client.name}: a conversation needs a person`,
        text: `The AI assistant handed a conversation to a person (${REASONS[String(job.payload.reason)] ?? String(job.payload.reason)}).\n\nOpen it: ${link}\n`,
      });
    },
  };
}
