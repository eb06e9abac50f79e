// The public representation of Habar's objects (REST API and outgoing webhooks share it).
export { apiSchemas, named } from './schema-registry.ts';
export * from './representation.ts';
