import fs from 'node:fs';
import path from 'node:path';
import { loadBootConfig } from '../config/boot-config.ts';
import { openHabar, type Habar } from '../app.ts';
import { AppError } from '../lib/errors.ts';
import type { Command } from './commands.ts';

export const PID_FILE = 'habar.pid';

/** The pid of a live server holding this data dir, if any. */
export function runningServerPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, PID_FILE);
  if (!fs.existsSync(file)) return undefined;
  const pid = Number(fs.readFileSync(file, 'utf8').trim());
  if (!pid || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the server (admin UI, API, webhooks, workers)',
  usage: 'habar serve [--data-dir DIR] [--host HOST] [--port N] [--public-url URL] [--tls-cert F --tls-key F] [--trust-proxy]',
  async run(io) {
    const config = loadBootConfig(io.flags, io.env);
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const other = runningServerPid(config.dataDir);
    if (other) throw new AppError('data_dir_busy', `Another Habar (pid ${other}) is serving ${config.dataDir}. Stop it first.`, 2);
    const pidFile = path.join(config.dataDir, PID_FILE);
    // Claim the data dir before opening it, so restore and rotate-key also see a server that is still starting.
    fs.writeFileSync(pidFile, String(process.pid));
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
      fs.rmSync(pidFile, { force: true });
      throw err;
    }
    io.stdout.write(`listening: ${url}\n`);
    if (app.adminPassword) io.stdout.write(`admin password: ${app.adminPassword}\n`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await app.close();
        fs.rmSync(pidFile, { force: true });
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
