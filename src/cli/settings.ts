import { loadBootConfig } from '../config/boot-config.ts';
import { SETTINGS, setSettings, settingSpec } from '../settings/index.ts';
import { getClient, updateClientSettings } from '../tenants/index.ts';
import { notFound } from '../lib/errors.ts';
import { readStdin, type Command } from './commands.ts';
import { withApp } from './open-data.ts';
import { CLI_ACTOR, usageError, valueFlag } from './options.ts';

/** Parses `key=value` pairs; `key=-` takes the value from stdin (at most one), `key=` clears the setting. */
function parsePairs(args: string[]): { key: string; value: string | null; fromStdin: boolean }[] {
  if (args.length === 0) throw usageError('give at least one key=value, e.g. habar settings set smtp.host=mail.example.kz smtp.password=-');
  const pairs = args.map((a) => {
    const eq = a.indexOf('=');
    if (eq <= 0) throw usageError(`"${a}" is not key=value`);
    const key = a.slice(0, eq);
    if (!settingSpec(key)) throw usageError(`unknown setting "${key}". Known settings: ${SETTINGS.map((s) => s.key).join(', ')}`);
    const raw = a.slice(eq + 1);
    return { key, value: raw === '' ? null : raw, fromStdin: raw === '-' };
  });
  if (pairs.filter((p) => p.fromStdin).length > 1) throw usageError('only one setting can read its value from stdin (key=-)');
  return pairs;
}

export const settingsSetCommand: Command = {
  name: 'settings set',
  summary: 'Change runtime settings (a running server applies them at once)',
  usage: [
    'habar settings set [--data-dir DIR] [--client SLUG] key=value… ',
    '',
    '  key=-   reads the value from stdin, so a secret never appears on the command line',
    '  key=    clears the setting',
    '--client SLUG sets a client\'s own settings instead of the install-wide ones.',
  ].join('\n'),
  flags: ['client'],
  async run(io) {
    const pairs = parsePairs(io.positionals);
    const slug = valueFlag(io, 'client');
    const config = loadBootConfig(io.flags, io.env);
    for (const p of pairs) if (p.fromStdin) p.value = await readStdin(io.stdin);
    return withApp(config, async (app) => {
      const { db, vault, clock } = app.ctx;
      const client = slug ? await getClient(db, slug).catch(() => { throw notFound(`No client with the slug "${slug}"`); }) : undefined;
      // All or nothing: one invalid value leaves every setting as it was.
      const changes = Object.fromEntries(pairs.map((p) => [p.key, p.value]));
      if (client) await updateClientSettings(db, vault, clock, client.id, { settings: changes }, CLI_ACTOR);
      else await setSettings(db, vault, clock, changes, null, CLI_ACTOR, undefined, app.ctx.settingsGuards);
      for (const p of pairs) {
        const secret = settingSpec(p.key)!.secret;
        io.stdout.write(`${p.key}: ${p.value === null ? 'cleared' : secret ? 'set (sealed)' : `set to ${JSON.stringify(p.value)}`}\n`);
      }
      return 0;
    });
  },
};
