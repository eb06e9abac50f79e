import { Hono } from 'hono';
import { listClients, findClient } from '../../tenants/index.ts';
import { dismissFirstSteps } from '../../auth/index.ts';
import { DashboardPage, type DashboardData } from '../../../views/pages/dashboard.tsx';
import { requireUser } from '../middleware/session.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { firstStepsFor } from '../first-steps.ts';
import type { HttpEnv } from '../env.ts';
import { countOpenRequestsDueBy, dueDateFor } from '../../privacy/index.ts';
import { CLIENT_EDITOR_ROLES } from '../client-scope.ts';
import { remoteBackupPanel } from './remote-backup-status.ts';

export function dashboardRoutes() {
  const app = new Hono<HttpEnv>();
  app.get('/', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const data: DashboardData = { firstSteps: await firstStepsFor(ctx, user) };
    if (user.role === 'admin' || user.role === 'support') {
      data.clients = (await listClients(ctx.db)).map((cl) => ({ slug: cl.slug, name: cl.name, status: cl.status }));
      if (user.role === 'admin') data.remoteBackup = await remoteBackupPanel(ctx);
    } else if (user.clientId) {
      const cl = await findClient(ctx.db, user.clientId);
      if (cl) data.client = { slug: cl.slug, name: cl.name };
      // Privacy requests due within a week (or overdue) and not done: the owner's warning.
      if (cl && CLIENT_EDITOR_ROLES.includes(user.role)) {
        const by = dueDateFor(ctx.clock.now(), cl.timezone, 7);
        data.privacyDue = { count: await countOpenRequestsDueBy(ctx.db, cl.id, by), by };
      }
    }
    return html(c, <DashboardPage v={viewContext(c)} data={data} />);
  });

  // The person's own preference: any signed-in user may hide their first steps (CSRF-checked like every form).
  app.post('/first-steps/dismiss', requireUser(), async (c) => {
    await dismissFirstSteps(c.get('ctx').db, c.get('ctx').clock, c.get('user')!.id);
    return c.redirect(flashUrl(c, '/', 'first_steps.dismissed'), 303);
  });
  return app;
}
