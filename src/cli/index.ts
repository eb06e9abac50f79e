import type { Command } from './commands.ts';
import { serveCommand } from './serve.ts';
import { versionCommand } from './version.ts';
import { backupCommand } from './backup.ts';
import { restoreCommand } from './restore.ts';
import { rotateKeyCommand } from './rotate-key.ts';
import { userCreateCommand, userResetPasswordCommand } from './user.ts';
import { clientCreateCommand } from './client.ts';
import { clientPurgePlanCommand, clientTerminateCommand } from './client-termination.ts';
import { settingsSetCommand } from './settings.ts';
import { doctorCommand } from './doctor.ts';
import { apiKeyCreateCommand } from './api-key.ts';

/** Every CLI command. Add new ones here. */
export const COMMANDS: Command[] = [
  serveCommand,
  backupCommand,
  restoreCommand,
  rotateKeyCommand,
  userCreateCommand,
  userResetPasswordCommand,
  clientCreateCommand,
  clientTerminateCommand,
  clientPurgePlanCommand,
  settingsSetCommand,
  doctorCommand,
  apiKeyCreateCommand,
  versionCommand,
];
export type { Command, CliIo } from './commands.ts';
