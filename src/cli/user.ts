import { loadBootConfig } from '../config/boot-config.ts';
import { addUser, findUserByEmail, generatePassword, isMemberRole, isStaffRole, normaliseEmail, resetUserPassword, type Role } from '../auth/index.ts';
import { getClient } from '../tenants/index.ts';
import { notFound } from '../lib/errors.ts';
import { readStdin, type CliIo, type Command } from './commands.ts';
import { withApp } from './open-data.ts';
import { CLI_ACTOR, noMorePositionals, switchFlag, usageError, valueFlag } from './options.ts';

/** The password from stdin (--password-stdin), or a generated one-time password the user must change. */
async function passwordFrom(io: CliIo): Promise<{ password: string; oneTime: boolean }> {
  if (!switchFlag(io, 'password-stdin')) return { password: generatePassword(), oneTime: true };
  const password = await readStdin(io.stdin);
  if (!password) throw usageError('--password-stdin read an empty password; pipe it in, e.g. printf %s "$PW" | habar user create …');
  return { password, oneTime: false };
}

export const userCreateCommand: Command = {
  name: 'user create',
  summary: 'Create an operator staff user, or a member of a client',
  usage: [
    'habar user create [--data-dir DIR] --email E --role admin|support [--name N] [--password-stdin]',
    '       habar user create [--data-dir DIR] --client SLUG --email E --role owner|representative|agent [--name N] [--password-stdin]',
    '',
    'Without --password-stdin a one-time password is printed; the user must change it at first login.',
  ].join('\n'),
  flags: ['email', 'role', 'name', 'client', 'password-stdin'],
  async run(io) {
    noMorePositionals(io, 0);
    const email = normaliseEmail(valueFlag(io, 'email', true)!);
    const role = valueFlag(io, 'role', true)!;
    const slug = valueFlag(io, 'client');
    const name = valueFlag(io, 'name');
    if (!isStaffRole(role) && !isMemberRole(role)) throw usageError(`--role must be admin or support (staff), or owner, representative or agent (with --client); got "${role}"`);
    if (isStaffRole(role) && slug) throw usageError(`a ${role} is operator staff and belongs to no client: drop --client, or use --role owner|representative|agent`);
    if (isMemberRole(role) && !slug) throw usageError(`an ${role} is a member of a client: add --client SLUG`);
    const config = loadBootConfig(io.flags, io.env);
    const { password, oneTime } = await passwordFrom(io);
    return withApp(config, async (app) => {
      const { db, clock } = app.ctx;
      const client = slug ? await getClient(db, slug).catch(() => { throw notFound(`No client with the slug "${slug}"`); }) : undefined;
      const user = await addUser(db, clock, { email, name, role: role as Role, clientId: client?.id ?? null, password, mustChangePassword: oneTime }, CLI_ACTOR);
      io.stdout.write(`user created: ${user.email} (${user.role}${client ? ` of ${client.slug}` : ''}, id ${user.id})\n`);
      if (oneTime) io.stdout.write(`one-time password: ${password}\n`);
      return 0;
    });
  },
};

export const userResetPasswordCommand: Command = {
  name: 'user reset-password',
  summary: "Set a user's password (or print a one-time one) and end all the user's sessions",
  usage: [
    'habar user reset-password [--data-dir DIR] --email E [--password-stdin]',
    '',
    'Without --password-stdin a one-time password is printed; the user must change it at the next login.',
  ].join('\n'),
  flags: ['email', 'password-stdin'],
  async run(io) {
    noMorePositionals(io, 0);
    const email = normaliseEmail(valueFlag(io, 'email', true)!);
    const config = loadBootConfig(io.flags, io.env);
    const { password, oneTime } = await passwordFrom(io);
    return withApp(config, async (app) => {
      const { db, clock } = app.ctx;
      const user = await findUserByEmail(db, email);
      if (!user) throw notFound(`No user with the e-mail ${email}`);
      const { sessionsEnded: ended } = await resetUserPassword(db, clock, user, { password, mustChange: oneTime, clearThrottle: true }, CLI_ACTOR);
      io.stdout.write(`password reset: ${user.email} (${ended} session${ended === 1 ? '' : 's'} ended)\n`);
      if (oneTime) io.stdout.write(`one-time password: ${password}\n`);
      return 0;
    });
  },
};
