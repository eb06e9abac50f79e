import fs from 'node:fs';
import path from 'node:path';
import { loadBootConfig } from '../config/boot-config.ts';
import { openHabar, type Habar } from '../app.ts';
import { AppError } from '../lib/errors.ts';
import { acquireFileLock, isFileLockHeld } from '../db/index.ts';
import { customerUrl } from '../channels/index.ts';
import type { Command } from './commands.ts';

export const PID_FILE = 'habar.pid';
/** The lock a serving process holds on its data dir (db/file-lock.ts): released by the kernel when it dies. */
export const LOCK_FILE = 'serve.lock';

/**
 * Whether a live server holds this data dir, and its pid when the pid file names one (for messages).
 * Decided by the lock, not the pid file: after `kill -9` the lock is gone at once, even while the
 * dead process's pid lingers or has been reused.
 */
export function runningServer(dataDir: string): { pid?: number } | undefined {
  if (!isFileLockHeld(path.join(dataDir, LOCK_FILE))) return undefined;
  const file = path.join(dataDir, PID_FILE);
  const pid = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) || undefined : undefined;
  return { pid };
}

/** "(pid 123) " or "" */
export const pidNote = (s: { pid?: number }) => (s.pid ? `(pid ${s.pid}) ` : '');

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the server (admin UI, API, webhooks, workers)',
  usage: 'habar serve [--data-dir DIR] [--host HOST] [--port N] [--public-url URL] [--tls-cert F --tls-key F] [--trust-proxy]',
  async run(io) {
    const config = loadBootConfig(io.flags, io.env);
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    // Claim the data dir before opening it, so restore and rotate-key also see a server that is still starting.
    const lock = acquireFileLock(path.join(config.dataDir, LOCK_FILE));
    if (!lock) {
      const other = runningServer(config.dataDir) ?? {};
      throw new AppError('data_dir_busy', `Another Habar ${pidNote(other)}is serving ${config.dataDir}. Stop it first.`, 2);
    }
    const pidFile = path.join(config.dataDir, PID_FILE);
    fs.writeFileSync(pidFile, String(process.pid));
    const unclaim = () => {
      fs.rmSync(pidFile, { force: true });
      lock.release();
    };
    let app: Habar;
    let url: string;
    try {
      app = await openHabar(config, { createKey: true, seed: true });
      url = await app.listen().catch(async (err: NodeJS.ErrnoException) => {
        await app.close();
        // The admin was just created: show its one-time password now, or nobody ever sees it.
        if (app.adminPassword) io.stdout.write(`admin password: ${app.adminPassword}\n`);
        if (err.code === 'EADDRINUSE') throw new AppError('port_in_use', `Port ${config.port} on ${config.host} is in use: choose another with --port (or HABAR_PORT)`, 1);
        if (err.code === 'EACCES') throw new AppError('port_denied', `Not allowed to listen on port ${config.port}: use a port above 1023 or run behind a proxy`, 1);
        throw err;
      });
    } catch (err) {
      unclaim();
      throw err;
    }
    io.stdout.write(`listening: ${url}\n`);
    if (app.adminPassword) io.stdout.write(`admin password: ${app.adminPassword}\n`);
    // The first minute: talk to the demo assistant as a customer would, before configuring anything.
    const chat = app.demoChatToken ? customerUrl(app.ctx.publicUrl(), { publicToken: app.demoChatToken }) : undefined;
    if (chat) io.stdout.write(`customer chat: ${chat}\n`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await app.close();
        unclaim();
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
