// The embedded default in one place: with no configuration, `serve` has an admin, a demo client
// with a sandbox channel, and the demo client's AI answering from the demo FAQ, so the main job
// works on a fresh machine with no outside service. A composition file: it calls each room's own
// function, in order (tenants, then channels, then ai), and app.ts calls it.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Vault } from '../vault/index.ts';
import { isLanguage } from '../auth/index.ts';
import { getSetting } from '../settings/index.ts';
import { DEMO_SLUG, findClient, seedAdminAndDemoClient } from '../tenants/index.ts';
import { createChannelAccount, listChannelAccounts, type ChannelRegistry } from '../channels/index.ts';
import { writeDemoAiSettings } from '../ai/index.ts';
import { DEFAULT_NAMES } from './default-names.ts';

/** What the first start created: the one-time admin password and the demo client's customer chat (its public token). */
export interface SeededDefault {
  adminPassword?: string;
  demoChatToken?: string;
}

/**
 * Seeds what is missing. On a data file with no users: the admin (its one-time password is
 * returned, to be printed once), the demo client and its sandbox channel, named in the install's
 * default language (`ui.default_language`, else Russian). On every start: a demo client without
 * stored AI settings gets the demo FAQ ones (data files from before they were stored keep
 * answering as they did).
 */
export async function seedEmbeddedDefault(db: Db, clock: Clock, vault: Vault, channels?: ChannelRegistry): Promise<SeededDefault> {
  const lang = await getSetting(db, vault, 'ui.default_language');
  const names = DEFAULT_NAMES[isLanguage(lang) ? lang : 'ru'];
  const { adminPassword } = await seedAdminAndDemoClient(db, clock, names);
  const demo = await findClient(db, DEMO_SLUG);
  if (!demo) return { adminPassword };
  let demoChatToken: string | undefined;
  if (adminPassword) {
    const existing = await listChannelAccounts(db, demo.id);
    const sandbox = existing.length ? undefined : await createChannelAccount(db, clock, vault, { clientId: demo.id, kind: 'sandbox', name: names.sandbox }, channels);
    demoChatToken = (sandbox ?? existing.find((a) => a.publicToken))?.publicToken ?? undefined;
  }
  await writeDemoAiSettings(db, vault, clock, demo.id);
  return { adminPassword, demoChatToken };
}
