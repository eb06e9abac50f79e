import { loadBootConfig } from '../config/boot-config.ts';
import { createApiKey } from '../auth/index.ts';
import { findClient } from '../tenants/index.ts';
import { AppError } from '../lib/errors.ts';
import type { Command } from './commands.ts';
import { withApp } from './open-data.ts';
import { CLI_ACTOR, noMorePositionals, valueFlag } from './options.ts';

/** Prints the new key alone on stdout (scripts capture it: KEY=$(habar api-key create …)). */
export const apiKeyCreateCommand: Command = {
  name: 'api-key create',
  summary: 'Create a REST API key for a client and print it (shown only once)',
  usage: 'habar api-key create [--data-dir DIR] --client SLUG [--label LABEL]',
  flags: ['client', 'label'],
  async run(io) {
    noMorePositionals(io, 0);
    const slug = valueFlag(io, 'client', true)!;
    const label = valueFlag(io, 'label') ?? '';
    const config = loadBootConfig(io.flags, io.env);
    return withApp(config, async (app) => {
      const { db, clock } = app.ctx;
      const client = await findClient(db, slug);
      if (!client) throw new AppError('no_client', `No client with the slug "${slug}". List clients in the admin UI, or create one with "habar client create".`, 1);
      const { key } = await createApiKey(db, clock, { clientId: client.id, label }, CLI_ACTOR);
      io.stdout.write(`${key}\n`);
      return 0;
    });
  },
};
