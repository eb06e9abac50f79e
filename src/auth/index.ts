export * from './roles.ts';
export * from './passwords.ts';
export * from './users.ts';
export * from './sessions.ts';
export * from './throttle.ts';
export * from './login.ts';
