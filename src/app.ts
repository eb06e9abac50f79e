import fs from 'node:fs';
import path from 'node:path';
import https from 'node:https';
import { serve, type ServerType } from '@hono/node-server';
import { openDatabase, migrate, backupTo, backupFileName, type Opened } from './db/index.ts';
import { startCheckpointer, type Checkpointer } from './db/index.ts';
import { unlockVault, type Vault } from './vault/index.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import type { BootConfig } from './config/boot-config.ts';
import { seedEmbeddedDefault } from './setup/index.ts';
import { buildPipeline } from './pipeline.ts';
import type { ChannelDriver } from './channels/index.ts';
import { createHttpApp } from './http/server.ts';
import type { AppContext } from './http/env.ts';
import { startBackgroundWork, type Background } from './background.ts';

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
  /** Create the master key when the data file has no sealed rows (serve: yes; CLI tools: no). */
  createKey?: boolean;
  /** The channel kinds this app runs (default: CHANNEL_DRIVERS; a test adds its own kind). */
  channelDrivers?: readonly ChannelDriver[];
  /** Seed the embedded default (admin, demo client, its sandbox and FAQ answers: setup/embedded-default.ts). */
  seed?: boolean;
}

export interface Habar {
  ctx: AppContext;
  http: ReturnType<typeof createHttpApp>;
  opened: Opened;
  adminPassword?: string;
  /** On the first start: the public token of the demo client's customer chat (printed with the admin password). */
  demoChatToken?: string;
  /** Starts listening (and the background workers); resolves with the URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Opens the data file (migrating, with an automatic backup first), unlocks the vault and wires the app. */
export async function openHabar(config: Readonly<BootConfig>, opts: AppOptions = {}): Promise<Habar> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const opened = openDatabase(config.dataDir);
  let vault: Vault;
  let adminPassword: string | undefined;
  let demoChatToken: string | undefined;
  let isReady = false;
  try {
    const m = await migrate(opened.db, {
      now: () => clock.now().toISOString(),
      beforeMigrating: async (from, to) => {
        const file = path.join(config.dataDir, 'backups', backupFileName(clock.now(), `pre-migration-v${from}`));
        await backupTo(opened.sqlite, file);
        log.info('lifecycle', 'backup before migration', { file, from, to });
      },
    });
    if (m.to !== m.from) log.info('lifecycle', 'migrated', { from: m.from, to: m.to });
    vault = (await unlockVault(opened.db, { envKey: config.masterKey, file: config.masterKeyFile }, { create: opts.createKey ?? false, now: clock.now().toISOString() })).vault;
    if (opts.seed) {
      ({ adminPassword, demoChatToken } = await seedEmbeddedDefault(opened.db, clock, vault));
    }
  } catch (err) {
    await opened.db.destroy();
    throw err;
  }
  let publicUrl = config.publicUrl;
  const pipeline = buildPipeline({ config, db: opened.db, clock, log, vault, publicUrl: () => publicUrl }, { channelDrivers: opts.channelDrivers });
  const ctx: AppContext = {
    config, db: opened.db, sqlite: opened.sqlite, vault, clock, log, ...pipeline,
    publicUrl: () => publicUrl,
    ready: () => isReady,
    checkpointer: () => checkpointer,
  };
  const http = createHttpApp(ctx);
  let server: ServerType | undefined;
  let background: Background | undefined;
  let checkpointer: Checkpointer | undefined;

  return {
    ctx, http, opened, adminPassword, demoChatToken,
    async listen() {
      const tls = config.tlsCert ? { createServer: https.createServer, serverOptions: { cert: fs.readFileSync(config.tlsCert), key: fs.readFileSync(config.tlsKey!) } } : {};
      const port = await new Promise<number>((resolve, reject) => {
        server = serve({ fetch: http.fetch, hostname: config.host, port: config.port, ...tls }, (info) => resolve(info.port));
        server.once('error', reject);
      });
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      const url = `${config.tlsCert ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (!config.publicUrlExplicit) publicUrl = url;
      checkpointer = startCheckpointer(opened.sqlite, opened.file, (error) => log.error('lifecycle', 'WAL checkpointer thread failed; checkpointing inline', { error }));
      if (config.workers) background = startBackgroundWork(ctx);
      isReady = true;
      log.info('lifecycle', 'listening', { url });
      return url;
    },
    async close() {
      isReady = false;
      await background?.stop();
      if (server) {
        await new Promise<void>((resolve) => {
          server!.close(() => resolve());
          // Keep-alive and SSE connections would hold close() open: end them.
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
      }
      await checkpointer?.stop();
      await opened.close();
      log.info('lifecycle', 'stopped');
    },
  };
}
