import type { ManualClock } from '../lib/clock.ts';
import { toChannelAccount, type ChannelAccount } from '../channels/index.ts';
import { findClient, DEMO_SLUG } from '../tenants/index.ts';
import { makeTestApp, type TestApp } from './test-app.ts';
import { startOpenAiStandIn, type OpenAiStandIn } from './openai-stand-in.ts';

export interface DemoAi {
  app: TestApp;
  clock: ManualClock;
  stub: OpenAiStandIn;
  clientId: string;
  account: ChannelAccount;
}

/** A fresh app with the demo client, its sandbox channel and a local OpenAI-compatible stand-in. */
export async function openDemoAi(): Promise<DemoAi> {
  const app = await makeTestApp();
  const stub = await startOpenAiStandIn();
  const demo = (await findClient(app.ctx.db, DEMO_SLUG))!;
  const row = await app.ctx.db.selectFrom('channel_accounts').selectAll().where('client_id', '=', demo.id).executeTakeFirstOrThrow();
  return { app, clock: app.clock as ManualClock, stub, clientId: demo.id, account: toChannelAccount(row) };
}

export async function closeDemoAi(d: DemoAi): Promise<void> {
  await d.stub.stop();
  await d.app.cleanup();
}
