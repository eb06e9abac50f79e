// Who the AI works for: the shared dependencies of the AI's step and job, and the checks that
// decide whether a message is the AI's business at all.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Vault } from '../vault/index.ts';
import type { EventHub } from '../messaging/index.ts';
import type { AiSettings } from './ai-settings.ts';
import type { CallOptions } from './openai-client.ts';
import { findKeyword } from './keywords.ts';

export interface AiDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  vault: Vault;
  hub: EventHub;
  config: { dataDir: string };
  /** The public URL as the app knows it now (links in e-mails are built from it). */
  publicUrl: () => string;
  /** Retries, timeouts and the deadline of provider calls (tests shorten them). */
  callOptions?: CallOptions;
}

/** Whether the message asks for a person: a handoff keyword or phrase in any of its word forms (keywords.ts). */
export function asksForHuman(text: string, keywords: string[]): boolean {
  return findKeyword(text, keywords) !== undefined;
}

/** Whether the AI works on this conversation at all (settings, channel, the contact's rights). */
export function aiApplies(s: AiSettings, channelId: string, contact: { restricted: boolean; objected: boolean }): boolean {
  if (!s.enabled) return false;
  if (s.channelIds.length > 0 && !s.channelIds.includes(channelId)) return false;
  // Processing restricted or objected to: never sent to any AI, the offline one included.
  return !contact.restricted && !contact.objected;
}
