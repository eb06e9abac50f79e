import { loadBootConfig } from '../config/boot-config.ts';
import { addClient } from '../tenants/index.ts';
import type { Command } from './commands.ts';
import { withApp } from './open-data.ts';
import { CLI_ACTOR, noMorePositionals, valueFlag } from './options.ts';

export const clientCreateCommand: Command = {
  name: 'client create',
  summary: 'Create a client (a business served by this Habar)',
  usage: 'habar client create [--data-dir DIR] --slug SLUG --name NAME [--contact-email E] [--phone P] [--invoice-address A]',
  flags: ['slug', 'name', 'contact-email', 'phone', 'invoice-address'],
  async run(io) {
    noMorePositionals(io, 0);
    const input = {
      slug: valueFlag(io, 'slug', true)!,
      name: valueFlag(io, 'name', true)!,
      contactEmail: valueFlag(io, 'contact-email'),
      phone: valueFlag(io, 'phone'),
      invoiceAddress: valueFlag(io, 'invoice-address'),
    };
    const config = loadBootConfig(io.flags, io.env);
    return withApp(config, async (app) => {
      const { db, clock } = app.ctx;
      const client = await addClient(db, clock, input, CLI_ACTOR);
      io.stdout.write(`client created: ${client.slug} (${client.name}, id ${client.id})\n`);
      return 0;
    });
  },
};
