// The operator's own entries in its record of processing activities (GDPR Art. 30): processing
// outside Habar (accounting, staff, its own website) beside the rows Habar builds from its registry.
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { recordAudit, type AuditBy } from '../audit/index.ts';

export const ACTIVITY_FIELDS = ['name', 'purpose', 'data_categories', 'data_subjects', 'recipients', 'transfers', 'retention', 'security'] as const;
export type ActivityField = (typeof ACTIVITY_FIELDS)[number];
export type ProcessingActivity = Record<ActivityField, string> & { id: string; created_at: string };

const MAX = 2000;

export async function addProcessingActivity(db: Db, clock: Clock, input: Partial<Record<ActivityField, string>>, by: AuditBy): Promise<ProcessingActivity> {
  const row = { id: newId(clock.now().getTime()), created_at: clock.now().toISOString() } as ProcessingActivity;
  for (const f of ACTIVITY_FIELDS) {
    const v = (input[f] ?? '').trim();
    if (v.length > MAX) throw badRequest(`At most ${MAX} characters`, f, 'activity_too_long', { max: MAX });
    row[f] = v;
  }
  if (!row.name) throw badRequest('Name the activity', 'name', 'activity_name_empty');
  if (!row.purpose) throw badRequest('Say what it is for', 'purpose', 'activity_purpose_empty');
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('processing_activities').values(row).execute();
    await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'processing_activity.created', targetType: 'processing_activity', targetId: row.id });
  });
  return row;
}

export async function listProcessingActivities(db: Db): Promise<ProcessingActivity[]> {
  return (await db.selectFrom('processing_activities').selectAll().orderBy('created_at').execute()) as ProcessingActivity[];
}

export async function deleteProcessingActivity(db: Db, clock: Clock, id: string, by: AuditBy): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('processing_activities').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('No such activity');
    await recordAudit(trx, clock, { actor: by, ip: by.ip, action: 'processing_activity.deleted', targetType: 'processing_activity', targetId: id });
  });
}
