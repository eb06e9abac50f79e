import type { Habar } from '../app.ts';
import { listChannelAccounts, createChannelAccount, type ChannelAccount } from '../channels/index.ts';
import { ingestInbound, type ChannelAccountRef, type ChannelSender, type IngestResult, type OutboundMessage, type SendResult } from '../messaging/index.ts';
import { DEMO_SLUG, getClient } from '../tenants/index.ts';
import { buildClient } from './test-app.ts';

/** The demo client's sandbox channel (seeded on a fresh data file). */
export async function demoSandbox(app: Habar): Promise<ChannelAccount> {
  const demo = await getClient(app.ctx.db, DEMO_SLUG);
  const ch = (await listChannelAccounts(app.ctx.db, demo.id)).find((c) => c.kind === 'sandbox');
  if (!ch) throw new Error('the demo client has no sandbox channel');
  return ch;
}

/**
 * A sandbox channel of a fresh client: nothing answers its customers unless the test turns it on
 * (the demo client's AI answers from its FAQ by default).
 */
export async function quietSandbox(app: Habar): Promise<ChannelAccount> {
  const client = await buildClient(app);
  return createChannelAccount(app.ctx.db, app.ctx.clock, app.ctx.vault, { clientId: client.id, kind: 'sandbox', name: 'Sandbox' });
}

/** A channel account of another kind for a client (its adapter is the test's stand-in). */
export function buildChannel(app: Habar, clientId: string, kind: ChannelAccount['kind'] = 'sandbox', name = 'Test channel'): Promise<ChannelAccount> {
  return createChannelAccount(app.ctx.db, app.ctx.clock, app.ctx.vault, { clientId, kind, name });
}

/** One inbound message from a sandbox customer, through the real pipeline. */
export function customerSays(app: Habar, channelId: string, customer: string, text: string, platformMessageId = `${customer}-${Math.random().toString(36).slice(2)}`): Promise<IngestResult> {
  return ingestInbound(app.ctx, { channelAccountId: channelId, platformMessageId, text, from: { identities: [{ kind: 'sandbox', value: customer }] } });
}

/**
 * A stand-in for a platform without idempotency (like WhatsApp): records every send call; a
 * call can be made to hang forever (the process "dies" during it) or to fail.
 */
export class RecordingSender implements ChannelSender {
  calls: OutboundMessage[] = [];
  hang = false;
  failWith: Error | undefined;
  constructor(readonly isIdempotent = false) {}
  idempotent(_account: ChannelAccountRef): boolean {
    return this.isIdempotent;
  }
  async send(_account: ChannelAccountRef, message: OutboundMessage): Promise<SendResult> {
    this.calls.push(message);
    if (this.hang) return new Promise(() => {});
    if (this.failWith) throw this.failWith;
    return { platformMessageId: `wamid.${this.calls.length}.${message.messageId}` };
  }
}
