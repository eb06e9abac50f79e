export * from './clients.ts';
export * from './support-grants.ts';
export * from './access.ts';
export * from './embedded-default.ts';
export * from './members.ts';
export * from './client-changes.ts';
export * from './client-settings.ts';
export * from './termination.ts';
