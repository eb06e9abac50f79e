import type { ChannelDriver } from './channel.ts';
import { sandboxDriver } from './sandbox/index.ts';
import { whatsappDriver } from './whatsapp/index.ts';
import { instagramDriver } from './instagram/index.ts';

/**
 * Every channel kind this build knows (pipeline.ts builds the registry from it). WhatsApp and
 * Instagram are described (addressing, limits, window) but have no adapter yet: their rooms add it.
 */
export const CHANNEL_DRIVERS: readonly ChannelDriver[] = [sandboxDriver, whatsappDriver, instagramDriver];
