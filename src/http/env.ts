import type { Db, Sqlite } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { BootConfig } from '../config/boot-config.ts';
import type { Session, User } from '../auth/index.ts';
import type { Lang } from '../../views/i18n/index.ts';

/** The services the HTTP edge passes to domain functions; built once in app.ts. */
export interface AppContext {
  config: Readonly<BootConfig>;
  db: Db;
  sqlite: Sqlite;
  vault: Vault;
  clock: Clock;
  log: Logger;
  /** The public URL (from --public-url, else the listening address once known). */
  publicUrl(): string;
  /** Whether migrations are done and the database answers (for /readyz). */
  ready(): boolean;
}

export interface HttpEnv {
  Variables: {
    ctx: AppContext;
    requestId: string;
    ip: string;
    lang: Lang;
    session?: Session;
    sessionToken?: string;
    user?: User;
  };
}
