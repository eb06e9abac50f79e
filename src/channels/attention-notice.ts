// A channel that needs a person (logged out on the phone, its QR code expired, a reconnect that
// cannot happen by itself) is announced three ways: the banner on the client's pages (the
// channel's status itself), an audit entry written with the status change, and an e-mail to the
// client's owners when SMTP is set up (a durable job queued in the same transaction).
import { recordAudit, SYSTEM_ACTOR } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob, type JobHandler } from '../jobs/index.ts';
import { readSmtpConfig, sendMail } from '../mail/index.ts';
import type { ChannelStatus, TransactionalSubscriber } from '../messaging/index.ts';
import type { Vault } from '../vault/index.ts';
import { findChannelAccount } from './accounts.ts';

export const CHANNEL_NOTICE_JOB = 'channel.attention_notice';

/** The statuses a person must act on (scan again, start pairing again). */
export const ATTENTION_STATUSES: readonly ChannelStatus[] = ['logged_out', 'qr_expired', 'reconnect_needed'];

const WHAT: Partial<Record<ChannelStatus, string>> = {
  logged_out: 'was logged out on the phone: scan the QR code again to reconnect it',
  qr_expired: 'was not paired in time (the QR code expired): start pairing again',
  reconnect_needed: 'cannot reconnect by itself: reconnect it on the channels page',
};

/** Inside the status change's transaction: its audit entry and the e-mail job. */
export function channelAttentionWatcher(deps: { clock: Clock }): TransactionalSubscriber {
  return async (trx, events) => {
    for (const e of events) {
      if (e.type !== 'channel.status' || !ATTENTION_STATUSES.includes(e.channel.status)) continue;
      await recordAudit(trx, deps.clock, {
        actor: SYSTEM_ACTOR, action: 'channel.attention_needed', clientId: e.clientId, targetType: 'channel_account', targetId: e.channel.id,
        details: { kind: e.channel.kind, status: e.channel.status, last_error: e.channel.lastError },
      });
      await enqueueJob(trx, deps.clock, {
        kind: CHANNEL_NOTICE_JOB, clientId: e.clientId, payload: { channelId: e.channel.id, status: e.channel.status },
        idempotencyKey: `channel.attention:${e.channel.id}:${e.at}`, maxAttempts: 5,
      });
    }
  };
}

/** Sends the e-mail to the client's owners (nothing when SMTP is not set up, or the channel was deleted or recovered since). */
export function channelAttentionHandler(deps: { db: Db; vault: Vault; publicUrl: () => string }): JobHandler {
  return {
    kind: CHANNEL_NOTICE_JOB,
    async run(job) {
      const smtp = await readSmtpConfig(deps.db, deps.vault);
      if (!smtp || !job.clientId) return;
      const account = await findChannelAccount(deps.db, String(job.payload.channelId));
      if (!account || account.deletedAt || account.status !== job.payload.status) return;
      const client = await deps.db.selectFrom('clients').select(['slug', 'name']).where('id', '=', job.clientId).executeTakeFirst();
      if (!client) return;
      const owners = await deps.db.selectFrom('users').select('email').where('client_id', '=', job.clientId).where('disabled', '=', 0).where('role', '=', 'owner').execute();
      if (owners.length === 0) return;
      const link = `${deps.publicUrl().replace(/\/$/, '')}/clients/${client.slug}/channels`;
      await sendMail(smtp, {
        to: owners.map((u) => u.email).join(', '),
        subject: `[Habar] ${client.name}: the channel "${account.name}" needs you`,
        text: `The channel "${account.name}" ${WHAT[account.status] ?? `is ${account.status}`}.\n\nOpen the channels page: ${link}\n`,
      });
    },
  };
}
