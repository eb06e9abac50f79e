import { badRequest } from '../lib/errors.ts';
import type { ChannelDriver, ChannelHost } from '../channels/index.ts';
import type { IngestResult, OutboundMessage } from '../messaging/index.ts';

/**
 * A made-up channel kind, "pigeon", for tests: a contact is a ring number ("P-1234"; typed in any
 * case, with or without the dash), and the platform is this in-memory loft. Registered only in a
 * test's registry (makeTestApp({ channelDrivers: [...CHANNEL_DRIVERS, loft.driver] })).
 */
export class PigeonLoft {
  /** Every send the platform took. */
  sent: OutboundMessage[] = [];
  /** Like WhatsApp's own-message upserts: the platform echoes a send to the account before the send call returns. */
  echoBeforeReturn = false;
  /** The send call never returns (the process dies during it). */
  hang = false;
  private host: ChannelHost | undefined;

  readonly driver: ChannelDriver = {
    kind: 'pigeon',
    idempotent: false,
    sendRate: { capacity: 100, perSecond: 100 },
    initialStatus: 'connected',
    startConversation: 'address',
    parseAddress(to) {
      const m = /^p-?(\d{4})$/i.exec(to.trim());
      if (!m) throw badRequest('Enter a ring number such as P-1234', 'to', 'invalid_ring');
      return { identity: { kind: 'username', value: `P-${m[1]}` }, displayName: `Pigeon P-${m[1]}` };
    },
    limits: { maxTextLength: 280, attachments: { mimeTypes: [], maxBytes: 0 } },
    replyWindowMs: null,
    create: (account, host) => {
      this.host = host;
      return {
        idempotent: false,
        start: async () => host.setStatus(account.id, 'connected'),
        stop: async () => {},
        send: async (message) => {
          this.sent.push(message);
          if (this.hang) return new Promise(() => {});
          const platformMessageId = `pg-${this.sent.length}`;
          if (this.echoBeforeReturn) await this.echo(account.id, message.to[0].value, message.text, platformMessageId);
          return { platformMessageId };
        },
      };
    },
  };

  /** A pigeon arrives from a contact. */
  deliver(accountId: string, ring: string, text: string, platformMessageId: string): Promise<IngestResult> {
    return this.hostOf().ingest({ channelAccountId: accountId, platformMessageId, text, from: { identities: [{ kind: 'username', value: ring }] } });
  }

  /** The account sent something (ours echoed back, or typed by a person on the loft's own device). */
  echo(accountId: string, ring: string, text: string, platformMessageId: string): Promise<IngestResult> {
    return this.hostOf().ingest({ channelAccountId: accountId, platformMessageId, text, direction: 'out', from: { identities: [{ kind: 'username', value: ring }] } });
  }

  /** The loft reports a platform event to the host (a receipt, an edit, the account's profile). */
  report(): ChannelHost {
    return this.hostOf();
  }

  private hostOf(): ChannelHost {
    if (!this.host) throw new Error('the pigeon adapter was not made yet (start the account or send first)');
    return this.host;
  }
}
