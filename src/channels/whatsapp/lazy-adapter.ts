import type { ChannelAccount } from '../accounts.ts';
import type { ChannelAdapter, ChannelHost } from '../channel.ts';
import type { WhatsappOptions } from './options.ts';

/**
 * The WhatsApp adapter behind a door: Baileys (about half a second and 50 MB to load) is loaded
 * when a number first starts, sends or pairs, so an appliance without WhatsApp numbers never pays for it.
 */
export function lazyWhatsappAdapter(account: ChannelAccount, host: ChannelHost, opts: WhatsappOptions): ChannelAdapter {
  let loading: Promise<ChannelAdapter> | undefined;
  let loaded: ChannelAdapter | undefined;
  const load = () => (loading ??= import('./adapter.ts').then((m) => (loaded = m.createWhatsappAdapter(account, host, opts))));
  return {
    idempotent: false,
    start: async () => (await load()).start(),
    stop: async () => {
      if (loading) await (await loading).stop();
    },
    send: async (m) => (await load()).send(m),
    pairing: () => loaded?.pairing?.(),
    requestPairingCode: async (phone) => (await load()).requestPairingCode!(phone),
    reconnect: async () => (await load()).reconnect!(),
    logout: async () => (await load()).logout!(),
  };
}
