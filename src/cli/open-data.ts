import fs from 'node:fs';
import path from 'node:path';
import type { BootConfig } from '../config/boot-config.ts';
import { openHabar, type Habar } from '../app.ts';
import { DB_FILE } from '../db/index.ts';
import { AppError } from '../lib/errors.ts';
import { createLogger } from '../lib/logger.ts';
import { pidNote, runningServer } from './serve.ts';

/** The data file of a data dir, which must exist (CLI tools never create one; `serve` does). */
export function existingDataFile(config: Readonly<BootConfig>): string {
  const file = path.join(config.dataDir, DB_FILE);
  if (!fs.existsSync(file)) {
    throw new AppError('no_data_file', `No Habar data file in ${config.dataDir}. Check --data-dir (or HABAR_DATA_DIR), or run "habar serve --data-dir ${config.dataDir}" once to create it.`, 1);
  }
  return file;
}

/** Refuses when a live server holds the data dir (for commands that must not run beside one). */
export function refuseWhileServing(config: Readonly<BootConfig>, what: string): void {
  const server = runningServer(config.dataDir);
  if (server) throw new AppError('data_dir_busy', `A Habar server ${pidNote(server)}is serving ${config.dataDir}; stop it before you ${what}.`, 1);
}

/**
 * Opens an existing data dir for a CLI tool, runs `fn` and always closes it (checkpointing the WAL).
 * Migrations run as at start; the vault is unlocked with the configured key, never creating one;
 * nothing is seeded and nothing listens.
 */
export async function withApp<T>(config: Readonly<BootConfig>, fn: (app: Habar) => Promise<T>): Promise<T> {
  existingDataFile(config);
  // Warnings and errors only: a one-shot tool's output should be its own lines, not lifecycle chatter.
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
  const app = await openHabar(config, { createKey: false, seed: false, log });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
