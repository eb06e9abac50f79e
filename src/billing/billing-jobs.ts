// The billing room's jobs: the rollup (every minute: today's counts are at most a few minutes
// behind) with the quota check, the monthly statements (checked hourly: each client's month ends
// at its own local midnight), and the two e-mails (statement issued, quota threshold reached).
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import type { JobHandler } from '../jobs/index.ts';
import { readSmtpConfig, sendMail } from '../mail/index.ts';
import { listUsers } from '../auth/index.ts';
import { listClients, clientSlugAndName } from '../tenants/index.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { rollupUsage } from './rollup.ts';
import { checkQuotas, QUOTA_MAIL_JOB } from './quotas.ts';
import { formatMoney, getStatement, issueDueStatements, STATEMENT_MAIL_JOB } from './statements.ts';
import { effectiveBillingDetails } from './billing-details.ts';

export const BILLING_ROLLUP_KIND = 'billing.rollup';
export const BILLING_ROLLUP_EVERY_MS = 60_000;
export const BILLING_STATEMENTS_KIND = 'billing.statements';
export const BILLING_STATEMENTS_EVERY_MS = 60 * 60_000;

export interface BillingDeps {
  db: Db;
  clock: Clock;
  vault: Vault;
  log: Logger;
  publicUrl: () => string;
}

const activeClients = async (db: Db) => (await listClients(db)).filter((c) => c.status === 'active');

export function rollupHandler(deps: BillingDeps): JobHandler {
  return {
    kind: BILLING_ROLLUP_KIND,
    async run() {
      const r = await rollupUsage(deps.db, deps.clock);
      const notices = await checkQuotas(deps.db, deps.clock, await activeClients(deps.db));
      if (r.events || notices.length) deps.log.debug('billing', 'usage rolled up', { events: r.events, days: r.days, quota_notices: notices.length });
    },
  };
}

export function statementsHandler(deps: BillingDeps): JobHandler {
  return {
    kind: BILLING_STATEMENTS_KIND,
    async run() {
      await rollupUsage(deps.db, deps.clock);
      const issued = await issueDueStatements(deps, await activeClients(deps.db), SYSTEM_ACTOR);
      if (issued.length) deps.log.info('billing', 'statements issued', { count: issued.length });
    },
  };
}

const base = (deps: BillingDeps) => deps.publicUrl().replace(/\/$/, '');

/** E-mails an issued statement to the client's billing (else contact) address; no SMTP: the history page is the notice. */
export function statementMailHandler(deps: BillingDeps): JobHandler {
  return {
    kind: STATEMENT_MAIL_JOB,
    async run(job) {
      const smtp = await readSmtpConfig(deps.db, deps.vault);
      if (!smtp || !job.clientId) return;
      const [s, details, client] = await Promise.all([
        getStatement(deps.db, job.clientId, String(job.payload.number)), effectiveBillingDetails(deps.db, job.clientId), clientSlugAndName(deps.db, job.clientId),
      ]);
      if (!details.email || !client) return;
      const money = (n: number) => formatMoney(n, s.currency);
      const lines = s.lines.filter((l) => l.amount_minor !== 0 || l.kind === 'plan').map((l) => `  ${l.kind}: ${money(l.amount_minor)}`);
      await sendMail(smtp, {
        to: details.email,
        subject: `[Habar] Statement ${s.number}${s.corrects ? ` (corrects ${s.corrects})` : ''}: ${s.period_start} – ${s.period_end}`,
        text: [
          `Statement ${s.number} for ${s.client.legal_name}${s.client.bin ? ` (BIN ${s.client.bin})` : ''}, ${s.period_start} – ${s.period_end}.`,
          s.corrects ? `It corrects statement ${s.corrects}.` : '',
          `Plan: ${s.plan}`, ...lines, `Total: ${money(s.total_minor)}`, '',
          `View and print it: ${base(deps)}/clients/${client.slug}/statements/${s.number}`,
          s.operator.name ? `\n${s.operator.name}${s.operator.bin ? `, BIN ${s.operator.bin}` : ''}` : '',
        ].filter((x) => x !== '').join('\n'),
      });
    },
  };
}

/** Tells the client's owners that a quota reached 80 % or 100 %. */
export function quotaMailHandler(deps: BillingDeps): JobHandler {
  return {
    kind: QUOTA_MAIL_JOB,
    async run(job) {
      const smtp = await readSmtpConfig(deps.db, deps.vault);
      if (!smtp || !job.clientId) return;
      const client = await clientSlugAndName(deps.db, job.clientId);
      const to = (await listUsers(deps.db, job.clientId)).filter((u) => u.role === 'owner' && !u.disabled).map((u) => u.email);
      if (!client || to.length === 0) return;
      const p = job.payload as { metric: string; threshold: number; used: number; included: number; stopsAi: boolean };
      await sendMail(smtp, {
        to: to.join(', '),
        subject: `[Habar] ${client.name}: ${p.threshold} % of the included ${p.metric.replace('_', ' ')} used`,
        text: [
          `This month ${client.name} has used ${p.used} of ${p.included} included ${p.metric.replace('_', ' ')} (${p.threshold} %).`,
          p.stopsAi ? 'Your plan stops AI replies past its limit: customers’ messages still arrive and your agents still answer, but the AI assistant hands every new conversation to a person until next month or a larger plan.' : p.threshold >= 100 ? 'Usage past the included amount is billed as overage on the next statement.' : '',
          `Usage: ${base(deps)}/clients/${client.slug}/usage`,
        ].filter(Boolean).join('\n\n'),
      });
    },
  };
}
