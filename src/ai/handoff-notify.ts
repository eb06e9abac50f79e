// Agents hear of a handoff live in the inbox (the conversation.updated event) and, when SMTP
// is configured, by e-mail: a durable job enqueued in the handoff's own transaction. The
// e-mail names the conversation and the reason only, never the customer's words.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob, type JobHandler } from '../jobs/index.ts';
import { readSmtpConfig, sendInReadersLanguages, type MailLanguage } from '../mail/index.ts';
import { listUsers, type Role } from '../auth/index.ts';
import { findConversation } from '../messaging/index.ts';
import { clientSlugAndName } from '../tenants/index.ts';
import type { AiDeps } from './gate.ts';

const INBOX_ROLES: Role[] = ['owner', 'representative', 'agent'];

export const HANDOFF_NOTIFY_JOB = 'ai.handoff_notify';

type By = 'ai' | 'rule';

// The agents' e-mail in each agent's own language; a rule's reason is the rule's own words.
const MAIL: Record<MailLanguage, { subject: (client: string) => string; body: Record<By, (why: string, link: string) => string>; reasons: Record<string, string> }> = {
  ru: {
    subject: (client) => `[Habar] ${client}: разговор ждёт сотрудника`,
    body: {
      ai: (why, link) => `ИИ-ассистент передал разговор сотруднику (${why}).\n\nОткрыть разговор: ${link}\n`,
      rule: (why, link) => `Правило автоматизации передало разговор сотруднику (${why}).\n\nОткрыть разговор: ${link}\n`,
    },
    reasons: {
      keyword: 'клиент попросил сотрудника', tool: 'ассистент не смог помочь', failures: 'провайдер ИИ не ответил',
      no_match: 'в FAQ нет ответа', restricted: 'клиент ограничил обработку', plan_quota: 'лимит ИИ по тарифу на этот месяц исчерпан',
    },
  },
  kk: {
    subject: (client) => `[Habar] ${client}: сөйлесу қызметкерді күтеді`,
    body: {
      ai: (why, link) => `ЖИ-көмекші сөйлесуді қызметкерге берді (${why}).\n\nСөйлесуді ашу: ${link}\n`,
      rule: (why, link) => `Автоматтандыру ережесі сөйлесуді қызметкерге берді (${why}).\n\nСөйлесуді ашу: ${link}\n`,
    },
    reasons: {
      keyword: 'клиент қызметкерді сұрады', tool: 'көмекші көмектесе алмады', failures: 'ЖИ провайдері жауап бермеді',
      no_match: 'FAQ-та жауап жоқ', restricted: 'клиент өңдеуді шектеді', plan_quota: 'осы айға арналған тарифтің ЖИ лимиті таусылды',
    },
  },
  en: {
    subject: (client) => `[Habar] ${client}: a conversation needs a person`,
    body: {
      ai: (why, link) => `The AI assistant handed a conversation to a person (${why}).\n\nOpen it: ${link}\n`,
      rule: (why, link) => `An automation rule handed a conversation to a person (${why}).\n\nOpen it: ${link}\n`,
    },
    reasons: {
      keyword: 'the customer asked for a person', tool: 'the assistant could not help', failures: 'the AI provider failed',
      no_match: 'the FAQ has no answer', restricted: 'the customer restricted processing', plan_quota: 'the plan’s AI limit for this month is reached',
    },
  },
};

/** Queues the notice (in the caller's transaction); `by` says who handed off: the AI (a reason code) or a rule (its own reason text). */
export async function enqueueHandoffNotice(db: Db, clock: Clock, conv: { id: string; clientId: string; contactId: string }, reason: string, by: By = 'ai'): Promise<void> {
  await enqueueJob(db, clock, {
    kind: HANDOFF_NOTIFY_JOB, clientId: conv.clientId, contactId: conv.contactId, conversationId: conv.id, payload: { conversationId: conv.id, reason, by },
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
      const readers = conv.assigneeUserId ? members.filter((u) => u.id === conv.assigneeUserId) : members.filter((u) => INBOX_ROLES.includes(u.role));
      if (readers.length === 0) return;
      const link = `${deps.publicUrl().replace(/\/$/, '')}/clients/${client.slug}/inbox/${conv.id}`;
      const by: By = job.payload.by === 'rule' ? 'rule' : 'ai';
      const reason = String(job.payload.reason);
      await sendInReadersLanguages(smtp, readers, (lang) => {
        const m = MAIL[lang];
        return { subject: m.subject(client.name), text: m.body[by](by === 'ai' ? (m.reasons[reason] ?? reason) : reason, link) };
      });
    },
  };
}
