import type { Kysely } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_messaging.ts';
import * as m0003 from './0003_api.ts';
import * as m0004 from './0004_totp_replay.ts';
import * as m0005 from './0005_ai.ts';
import * as m0006 from './0006_inbox_search.ts';
import * as m0007 from './0007_search_merge.ts';
import * as m0008 from './0008_deferred_search_index.ts';
import * as m0009 from './0009_job_status_indexes.ts';
import * as m0010 from './0010_ai_keywords.ts';
import * as m0011 from './0011_channel_profiles.ts';
import * as m0012 from './0012_whatsapp_auth.ts';
import * as m0013 from './0013_message_reply_to.ts';
import * as m0014 from './0014_privacy.ts';
import * as m0015 from './0015_client_purge.ts';
import * as m0016 from './0016_automation.ts';
import * as m0017 from './0017_chatwoot.ts';
import * as m0018 from './0018_billing.ts';
import * as m0019 from './0019_remote_backups.ts';
import * as m0020 from './0020_first_steps.ts';
import * as m0021 from './0021_logins_and_error_reasons.ts';
import * as m0022 from './0022_policy.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<any>): Promise<void>;
}

/**
 * The static registry of migrations, compiled into the binary (never found on disk at run time).
 * A test fails when a file in this folder is missing here.
 */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: '0001_foundation', up: m0001.up },
  { version: 2, name: '0002_messaging', up: m0002.up },
  { version: 3, name: '0003_api', up: m0003.up },
  { version: 4, name: '0004_totp_replay', up: m0004.up },
  { version: 5, name: '0005_ai', up: m0005.up },
  { version: 6, name: '0006_inbox_search', up: m0006.up },
  { version: 7, name: '0007_search_merge', up: m0007.up },
  { version: 8, name: '0008_deferred_search_index', up: m0008.up },
  { version: 9, name: '0009_job_status_indexes', up: m0009.up },
  { version: 10, name: '0010_ai_keywords', up: m0010.up },
  { version: 11, name: '0011_channel_profiles', up: m0011.up },
  { version: 12, name: '0012_whatsapp_auth', up: m0012.up },
  { version: 13, name: '0013_message_reply_to', up: m0013.up },
  { version: 14, name: '0014_privacy', up: m0014.up },
  { version: 15, name: '0015_client_purge', up: m0015.up },
  { version: 16, name: '0016_automation', up: m0016.up },
  { version: 17, name: '0017_chatwoot', up: m0017.up },
  { version: 18, name: '0018_billing', up: m0018.up },
  { version: 19, name: '0019_remote_backups', up: m0019.up },
  { version: 20, name: '0020_first_steps', up: m0020.up },
  { version: 21, name: '0021_logins_and_error_reasons', up: m0021.up },
  { version: 22, name: '0022_policy', up: m0022.up },
];
