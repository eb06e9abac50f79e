import { recordAudit, type AuditBy } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { isAppError } from '../lib/errors.ts';
import type { ChannelAccount } from './accounts.ts';
import type { ChannelManager } from './manager.ts';

/**
 * Deletes a channel account (the UI's delete button, DELETE /api/v1/channels/{id}): logs its
 * device out on the platform (a failure there does not stop the deletion), stops its adapter,
 * deletes its session keys and its sealed credentials, and marks it deleted: the row stays, so
 * its conversations stay readable in the inbox, but it is gone from lists and the API. `purge`
 * deletes the row too and, by the schema's cascade, its conversations and messages (also of an
 * account deleted before). Audited.
 */
export async function removeChannelAccount(
  deps: { db: Db; clock: Clock; log: Logger; channels: ChannelManager },
  account: ChannelAccount,
  opts: { purge: boolean; by: AuditBy },
): Promise<void> {
  const { db, clock, log, channels } = deps;
  if (!account.deletedAt) { // a channel deleted before (now purged) was logged out and forgotten then
    try {
      await channels.logout(account);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'not_supported') {
        log.warn('channel', 'logout before deletion failed', { channel_account_id: account.id, kind: account.kind, error: err as Error });
      }
    }
    await channels.stopAccount(account.id);
    await channels.registry.driverFor(account.kind)?.deleteKeys?.(db, account.id);
  }
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    if (opts.purge) await trx.deleteFrom('channel_accounts').where('id', '=', account.id).execute();
    else await trx.updateTable('channel_accounts').set({ deleted_at: now, credentials: null, updated_at: now }).where('id', '=', account.id).execute();
    await recordAudit(trx, clock, {
      actor: opts.by, action: opts.purge ? 'channel.purged' : 'channel.deleted', clientId: account.clientId,
      targetType: 'channel_account', targetId: account.id, ip: opts.by.ip, details: { kind: account.kind },
    });
  });
}
