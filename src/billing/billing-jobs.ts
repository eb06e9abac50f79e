// The billing room's jobs: the rollup (every minute: today's counts are at most a few minutes
// behind) with the quota check, the monthly statements (checked hourly: each client's month ends
// at its own local midnight), and the two e-mails (statement issued, quota threshold reached).
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import type { JobHandler } from '../jobs/index.ts';
import { readSmtpConfig, sendMail, sendInReadersLanguages, installMailLanguage } from '../mail/index.ts';
import { quotaMail, statementMail, type QuotaNotice } from './billing-mails.ts';
import { listUsers } from '../auth/index.ts';
import { listClients, clientSlugAndName } from '../tenants/index.ts';
import { SYSTEM_ACTOR } from '../audit/index.ts';
import { rollupUsage } from './rollup.ts';
import { checkQuotas, QUOTA_MAIL_JOB } from './quotas.ts';
import { getStatement, issueDueStatements, STATEMENT_MAIL_JOB } from './statements.ts';
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

/** E-mails an issued statement to the client's billing (else contact) address, in the install's default language; no SMTP: the history page is the notice. */
export function statementMailHandler(deps: BillingDeps): JobHandler {
  return {
    kind: STATEMENT_MAIL_JOB,
    async run(job) {
      const smtp = await readSmtpConfig(deps.db, deps.vault);
      if (!smtp || !job.clientId) return;
      const [s, details, client, lang] = await Promise.all([
        getStatement(deps.db, job.clientId, String(job.payload.number)), effectiveBillingDetails(deps.db, job.clientId), clientSlugAndName(deps.db, job.clientId),
        installMailLanguage(deps.db, deps.vault),
      ]);
      if (!details.email || !client) return;
      await sendMail(smtp, { to: details.email, ...statementMail(lang, s, `${base(deps)}/clients/${client.slug}/statements/${s.number}`) });
    },
  };
}

/** Tells the client's owners, each in their own language, that a quota reached 80 % or 100 %. */
export function quotaMailHandler(deps: BillingDeps): JobHandler {
  return {
    kind: QUOTA_MAIL_JOB,
    async run(job) {
      const smtp = await readSmtpConfig(deps.db, deps.vault);
      if (!smtp || !job.clientId) return;
      const client = await clientSlugAndName(deps.db, job.clientId);
      const owners = (await listUsers(deps.db, job.clientId)).filter((u) => u.role === 'owner' && !u.disabled);
      if (!client || owners.length === 0) return;
      const p = job.payload as unknown as QuotaNotice;
      await sendInReadersLanguages(smtp, owners, (lang) => quotaMail(lang, client.name, p, `${base(deps)}/clients/${client.slug}/usage`));
    },
  };
}
