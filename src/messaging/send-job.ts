import type { Db } from '../db/index.ts';
import { compiled } from '../db/index.ts';
import type { Logger } from '../lib/logger.ts';
import { markJobDone, PermanentJobError, type Job, type JobFailureReason, type JobHandler } from '../jobs/index.ts';
import { recordUsage } from '../billing/index.ts';
import { listIdentities } from './contacts.ts';
import { findMessageRow, toMessage } from './messages.ts';
import { SEND_MESSAGE_JOB } from './outbound.ts';
import type { MessagingDeps } from './inbound.ts';
import { inTransaction } from './transaction.ts';
import type { MessagingEvent } from './events.ts';
import type { ChannelSender, Direction } from './types.ts';
import { channelAccountRef } from './channel-ref.ts';

// Every outbound message runs these: built once (db/compiled.ts).
const dropEcho = compiled<{ account: string; platformId: string; id: string }>((db, arg) => db.deleteFrom('messages')
  .where('channel_account_id', '=', arg('account')).where('platform_message_id', '=', arg('platformId'))
  .where('id', '!=', arg('id')).where('direction', '=', 'out'));
const markSent = compiled<{ id: string; platformId: string; now: string }>((db, arg) => db.updateTable('messages')
  .set({ status: 'sent', platform_message_id: arg('platformId'), sent_at: arg('now'), in_flight_at: null, error: null, updated_at: arg('now') })
  .where('id', '=', arg('id')));

/**
 * An adapter throws this when it cannot tell whether the platform took the message (a timeout
 * after the request left). The message stays "in flight", so the retry is the one uncertain retry.
 */
export class SendOutcomeUnknownError extends Error {
  override name = 'SendOutcomeUnknownError';
}

/**
 * The send job: hands one queued message to its channel and records the outcome.
 * Where the platform dedupes by our message id (the sandbox), a retry after a crash is simply
 * safe. Where it does not, the message is marked in flight before the call; a job that finds its
 * message still in flight (a crash during the call) marks it uncertain and retries once; a second
 * such crash gives up, and the message is failed with that reason, shown in the thread.
 */
export function sendJobHandler(deps: MessagingDeps & { log: Logger }, sender: ChannelSender): JobHandler {
  const { db, clock } = deps;
  return {
    kind: SEND_MESSAGE_JOB,
    async run(job: Job) {
      const messageId = String(job.payload.messageId);
      const row = await findMessageRow(db, messageId);
      if (!row || row.deleted_at || (row.status !== 'queued' && row.status !== 'failed')) return; // erased, withdrawn, or already sent
      const account = await channelAccountRef(db, row.channel_account_id);
      if (!account) throw new PermanentJobError('The channel no longer exists');
      if (account.halted) throw new PermanentJobError('The client\u2019s account was terminated: nothing is sent any more');
      const idempotent = sender.idempotent(account);
      if (!idempotent) {
        const now = clock.now().toISOString();
        if (row.in_flight_at && row.uncertain) throw new PermanentJobError('Sending was interrupted twice; whether the customer received the message is unknown');
        await inTransaction(deps, async (trx, events) => {
          if (row.in_flight_at) {
            await trx.updateTable('messages').set({ uncertain: 1, updated_at: now }).where('id', '=', row.id).execute();
            events.push({ type: 'message.updated', clientId: row.client_id, at: now, message: toMessage({ ...row, uncertain: 1, updated_at: now }) });
          }
          await trx.updateTable('messages').set({ in_flight_at: now, updated_at: now }).where('id', '=', row.id).execute();
        });
      }
      const to = await listIdentities(db, row.contact_id, row.channel_account_id);
      const quoted = row.reply_to_message_id ? await findMessageRow(db, row.reply_to_message_id) : undefined;
      const replyTo = quoted?.platform_message_id ? { platformMessageId: quoted.platform_message_id, text: quoted.text, direction: quoted.direction as Direction } : undefined;
      const send = (trx?: Db) => sender.send(account, {
        messageId: row.id, clientId: row.client_id, channelAccountId: row.channel_account_id, conversationId: row.conversation_id,
        contactId: row.contact_id, to: to.map((i) => ({ kind: i.kind, value: i.value })), text: row.text, attachments: toMessage(row).attachments,
        ...(replyTo ? { replyTo } : {}), ...(trx ? { db: trx } : {}),
      });
      const recordSent = async (trx: Db, events: MessagingEvent[], platformMessageId: string) => {
        const now = clock.now().toISOString();
        // A platform echo of this very message may have been stored first (same platform id): it is this message.
        await dropEcho.execute(trx, { account: row.channel_account_id, platformId: platformMessageId, id: row.id });
        await markSent.execute(trx, { id: row.id, platformId: platformMessageId, now });
        await recordUsage(trx, clock, { clientId: row.client_id, kind: 'outbound_message', channelAccountId: row.channel_account_id });
        await markJobDone(trx, clock, job.id); // one commit for the outcome and the job's completion
        const sent = await findMessageRow(trx, row.id);
        if (sent) events.push({ type: 'message.sent', clientId: row.client_id, at: now, message: toMessage(sent) });
      };
      if (idempotent && sender.inProcess?.(account)) {
        // The receiving side is this database (the sandbox): delivery, outcome and completion in one commit.
        await inTransaction(deps, async (trx, events) => recordSent(trx, events, (await send(trx)).platformMessageId));
        return;
      }
      let platformMessageId: string;
      try {
        ({ platformMessageId } = await send());
      } catch (err) {
        // The adapter says the platform refused or was never reached: nothing left; not in flight any more.
        if (!idempotent && !(err instanceof SendOutcomeUnknownError)) {
          await db.updateTable('messages').set({ in_flight_at: null, updated_at: clock.now().toISOString() }).where('id', '=', row.id).execute();
        }
        throw err;
      }
      await inTransaction(deps, (trx, events) => recordSent(trx, events, platformMessageId));
    },
    async onDead(job: Job, error: string, reason?: JobFailureReason) {
      const messageId = String(job.payload.messageId);
      const now = clock.now().toISOString();
      await inTransaction(deps, async (trx, events) => {
        const r = await trx.updateTable('messages').set({ status: 'failed', error: error.slice(0, 500), error_reason: reason ? JSON.stringify(reason) : null, in_flight_at: null, updated_at: now })
          .where('id', '=', messageId).where('status', '=', 'queued').executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return;
        const row = await trx.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirstOrThrow();
        events.push({ type: 'message.failed', clientId: row.client_id, at: now, message: toMessage(row) });
      });
    },
  };
}
