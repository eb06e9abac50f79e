import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';

// Whether a person still sees the dashboard's first steps (a preference of theirs, kept on their user row).

export async function firstStepsDismissed(db: Db, userId: string): Promise<boolean> {
  const r = await db.selectFrom('users').select('first_steps_dismissed_at').where('id', '=', userId).executeTakeFirst();
  return !!r?.first_steps_dismissed_at;
}

/** Hides the first steps for this person (idempotent: the first time is kept). */
export async function dismissFirstSteps(db: Db, clock: Clock, userId: string): Promise<void> {
  await db.updateTable('users').set({ first_steps_dismissed_at: clock.now().toISOString() })
    .where('id', '=', userId).where('first_steps_dismissed_at', 'is', null).execute();
}
