import { parseArgs, BOOT_OPTIONS } from './config/boot-config.ts';
import { COMMANDS, type CliIo } from './cli/index.ts';
import { isAppError } from './lib/errors.ts';

function usage(): string {
  const lines = ['Usage: habar <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(22)} ${c.summary}`);
  lines.push('', 'Run "habar <command> --help" for its options.');
  return lines.join('\n') + '\n';
}

function commandHelp(name: string): string {
  const cmd = COMMANDS.find((c) => c.name === name)!;
  const lines = [`Usage: ${cmd.usage}`, '', cmd.summary, '', 'Options (flag / environment / default):'];
  for (const o of BOOT_OPTIONS) if (o.flagAllowed !== false) lines.push(`  --${o.flag.padEnd(24)} ${o.env.padEnd(28)} ${o.help}${o.def ? ` [${o.def}]` : ''}`);
  return lines.join('\n') + '\n';
}

/** The CLI: `habar <command> …`. Sub-commands like `user create` are joined as "user create". */
export async function runCli(argv: string[], io: Omit<CliIo, 'flags' | 'positionals'>): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  let name = positionals[0];
  let rest = positionals.slice(1);
  if (name && rest[0] && COMMANDS.some((c) => c.name === `${name} ${rest[0]}`)) {
    name = `${name} ${rest[0]}`;
    rest = rest.slice(1);
  }
  if (!name || name === 'help' || (!name && flags.help)) {
    io.stdout.write(usage());
    return name ? 0 : flags.help ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`habar: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (flags.help) {
    io.stdout.write(commandHelp(cmd.name));
    return 0;
  }
  const known = new Set([...BOOT_OPTIONS.map((o) => o.flag), ...(cmd.flags ?? []), 'help']);
  const unknown = Object.keys(flags).filter((f) => !known.has(f));
  if (unknown.length) {
    io.stderr.write(`habar ${cmd.name}: unknown option --${unknown[0]}. Run "habar ${cmd.name} --help".\n`);
    return 2;
  }
  try {
    return await cmd.run({ ...io, flags, positionals: rest });
  } catch (err) {
    if (isAppError(err)) {
      io.stderr.write(`habar ${cmd.name}: ${err.message}\n`);
      return err.status === 2 ? 2 : 1;
    }
    io.stderr.write(`habar ${cmd.name}: unexpected error: ${(err as Error).message}\n`);
    return 1;
  }
}

// Import starts no work unless this file is the entry (source run, or the binary's bundle).
const isEntry = process.argv[1] && /main\.(ts|js|cjs)$/.test(process.argv[1]) || (globalThis as { __HABAR_SEA__?: boolean }).__HABAR_SEA__;
if (isEntry) {
  runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`habar: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
