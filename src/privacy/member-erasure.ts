// A member's erasure (a client's owner removes a person's account and what names them): the user
// row and its sessions go; audit entries and recorded consents stay, under the pseudonym
// "erased-member:<id>" instead of the e-mail, so the trail is whole and holds nothing of them.
import { erasedMemberLabel, pseudonymiseActor, recordAudit } from '../audit/index.ts';
import { eraseUserRows } from '../auth/index.ts';
import { pseudonymiseConsentRecorder } from '../ai/index.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { inTransaction } from '../messaging/index.ts';
import type { PrivacyBy, PrivacyDeps } from './restriction.ts';

/** Erases a member of the client (not oneself); another client's member (or none) is "not found". */
export async function eraseMember(deps: PrivacyDeps, clientId: string, userId: string, by: PrivacyBy): Promise<{ auditEntries: number }> {
  if (by.audit.id === userId) throw badRequest('You cannot erase your own account', 'user', 'invalid_request');
  return inTransaction(deps, async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
    if (!user) throw notFound('No such member');
    const pseudonym = erasedMemberLabel(userId);
    const auditEntries = await pseudonymiseActor(trx, userId);
    await pseudonymiseConsentRecorder(trx, userId, pseudonym);
    await eraseUserRows(trx, userId, pseudonym);
    await recordAudit(trx, deps.clock, { actor: by.audit, action: 'user.erased', clientId, targetType: 'user', targetId: userId, ip: by.audit.ip, details: { audit_entries_pseudonymised: auditEntries } });
    return { auditEntries };
  });
}
