import path from 'node:path';
import { loadBootConfig } from '../config/boot-config.ts';
import { backupTo, openSqlite, verifyDataFile } from '../db/index.ts';
import type { Command } from './commands.ts';
import { existingDataFile } from './open-data.ts';
import { noMorePositionals, usageError, valueFlag } from './options.ts';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write a complete, consistent copy of the data file (safe while a server is running)',
  usage: 'habar backup [--data-dir DIR] --out FILE',
  flags: ['out'],
  async run(io) {
    noMorePositionals(io, 0);
    const out = path.resolve(valueFlag(io, 'out', true)!);
    const config = loadBootConfig(io.flags, io.env);
    const file = existingDataFile(config);
    if (out === file) throw usageError('--out must name a new file, not the data file itself');
    // SQLite's online backup API over a read-only handle: a running server keeps writing meanwhile (WAL).
    const sqlite = openSqlite(file, { readonly: true });
    let bytes: number;
    try {
      ({ bytes } = await backupTo(sqlite, out));
    } finally {
      sqlite.close();
    }
    const { version } = verifyDataFile(out);
    io.stdout.write(`backup: ${out} (${bytes} bytes, schema ${version})\n`);
    io.stderr.write(`The master key is not in the backup: keep ${config.masterKey ? 'HABAR_MASTER_KEY' : config.masterKeyFile} backed up separately; a backup cannot be opened without it.\n`);
    return 0;
  },
};
