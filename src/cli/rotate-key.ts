import { loadBootConfig } from '../config/boot-config.ts';
import { generateKey, keyIdOf, rotateKey } from '../vault/index.ts';
import { recordAudit } from '../audit/index.ts';
import type { Command } from './commands.ts';
import { refuseWhileServing, withApp } from './open-data.ts';
import { CLI_ACTOR, noMorePositionals } from './options.ts';

const OLD_BACKUPS = 'Backups made before now still need the old key: keep it as long as you keep them.';

export const rotateKeyCommand: Command = {
  name: 'rotate-key',
  summary: 'Re-seal every stored secret under a new master key (stop the server first)',
  usage: [
    'habar rotate-key [--data-dir DIR] [--master-key-file FILE]',
    '',
    'With a key file, the new key replaces it. With HABAR_MASTER_KEY, the new key is printed once',
    'on stdout: set HABAR_MASTER_KEY to it before the next start.',
  ].join('\n'),
  async run(io) {
    noMorePositionals(io, 0);
    const config = loadBootConfig(io.flags, io.env);
    // A running server holds the old key in memory and would keep sealing with it.
    refuseWhileServing(config, 'rotate the master key');
    return withApp(config, async (app) => {
      const { db, vault, clock } = app.ctx;
      const src = { envKey: config.masterKey, file: config.masterKeyFile };
      const key = generateKey();
      // With the key in the environment only the operator keeps it: show it before anything changes.
      if (config.masterKey) io.stdout.write(`new master key: ${key.toString('hex')}\n`);
      let resealed: number;
      try {
        ({ resealed } = await rotateKey(db, vault, src, clock.now().toISOString(), key));
      } catch (err) {
        if (config.masterKey) io.stderr.write('The rotation failed and changed nothing: the key printed above is NOT in use; keep HABAR_MASTER_KEY as it is.\n');
        throw err;
      }
      await recordAudit(db, clock, { actor: CLI_ACTOR, action: 'vault.key_rotated', details: { resealed, key_id: keyIdOf(key) } });
      if (config.masterKey) {
        io.stderr.write(
          `Re-sealed ${resealed} secret(s) under key ${keyIdOf(key)}. The old key no longer opens this data file.\n` +
            'Set HABAR_MASTER_KEY to the new key above before the next start, and store it where you keep your key backup; it is not shown again.\n' +
            OLD_BACKUPS + '\n',
        );
      } else {
        io.stdout.write(`rotated: ${resealed} secret(s) re-sealed under key ${keyIdOf(key)}; the new key is in ${config.masterKeyFile}\n`);
        io.stderr.write(`Back up ${config.masterKeyFile} now: the old key no longer opens this data file. ${OLD_BACKUPS}\n`);
      }
      return 0;
    });
  },
};
