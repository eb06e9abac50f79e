import { createHash } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomToken } from '../../lib/ids.ts';
import type { Vault } from '../../vault/index.ts';

/** A login must come back from Meta's dialog within this time; its state is good once. */
export const LOGIN_TTL_MS = 15 * 60_000;

const CONTEXT = 'pending_logins.login';
const hashOf = (state: string) => createHash('sha256').update(state).digest('hex');

/** A login begun by a session for a client; `login` is what the code exchange brought (sealed at rest). */
export interface PendingLogin<T> {
  clientId: string;
  login?: T;
}

/**
 * Facebook and Instagram logins between Meta's dialog and the account connected, kept in the
 * data file (pending_logins) so that a restart in between loses nothing. The `state` travels in
 * the URL and is stored only as its hash; it belongs to the session that began it, lives 15
 * minutes, and the tokens a code exchange brings are sealed until the account is connected.
 */
export class PendingLogins<T> {
  constructor(private readonly deps: { db: Db; clock: Clock; vault: Vault }, private readonly flow: 'facebook' | 'instagram') {}

  private cutoff(): string {
    return new Date(this.deps.clock.now().getTime() - LOGIN_TTL_MS).toISOString();
  }

  /** A new login for this session and client: its state (old, expired logins are dropped). */
  async begin(sessionId: string, clientId: string): Promise<string> {
    const { db, clock } = this.deps;
    await db.deleteFrom('pending_logins').where('created_at', '<', this.cutoff()).execute();
    const state = randomToken(24);
    await db.insertInto('pending_logins').values({ state_hash: hashOf(state), flow: this.flow, session_id: sessionId, client_id: clientId, login: null, created_at: clock.now().toISOString() }).execute();
    return state;
  }

  /** The login `state` names, when this very session began it in this flow and it is still fresh. */
  async find(state: string, sessionId: string): Promise<PendingLogin<T> | undefined> {
    if (!state) return undefined;
    const row = await this.deps.db.selectFrom('pending_logins').selectAll().where('state_hash', '=', hashOf(state)).executeTakeFirst();
    if (!row || row.flow !== this.flow || row.session_id !== sessionId || row.created_at < this.cutoff()) return undefined;
    return { clientId: row.client_id, ...(row.login ? { login: JSON.parse(this.deps.vault.open(row.login, CONTEXT)) as T } : {}) };
  }

  /** Keeps what the code exchange brought (sealed), for the account the person picks next. */
  async attach(state: string, login: T): Promise<void> {
    await this.deps.db.updateTable('pending_logins').set({ login: this.deps.vault.seal(JSON.stringify(login), CONTEXT) }).where('state_hash', '=', hashOf(state)).execute();
  }

  /** Drops a login (cancelled, failed or finished). */
  async forget(state: string): Promise<void> {
    await this.deps.db.deleteFrom('pending_logins').where('state_hash', '=', hashOf(state)).execute();
  }
}
