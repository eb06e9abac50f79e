import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { createUser, generatePassword } from '../auth/index.ts';
import { recordAudit, SYSTEM_ACTOR } from '../audit/index.ts';
import { createClient, findClient } from './clients.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@habar.local';
export const DEMO_SLUG = 'demo';

/**
 * On a data file with no users: an admin with a one-time password (returned to be printed once,
 * never logged) and the demo client, with the names given (in the install's language). The tenants' part of the embedded default (src/setup/
 * composes the whole of it).
 */
export async function seedAdminAndDemoClient(db: Db, clock: Clock, names: { admin: string; demoClient: string; demoAddress: string }): Promise<{ adminPassword?: string }> {
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) return {};
  const adminPassword = generatePassword();
  await db.transaction().execute(async (trx) => {
    const admin = await createUser(trx, clock, { email: DEFAULT_ADMIN_EMAIL, name: names.admin, role: 'admin', password: adminPassword, mustChangePassword: true });
    if (!(await findClient(trx, DEMO_SLUG))) {
      await createClient(trx, clock, { slug: DEMO_SLUG, name: names.demoClient, contactEmail: 'demo@example.kz', phone: '+7 700 000 00 00', invoiceAddress: names.demoAddress });
    }
    await recordAudit(trx, clock, { actor: SYSTEM_ACTOR, action: 'setup.default_created', targetType: 'user', targetId: admin.id });
  });
  return { adminPassword };
}
