import { recordAudit, type AuditAction, type AuditBy } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { ChannelAccount } from './accounts.ts';
import type { ChannelManager } from './manager.ts';

// The pairing buttons of the UI and the API, as commands: each asks the account's adapter (the
// platform is called, so there is no transaction to share) and records who did it once it worked.

type Deps = { db: Db; clock: Clock; channels: ChannelManager };

async function audited(deps: Deps, account: ChannelAccount, action: AuditAction, by: AuditBy): Promise<void> {
  await recordAudit(deps.db, deps.clock, {
    actor: by, action, clientId: account.clientId, targetType: 'channel_account', targetId: account.id, ip: by.ip, details: { kind: account.kind },
  });
}

/** A code to type on the phone with this number (400 invalid_phone, 409 already_connected / not_supported). */
export async function requestChannelPairingCode(deps: Deps, account: ChannelAccount, phone: string, by: AuditBy): Promise<string> {
  const code = await deps.channels.requestPairingCode(account, phone);
  await audited(deps, account, 'channel.pairing_code_requested', by);
  return code.replace(/-/g, '');
}

/** Re-pair or reconnect (409 not_supported for a kind that does not pair). */
export async function reconnectChannel(deps: Deps, account: ChannelAccount, by: AuditBy): Promise<void> {
  await deps.channels.reconnect(account);
  await audited(deps, account, 'channel.reconnected', by);
}

/** Disconnect: log the phone out (409 not_supported for a kind that does not pair). */
export async function logoutChannel(deps: Deps, account: ChannelAccount, by: AuditBy): Promise<void> {
  await deps.channels.logout(account);
  await audited(deps, account, 'channel.disconnected', by);
}
