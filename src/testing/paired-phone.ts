import { badRequest } from '../lib/errors.ts';
import type { ChannelDriver, ChannelHost, PairingInfo } from '../channels/index.ts';
import type { ChannelStatus, OutboundMessage } from '../messaging/index.ts';

/**
 * A made-up channel kind, "handset" (or another kind's name, to stand in for that kind's adapter,
 * e.g. "whatsapp" in API tests), for tests of pairing: like a WhatsApp number, an account is
 * paired by scanning a QR code (which rotates) or typing a pairing code, can be logged out (on the
 * phone or by us) and reconnected. The platform is this object; the test drives it. Registered
 * only in a test's registry (makeTestApp({ channelDrivers: [...CHANNEL_DRIVERS, phone.driver] })).
 */
export class PairedPhone {
  /** Calls the host's adapter took, in order: start, stop, reconnect, logout, pairing-code:<phone>. */
  calls: string[] = [];
  sent: OutboundMessage[] = [];
  /** The pairing code the platform hands out. */
  code = 'ABCD1234';
  /** The account's keys were deleted (the driver's deleteKeys). */
  keysDeleted: string[] = [];
  private qr: string | undefined;
  private rotations = 0;
  private status: ChannelStatus = 'connecting';
  private host: ChannelHost | undefined;
  private accountId = '';

  constructor(kind = 'handset') {
    this.driver = { ...this.base, kind };
  }

  readonly driver: ChannelDriver;

  private readonly base: ChannelDriver = {
    kind: 'handset',
    idempotent: false,
    sendRate: { capacity: 100, perSecond: 100 },
    initialStatus: 'connecting',
    startConversation: 'address',
    parseAddress(to) {
      if (!/^\+\d{8,15}$/.test(to.trim())) throw badRequest('Enter a phone number', 'to', 'invalid_phone');
      return { identity: { kind: 'phone', value: to.trim() }, phone: to.trim() };
    },
    limits: { maxTextLength: 4096, attachments: { mimeTypes: [], maxBytes: 0 } },
    replyWindowMs: null,
    deleteKeys: async (_db, accountId) => void this.keysDeleted.push(accountId),
    create: (account, host) => {
      this.host = host;
      this.accountId = account.id;
      return {
        idempotent: false,
        start: async () => {
          this.calls.push('start');
          await this.waitForScan();
        },
        stop: async () => void this.calls.push('stop'),
        send: async (message) => {
          this.sent.push(message);
          return { platformMessageId: `hs-${this.sent.length}` };
        },
        pairing: (): PairingInfo | undefined => (this.status === 'qr' && this.qr ? { kind: 'qr', value: this.qr } : undefined),
        requestPairingCode: async (phone) => {
          this.calls.push(`pairing-code:${phone}`);
          return this.code;
        },
        reconnect: async () => {
          this.calls.push('reconnect');
          await this.waitForScan();
        },
        logout: async () => {
          this.calls.push('logout');
          await this.setStatus('logged_out');
        },
      };
    },
  };

  /** The platform rotates the QR code (WhatsApp does every ~20 s). */
  rotate(): string {
    this.qr = `2@handset-qr-${++this.rotations},${'x'.repeat(40)}`;
    return this.qr;
  }

  /** The person scanned the code: connected as this number and profile. */
  async scanned(phone: string, profileName: string): Promise<void> {
    this.qr = undefined;
    await this.hostOf().setProfile(this.accountId, { phone, profileName });
    await this.setStatus('connected');
  }

  /** The device was removed on the phone. */
  async loggedOutOnPhone(): Promise<void> {
    await this.setStatus('logged_out', 'The device was logged out on the phone');
  }

  async setStatus(status: ChannelStatus, lastError?: string): Promise<void> {
    this.status = status;
    await this.hostOf().setStatus(this.accountId, status, lastError);
  }

  private async waitForScan(): Promise<void> {
    await this.setStatus('connecting');
    this.rotate();
    await this.setStatus('qr');
  }

  private hostOf(): ChannelHost {
    if (!this.host) throw new Error('the handset adapter was not made yet (start the account first)');
    return this.host;
  }
}
