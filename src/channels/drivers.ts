import type { ChannelDriver } from './channel.ts';
import { sandboxDriver } from './sandbox/index.ts';

/** Every channel kind this build can run. The WhatsApp and Instagram rooms add their drivers here. */
export const CHANNEL_DRIVERS: ChannelDriver[] = [sandboxDriver];
