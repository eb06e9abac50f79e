import type { Db, Sqlite } from '../db/index.ts';
import type { Checkpointer } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import type { SettingsGuard } from '../settings/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { BootConfig } from '../config/boot-config.ts';
import type { Session, User } from '../auth/index.ts';
import type { Lang } from '../../views/i18n/index.ts';
import type { EventHub } from '../messaging/index.ts';
import type { JobRunner } from '../jobs/index.ts';
import type { ChannelManager } from '../channels/index.ts';
import type { FlashSigner } from './flash.ts';

/** The services the HTTP edge passes to domain functions; built once in app.ts. */
export interface AppContext {
  config: Readonly<BootConfig>;
  db: Db;
  sqlite: Sqlite;
  vault: Vault;
  clock: Clock;
  log: Logger;
  /** In-process events: outgoing webhooks subscribe inside the writer's transaction, the SSE inbox after commit. */
  hub: EventHub;
  /** The job runner: `wake()` after committing jobs; tests `drain()` it. */
  jobs: JobRunner;
  /** One adapter per channel account; the send jobs' way out. */
  channels: ChannelManager;
  /** Rules every install-wide settings change passes before it is stored (SETTINGS_GUARDS in pipeline.ts). */
  settingsGuards: readonly SettingsGuard[];
  /** The public URL (from --public-url, else the listening address once known). */
  publicUrl(): string;
  /** The WAL checkpointer thread, once the server listens (db/checkpointer.ts). */
  checkpointer(): Checkpointer | undefined;
  /** Whether migrations are done and the database answers (for /readyz). */
  ready(): boolean;
}

export interface HttpEnv {
  Variables: {
    ctx: AppContext;
    /** Signs the values of `?flash=` banners (http/flash.ts); one per app. */
    flashSigner: FlashSigner;
    requestId: string;
    ip: string;
    lang: Lang;
    session?: Session;
    sessionToken?: string;
    user?: User;
    /** For client members: their client's slug and time zone (times show in it). */
    clientSlug?: string;
    timezone?: string;
    clientRequiresTotp?: boolean;
    /** On a client's pages, for those who can act on them: its channels that need a person (the banner). */
    channelAlerts?: Array<{ id: string; name: string; status: string }>;
    /** On a client's pages, for its owners and the operator: quotas at 80 % or more (the banner). */
    quotaAlerts?: Array<{ metric: string; included: number; used: number; percent: number; aiStopped: boolean }>;
  };
}
