import type { Kysely } from 'kysely';
import * as m0001 from './0001_foundation.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<any>): Promise<void>;
}

/**
 * The static registry of migrations, compiled into the binary (never found on disk at run time).
 * A test fails when a file in this folder is missing here.
 */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: '0001_foundation', up: m0001.up },
];
