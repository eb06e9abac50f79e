export { seedEmbeddedDefault } from './embedded-default.ts';
