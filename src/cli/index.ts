import type { Command } from './commands.ts';
import { serveCommand } from './serve.ts';
import { versionCommand } from './version.ts';

/** Every CLI command. Add new ones here. */
export const COMMANDS: Command[] = [serveCommand, versionCommand];
export type { Command, CliIo } from './commands.ts';
