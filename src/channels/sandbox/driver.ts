import type { Insertable } from 'kysely';
import { compiled, rowArgs } from '../../db/compiled.ts';
import type { SandboxDeliveriesTable } from '../../db/index.ts';
import type { ChannelDriver } from '../channel.ts';

type DeliveryRow = Required<Insertable<SandboxDeliveriesTable>>;
// Every sandbox reply is one of these: built once (db/compiled.ts).
const deliver = compiled<DeliveryRow>((db, arg) => db.insertInto('sandbox_deliveries')
  .values(rowArgs<DeliveryRow>(arg, ['message_id', 'client_id', 'channel_account_id', 'conversation_id', 'calls', 'delivered_at']))
  .onConflict((oc) => oc.column('message_id').doUpdateSet((eb) => ({ calls: eb('sandbox_deliveries.calls', '+', 1) }))));

/** The sandbox's platform message ids: ours, prefixed (its receiving side is this appliance). */
export const sandboxPlatformId = (messageId: string) => `sandbox:${messageId}`;

/**
 * The sandbox channel: a browser chat page served by Habar itself. It is its own receiving side,
 * so a send is a row in sandbox_deliveries keyed by message id: exactly once however often the
 * send job runs (`calls` counts the attempts).
 */
export const sandboxDriver: ChannelDriver = {
  kind: 'sandbox',
  idempotent: true,
  inProcess: true,
  sendRate: { capacity: 500, perSecond: 500 },
  create(account, host) {
    return {
      idempotent: true,
      async start() {
        await host.setStatus(account.id, 'connected');
      },
      async stop() {},
      async send(message) {
        // In the send job's outcome transaction when it passes one: delivered and sent commit together.
        await deliver.execute(message.db ?? host.db, {
          message_id: message.messageId, client_id: message.clientId, channel_account_id: message.channelAccountId,
          conversation_id: message.conversationId, calls: 1, delivered_at: host.clock.now().toISOString(),
        });
        return { platformMessageId: sandboxPlatformId(message.messageId) };
      },
    };
  },
};
