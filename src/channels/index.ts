// The channels room: channel accounts, the driver interface (what differs by kind) and its
// registry, the manager that runs one adapter per account (and is the send jobs' ChannelSender),
// and the drivers themselves.
export * from './accounts.ts';
export type { ChannelAdapter, ChannelDriver, ChannelHost, ChannelProfile, ConnectDeps, ConnectInput, PairingInfo } from './channel.ts';
export { ChannelManager, CHANNEL_MAINTENANCE_KIND, CHANNEL_MAINTENANCE_EVERY_MS } from './manager.ts';
export { connectChannelAccount } from './connect.ts';
export { removeChannelAccount } from './remove-account.ts';
export { requestChannelPairingCode, reconnectChannel, logoutChannel } from './pairing-commands.ts';
export { channelAttentionWatcher, channelAttentionHandler, CHANNEL_NOTICE_JOB } from './attention-notice.ts';
export { ChannelRegistry } from './registry.ts';
export { CHANNEL_DRIVERS } from './drivers.ts';
export * from './sandbox/index.ts';
export { deliveryMode as instagramDeliveryMode, pollConversations, InstagramWebhook, FacebookLogin, InstagramLogin, type DeliveryOutcome, type PageCandidate } from './instagram/index.ts';
// WhatsApp: the doctor's connector check; erasure of a contact's session keys and a number's whole auth state.
export { whatsappSelfCheck, eraseContactKeys as eraseWhatsappContactKeys, deleteAccountKeys as deleteWhatsappKeys } from './whatsapp/index.ts';
export { channelRecipients } from './recipients.ts';
