import type { Clock } from '../lib/clock.ts';
import type { Db } from '../db/index.ts';
import { findOwnSendInFlight, type IdentityRef, type InboundEvent, type OutboundMessage, type OwnSend } from '../messaging/index.ts';

/** How long a send of ours stays recognisable after the platform took it (its echo may lag). */
const REMEMBER_MS = 120_000;

interface Pending extends OwnSend {
  accountId: string;
  text: string;
  to: IdentityRef[];
  platformMessageId?: string;
  /** Set when the platform answered: the record is dropped this long after. */
  until?: number;
}

const sameIdentity = (a: IdentityRef[], b: IdentityRef[]) => a.some((x) => b.some((y) => x.kind === y.kind && x.value === y.value));

/**
 * Tells a platform's echo of our own send from a message a person typed on the phone, for every
 * channel: a send is noted before the platform call (in memory) and, where the platform does not
 * dedupe, its message row is already "in flight" (durable). An outgoing event that matches one of
 * them (same platform id, or same recipient and text while the id is not known yet) is our
 * message, so the host drops it before the pipeline: it is never stored twice and never taken
 * for a person's reply.
 */
export class EchoGuard {
  private readonly pending: Pending[] = [];

  constructor(private readonly clock: Clock) {}

  /** Before the platform call. */
  sending(accountId: string, m: OutboundMessage): Pending {
    this.prune(); // also where a platform never echoes: the notes of its sends expire
    const p: Pending = { accountId, messageId: m.messageId, conversationId: m.conversationId, contactId: m.contactId, clientId: m.clientId, text: m.text, to: m.to };
    this.pending.push(p);
    return p;
  }

  /** After it: with the platform id (the echo may still come), or without (the call failed). */
  sent(p: Pending, platformMessageId?: string): void {
    if (platformMessageId === undefined) {
      this.forget(p);
      return;
    }
    p.platformMessageId = platformMessageId;
    p.until = this.clock.now().getTime() + REMEMBER_MS;
  }

  /** Our send this outgoing event echoes, if any (each send matches one echo). */
  async match(db: Db, event: InboundEvent): Promise<OwnSend | undefined> {
    this.prune();
    const p = this.pending.find((x) => x.accountId === event.channelAccountId && x.platformMessageId === event.platformMessageId)
      ?? this.pending.find((x) => x.accountId === event.channelAccountId && x.platformMessageId === undefined && x.text === event.text && sameIdentity(x.to, event.from.identities));
    if (p) {
      this.forget(p);
      return p;
    }
    // After a restart the memory is empty, but a send the crash interrupted is still in flight in its row.
    return findOwnSendInFlight(db, event.channelAccountId, event.from.identities, event.text);
  }

  private forget(p: Pending): void {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
  }

  private prune(): void {
    const now = this.clock.now().getTime();
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i].until !== undefined && this.pending[i].until! < now) this.pending.splice(i, 1);
  }
}
