// The channels room: channel accounts, the adapter interface, the manager that runs one adapter
// per account (and is the send jobs' ChannelSender), and the adapters themselves.
export * from './accounts.ts';
export type { ChannelAdapter, ChannelDriver, ChannelHost } from './channel.ts';
export { ChannelManager } from './manager.ts';
export { CHANNEL_DRIVERS } from './drivers.ts';
export * from './sandbox/index.ts';
