// Policy versions (policy section 11): the operator's texts with their effective dates. A
// significant change must be published at least 30 days ahead and is e-mailed to every client's
// contact address (else its owners) through a durable job (retried with backoff); each owner accepts the version in
// force at their next sign-in.
import type { Selectable } from 'kysely';
import type { Db, PolicyVersionsTable } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';
import { enqueueJob, type JobHandler } from '../jobs/index.ts';
import { readSmtpConfig, sendMail } from '../mail/index.ts';
import { addDays, localDate, operatorTimeZone } from './operator-time.ts';

export const POLICY_NOTICE_JOB = 'policy.notice';
/** Days a significant change is announced ahead (policy section 11). */
export const NOTICE_DAYS = 30;
const MAX_BODY = 200_000;

export interface PolicyVersion {
  id: string;
  body: string;
  effectiveDate: string;
  significant: boolean;
  publishedAt: string;
}

const toVersion = (r: Selectable<PolicyVersionsTable>): PolicyVersion => ({
  id: r.id, body: r.body, effectiveDate: r.effective_date, significant: r.significant === 1, publishedAt: r.published_at,
});

export interface NewPolicyVersion {
  body: string;
  effectiveDate: string;
  significant: boolean;
}

/** Checks and stores a version; a significant one queues the notice e-mail to every active client, in the same transaction. */
export async function publishPolicyVersion(db: Db, clock: Clock, input: NewPolicyVersion, by: AuditBy): Promise<PolicyVersion> {
  const body = input.body.trim();
  if (!body) throw badRequest('Enter the policy text', 'body', 'policy_body_empty');
  if (body.length > MAX_BODY) throw badRequest(`At most ${MAX_BODY} characters`, 'body', 'policy_body_too_long', { max: MAX_BODY });
  // Date.parse takes 2026-02-31 (as 3 March): a real calendar date is one that adding no days keeps.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.effectiveDate) || Number.isNaN(Date.parse(input.effectiveDate)) || addDays(input.effectiveDate, 0) !== input.effectiveDate) {
    throw badRequest('Enter the effective date as YYYY-MM-DD', 'effective_date', 'policy_date_invalid');
  }
  const today = localDate(clock.now(), await operatorTimeZone(db));
  const earliest = input.significant ? addDays(today, NOTICE_DAYS) : today;
  if (input.effectiveDate < earliest) {
    throw badRequest(input.significant ? `A significant change takes effect ${NOTICE_DAYS} days after it is announced at the earliest: ${earliest}` : `The effective date cannot be in the past (today is ${today})`,
      'effective_date', input.significant ? 'policy_notice_too_short' : 'policy_date_past', { earliest });
  }
  const now = clock.now();
  const row = { id: newId(now.getTime()), body, effective_date: input.effectiveDate, significant: input.significant ? 1 : 0, published_at: now.toISOString(), published_by: by.id };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('policy_versions').values(row).execute();
    if (input.significant) {
      const clients = await trx.selectFrom('clients').select('id').where('status', '=', 'active').execute();
      for (const c of clients) {
        await enqueueJob(trx, clock, { kind: POLICY_NOTICE_JOB, clientId: c.id, payload: { versionId: row.id }, idempotencyKey: `policy.notice:${row.id}:${c.id}`, maxAttempts: 10 });
      }
    }
    await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'policy.published', targetType: 'policy_version', targetId: row.id, details: { effective_date: row.effective_date, significant: input.significant } });
  });
  return toVersion(row);
}

export async function listPolicyVersions(db: Db): Promise<PolicyVersion[]> {
  return (await db.selectFrom('policy_versions').selectAll().orderBy('effective_date', 'desc').orderBy('published_at', 'desc').execute()).map(toVersion);
}

export async function getPolicyVersion(db: Db, id: string): Promise<PolicyVersion> {
  const r = await db.selectFrom('policy_versions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('No such policy version');
  return toVersion(r);
}

/** The version in force today (the latest effective date not after today) and the next one published, in the operator's time zone. */
export async function currentAndNextPolicy(db: Db, clock: Clock): Promise<{ current: PolicyVersion | null; next: PolicyVersion | null }> {
  const today = localDate(clock.now(), await operatorTimeZone(db));
  const cur = await db.selectFrom('policy_versions').selectAll().where('effective_date', '<=', today).orderBy('effective_date', 'desc').orderBy('published_at', 'desc').executeTakeFirst();
  const next = await db.selectFrom('policy_versions').selectAll().where('effective_date', '>', today).orderBy('effective_date', 'asc').orderBy('published_at', 'desc').executeTakeFirst();
  return { current: cur ? toVersion(cur) : null, next: next ? toVersion(next) : null };
}

/** When an owner of the client first accepted the version; null if none has. */
export async function acceptedAt(db: Db, clientId: string, versionId: string): Promise<string | null> {
  const r = await db.selectFrom('policy_acceptances').select('accepted_at').where('client_id', '=', clientId).where('policy_version_id', '=', versionId)
    .orderBy('accepted_at', 'asc').executeTakeFirst();
  return r?.accepted_at ?? null;
}

/** The version in force that this owner has not accepted yet (asked at sign-in); undefined when none. */
export async function policyAwaitingAcceptance(db: Db, clock: Clock, user: { id: string; clientId: string | null; role: string }): Promise<PolicyVersion | undefined> {
  if (user.role !== 'owner' || !user.clientId) return undefined;
  const { current } = await currentAndNextPolicy(db, clock);
  if (!current) return undefined;
  const done = await db.selectFrom('policy_acceptances').select('id').where('client_id', '=', user.clientId).where('user_id', '=', user.id)
    .where('policy_version_id', '=', current.id).executeTakeFirst();
  return done ? undefined : current;
}

/** Records the owner's acceptance (idempotent: a second acceptance keeps the first time). */
export async function acceptPolicy(db: Db, clock: Clock, user: { id: string; clientId: string; role: string }, versionId: string, by: AuditBy): Promise<void> {
  if (user.role !== 'owner') throw badRequest('Only an owner accepts the policy for the client');
  await getPolicyVersion(db, versionId);
  await db.transaction().execute(async (trx) => {
    const added = await trx.insertInto('policy_acceptances')
      .values({ id: newId(clock.now().getTime()), policy_version_id: versionId, client_id: user.clientId, user_id: user.id, accepted_at: clock.now().toISOString() })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(added.numInsertedOrUpdatedRows ?? 0) > 0) {
      await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'policy.accepted', clientId: user.clientId, targetType: 'policy_version', targetId: versionId });
    }
  });
}

/** The notice e-mail, in Russian, Kazakh and English (the client's people may read any of them). */
function noticeText(clientName: string, v: PolicyVersion, link: string): { subject: string; text: string } {
  return {
    subject: `Privacy policy change / Изменение политики конфиденциальности / Құпиялылық саясатының өзгерісі: ${v.effectiveDate}`,
    text: [
      `${clientName}:`,
      `Политика конфиденциальности изменится ${v.effectiveDate}. Новый текст: ${link}`,
      `Құпиялылық саясаты ${v.effectiveDate} бастап өзгереді. Жаңа мәтін: ${link}`,
      `The privacy policy changes on ${v.effectiveDate}. The new text: ${link}`,
      '',
      v.body,
      '',
    ].join('\n'),
  };
}

/** Sends one client's notice. No SMTP yet, or the server refuses: the job retries with backoff and shows its failure on the jobs screen. */
export function policyNoticeHandler(deps: { db: Db; vault: Vault; publicUrl: () => string }): JobHandler {
  return {
    kind: POLICY_NOTICE_JOB,
    async run(job) {
      if (!job.clientId) return;
      const client = await deps.db.selectFrom('clients').select(['name', 'slug', 'contact_email', 'status']).where('id', '=', job.clientId).executeTakeFirst();
      if (!client || client.status !== 'active') return;
      // The client's contact address; without one, its owners'.
      const to = client.contact_email ? [client.contact_email]
        : (await deps.db.selectFrom('users').select('email').where('client_id', '=', job.clientId).where('role', '=', 'owner').where('disabled', '=', 0).execute()).map((u) => u.email);
      if (to.length === 0) return;
      const version = await getPolicyVersion(deps.db, String(job.payload.versionId));
      const smtp = await readSmtpConfig(deps.db, deps.vault);
      if (!smtp) throw new Error('SMTP is not configured: set smtp.host and smtp.from, the notice is retried');
      const link = `${deps.publicUrl().replace(/\/$/, '')}/policy/${version.id}`;
      await sendMail(smtp, { to: to.join(', '), ...noticeText(client.name, version, link) });
    },
  };
}

/** Per version: how many owners accepted it, and its notice e-mails sent, pending and given up (the operator's screen). */
export async function policyVersionStats(db: Db): Promise<Map<string, { acceptances: number; notices: { sent: number; pending: number; failed: number } }>> {
  const acc = await db.selectFrom('policy_acceptances').select(['policy_version_id', db.fn.countAll<number>().as('n')]).groupBy('policy_version_id').execute();
  const jobs = await db.selectFrom('jobs').select(['payload', 'status']).where('kind', '=', POLICY_NOTICE_JOB).execute();
  const out = new Map<string, { acceptances: number; notices: { sent: number; pending: number; failed: number } }>();
  const of = (id: string) => out.get(id) ?? out.set(id, { acceptances: 0, notices: { sent: 0, pending: 0, failed: 0 } }).get(id)!;
  for (const a of acc) of(a.policy_version_id).acceptances = Number(a.n);
  for (const j of jobs) {
    let id = '';
    try { id = String(JSON.parse(j.payload).versionId ?? ''); } catch { continue; }
    const n = of(id).notices;
    if (j.status === 'done') n.sent++;
    else if (j.status === 'dead') n.failed++;
    else n.pending++;
  }
  return out;
}
