import { AppError } from '../lib/errors.ts';
import type { AuditActor } from '../audit/index.ts';
import type { CliIo } from './commands.ts';

/** A mistake in how a command was called: exit code 2, like unknown options. */
export const usageError = (message: string) => new AppError('usage', message, 2);

/** Who the audit log names for changes made with the CLI (someone with shell access to the host). */
export const CLI_ACTOR: AuditActor = { id: null, label: 'cli' };

/** A value flag (`--name value`); undefined when absent. A bare `--name` with no value is a usage error. */
export function valueFlag(io: CliIo, name: string, required = false): string | undefined {
  const v = io.flags[name];
  if (v === undefined) {
    if (required) throw usageError(`--${name} is required. Run with --help for the usage.`);
    return undefined;
  }
  // parseArgs turns a bare `--name` into "true": a value flag needs its value.
  if (v === 'true' || v === '') {
    throw usageError(`--${name} needs a value (--${name} VALUE)`);
  }
  return v;
}

/** A switch such as `--password-stdin`; it takes no value. */
export function switchFlag(io: CliIo, name: string): boolean {
  const v = io.flags[name];
  if (v === undefined) return false;
  if (v !== 'true') throw usageError(`--${name} takes no value (got "${v}"); put other arguments before it or use --${name} alone`);
  return true;
}

/** Positionals the command does not take are a usage error. */
export function noMorePositionals(io: CliIo, allowed: number): void {
  if (io.positionals.length > allowed) throw usageError(`unexpected argument "${io.positionals[allowed]}". Run with --help for the usage.`);
}
