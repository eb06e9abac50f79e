import { latestVersion } from '../db/index.ts';
import type { Command } from './commands.ts';

export const HABAR_VERSION = '0.1.0';

export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the version, schema version and Node runtime',
  usage: 'habar version',
  async run(io) {
    io.stdout.write(`habar ${HABAR_VERSION} (schema ${latestVersion()}, node ${process.version})\n`);
    return 0;
  },
};
