// The WhatsApp room: a number paired through Baileys (the only room that imports it), its sealed
// auth state, its connection supervisor and its adapter behind the channel interface.
export { whatsappDriver, makeWhatsappDriver } from './driver.ts';
// Nothing here loads Baileys: the adapter (and Baileys with it) loads when a number first starts.
export type { WhatsappOptions } from './options.ts';
export type { SocketFactory, SocketOptions, WaSocket } from './socket.ts';
export type { SupervisorPolicy, Timers } from './supervisor.ts';
// Erasure and channel deletion: a contact's keys by the keyed hash of their number; a number's whole auth state.
export { eraseContactKeys, deleteAccountKeys } from './auth-rows.ts';
export { whatsappSettings, DEFAULT_SETTINGS as DEFAULT_WHATSAPP_SETTINGS, type WhatsappSettings } from './settings.ts';
// The doctor's connector check (does Baileys work in this build).
export { whatsappSelfCheck } from './self-check.ts';
