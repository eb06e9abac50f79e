import { loadBootConfig } from '../config/boot-config.ts';
import { getClient, terminateClient } from '../tenants/index.ts';
import { purgePlan, type PurgePlan } from '../privacy/index.ts';
import type { Command, CliIo } from './commands.ts';
import { withApp } from './open-data.ts';
import { CLI_ACTOR, noMorePositionals, switchFlag, valueFlag } from './options.ts';

/** The dry-run report as text: what the purge deletes, strips and keeps, and when. */
export function purgePlanText(plan: PurgePlan): string {
  const lines = [
    plan.purgedAt ? `purged: ${plan.purgedAt}` : plan.dueAt ? `purge due: ${plan.dueAt} (${plan.afterDays} days after termination at ${plan.terminatedAt})` : `status: ${plan.status} (a purge follows ${plan.afterDays} days after termination)`,
    'table\trows\taction',
    ...plan.tables.map((t) => `${t.table}\t${t.rows}\t${t.action}${t.columns ? ` (${t.columns.join(', ')})` : ''}`),
    `attachment files\t${plan.files.attachments}\tdelete (${plan.files.attachmentBytes} bytes)`,
    `export files\t${plan.files.exports}\tdelete`,
  ];
  return `${lines.join('\n')}\n`;
}

async function clientOf(io: CliIo, run: (app: Parameters<Parameters<typeof withApp>[1]>[0], clientId: string) => Promise<number>): Promise<number> {
  noMorePositionals(io, 0);
  const slug = valueFlag(io, 'slug', true)!;
  return withApp(loadBootConfig(io.flags, io.env), async (app) => run(app, (await getClient(app.ctx.db, slug)).id));
}

export const clientTerminateCommand: Command = {
  name: 'client terminate',
  summary: 'Terminate a client: its members can no longer sign in, its channels stop, its data is purged after privacy.purge_after_days',
  usage: 'habar client terminate [--data-dir DIR] --slug SLUG --yes',
  flags: ['slug', 'yes'],
  async run(io) {
    return clientOf(io, async (app, clientId) => {
      if (!switchFlag(io, 'yes')) {
        io.stdout.write(purgePlanText(await purgePlan(app.ctx, clientId)));
        io.stderr.write('Nothing changed: add --yes to terminate this client.\n');
        return 2;
      }
      const client = await terminateClient(app.ctx.db, app.ctx.clock, clientId, CLI_ACTOR);
      const plan = await purgePlan(app.ctx, clientId);
      io.stdout.write(`client terminated: ${client.slug} (id ${client.id}); purge due ${plan.dueAt}\n`);
      return 0;
    });
  },
};

export const clientPurgePlanCommand: Command = {
  name: 'client purge-plan',
  summary: 'Dry run: what the purge of a terminated client deletes, strips and keeps, and when it is due',
  usage: 'habar client purge-plan [--data-dir DIR] --slug SLUG',
  flags: ['slug'],
  async run(io) {
    return clientOf(io, async (app, clientId) => {
      io.stdout.write(purgePlanText(await purgePlan(app.ctx, clientId)));
      return 0;
    });
  },
};
