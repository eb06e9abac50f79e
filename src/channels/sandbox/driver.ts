import type { Insertable } from 'kysely';
import { compiled, rowArgs } from '../../db/index.ts';
import type { SandboxDeliveriesTable } from '../../db/index.ts';
import { badRequest } from '../../lib/errors.ts';
import { randomToken } from '../../lib/ids.ts';
import { MAX_ATTACHMENT_BYTES, MAX_TEXT_LENGTH } from '../../messaging/index.ts';
import type { ChannelDriver } from '../channel.ts';
import { customerUrl } from '../accounts.ts';
import { signedCustomerUrl } from './customer-link.ts';
import { SANDBOX_IDENTITY } from './identity.ts';

type DeliveryRow = Required<Insertable<SandboxDeliveriesTable>>;
// Every sandbox reply is one of these: built once (db/compiled.ts).
const deliver = compiled<DeliveryRow>((db, arg) => db.insertInto('sandbox_deliveries')
  .values(rowArgs<DeliveryRow>(arg, ['message_id', 'client_id', 'channel_account_id', 'conversation_id', 'contact_id', 'calls', 'delivered_at']))
  .onConflict((oc) => oc.column('message_id').doUpdateSet((eb) => ({ calls: eb('sandbox_deliveries.calls', '+', 1) }))));

/** The sandbox's platform message ids: ours, prefixed (its receiving side is this appliance). */
export const sandboxPlatformId = (messageId: string) => `sandbox:${messageId}`;

/**
 * The sandbox channel: a browser chat page served by Habar itself. It is its own receiving side,
 * so a send is a row in sandbox_deliveries keyed by message id: exactly once however often the
 * send job runs (`calls` counts the attempts). Its customers are opaque ids; a conversation
 * started without one makes one (the thread shows the customer's signed chat link).
 */
export const sandboxDriver: ChannelDriver = {
  kind: SANDBOX_IDENTITY,
  idempotent: true,
  inProcess: true,
  sendRate: { capacity: 500, perSecond: 500 },
  initialStatus: 'connected',
  customerPage: true,
  startConversation: 'optional',
  parseAddress(to) {
    const value = to.trim() || `s_${randomToken(9)}`;
    if (value.length > 200) throw badRequest('Enter the recipient (at most 200 characters)', 'to');
    return { identity: { kind: SANDBOX_IDENTITY, value }, displayName: value.slice(0, 40) };
  },
  limits: { maxTextLength: MAX_TEXT_LENGTH, attachments: { mimeTypes: [''], maxBytes: MAX_ATTACHMENT_BYTES } },
  replyWindowMs: null,
  customerLink({ publicUrl, vault }, account, identities) {
    const who = identities?.find((i) => i.kind === SANDBOX_IDENTITY)?.value;
    // This customer's own chat: the link carries its signature (a bare ?customer= opens a new chat).
    return who ? signedCustomerUrl(publicUrl, vault, account, who) : customerUrl(publicUrl, account);
  },
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
          conversation_id: message.conversationId, contact_id: message.contactId, calls: 1, delivered_at: host.clock.now().toISOString(),
        });
        return { platformMessageId: sandboxPlatformId(message.messageId) };
      },
    };
  },
};
