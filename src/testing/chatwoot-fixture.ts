import { SYSTEM_ACTOR } from '../audit/index.ts';
import type { ChannelAccount } from '../channels/index.ts';
import { saveChatwootSettings } from '../chatwoot/index.ts';
import type { ManualClock } from '../lib/clock.ts';
import { setSetting } from '../settings/index.ts';
import { ChatwootStandIn } from './chatwoot-stand-in.ts';
import { quietSandbox } from './messaging-fixtures.ts';
import { makeTestApp, type TestApp } from './test-app.ts';

export interface ChatwootWorld {
  app: TestApp;
  cw: ChatwootStandIn;
  ch: ChannelAccount;
  clock: ManualClock;
  /** Runs every due job to idle (the server runs them on timers), after Chatwoot's webhooks arrived. */
  run(): Promise<number>;
}

/**
 * A listening Habar (Chatwoot must reach its webhook URL) with one client and its sandbox channel,
 * and a Chatwoot stand-in on 127.0.0.1 (so private targets are allowed). `connect` connects them.
 */
export async function chatwootWorld(opts: { connect?: boolean; signing?: ChatwootStandIn['signing'] } = {}): Promise<ChatwootWorld> {
  const app = await makeTestApp({ seed: false });
  await setSetting(app.ctx.db, app.ctx.vault, app.ctx.clock, 'chatwoot.allow_private_targets', 'true');
  await app.listen();
  const cw = await new ChatwootStandIn().start();
  cw.now = () => app.clock.now().getTime();
  if (opts.signing) cw.signing = opts.signing;
  const ch = await quietSandbox(app);
  if (opts.connect !== false) await connectWorld(app, cw, ch.clientId);
  const run = async () => {
    let total = 0;
    for (let i = 0; i < 20; i++) {
      await cw.settle();
      const n = await app.ctx.jobs.drain();
      total += n;
      await cw.settle();
      if (n === 0) return total;
    }
    return total;
  };
  return { app, cw, ch, clock: app.clock as ManualClock, run };
}

export function connectWorld(app: TestApp, cw: ChatwootStandIn, clientId: string) {
  return saveChatwootSettings(app.ctx, clientId, { url: cw.url, accountId: cw.accountId, apiToken: cw.token }, SYSTEM_ACTOR);
}

export async function endWorld(w: ChatwootWorld): Promise<void> {
  await w.cw.settle();
  await w.cw.stop();
  await w.app.cleanup();
}
