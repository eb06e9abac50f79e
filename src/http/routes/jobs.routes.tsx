import { Hono, type Context } from 'hono';
import { countJobs, listJobs, retryJob, type JobStatus } from '../../jobs/index.ts';
import { notFound } from '../../lib/errors.ts';
import { listClients, type Client } from '../../tenants/index.ts';
import { JOB_STATUSES, JobsPage, type JobsView } from '../../../views/pages/jobs.tsx';
import { requireUser } from '../middleware/session.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { scopedClient } from '../client-scope.ts';
import type { HttpEnv } from '../env.ts';

// Background jobs: the admins' view of every client's (/jobs) and a client's own tab
// (/clients/:slug/jobs). Dead jobs show their last error and can be run again.

type C = Context<HttpEnv>;

const PAGE = 50;
/** Counts stop here (a week of finished jobs is kept); the screen shows "10000+". */
export const COUNT_MAX = 10_000;
/** Who runs a dead job again (support staff look only). */
const RETRY_ROLES = ['admin', 'owner', 'representative'];

async function jobsView(c: C, client?: Client): Promise<JobsView> {
  const db = c.get('ctx').db;
  const asked = c.req.query('status');
  const status = (JOB_STATUSES as readonly string[]).includes(asked ?? '') ? (asked as JobStatus) : 'dead';
  const before = /^[0-9a-z]{26}$/.test(c.req.query('before') ?? '') ? c.req.query('before') : undefined;
  const rows = await listJobs(db, { clientId: client?.id, status, before, limit: PAGE + 1 });
  const counts: Record<string, number> = {};
  for (const s of JOB_STATUSES) counts[s] = await countJobs(db, { clientId: client?.id, status: s, max: COUNT_MAX });
  const slugs: Record<string, string> = {};
  if (client) slugs[client.id] = client.slug;
  else for (const cl of await listClients(db)) slugs[cl.id] = cl.slug;
  return {
    client: client && { slug: client.slug, name: client.name }, slugs, status, counts, countMax: COUNT_MAX, jobs: rows.slice(0, PAGE), more: rows.length > PAGE,
    mayRetry: RETRY_ROLES.includes(c.get('user')!.role),
  };
}

async function retry(c: C, client: Client | undefined, back: string) {
  const ctx = c.get('ctx');
  const user = c.get('user')!;
  const id = c.req.param('jobId') ?? '';
  // A job of another client (or none, or not dead) is "not found": nothing about it is revealed.
  if (!(await retryJob(ctx.db, ctx.clock, id, client?.id, { id: user.id, label: user.email, ip: c.get('ip') }))) throw notFound('No such dead job');
  ctx.jobs.wake();
  return c.redirect(flashUrl(c, back, 'jobs.retried'), 303);
}

export function jobsRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/jobs', requireUser(['admin']), async (c) => html(c, <JobsPage v={viewContext(c)} d={await jobsView(c)} />));

  app.post('/jobs/:jobId/retry', requireUser(['admin']), (c) => retry(c, undefined, '/jobs'));

  app.get('/clients/:slug/jobs', requireUser(), async (c) => {
    const client = await scopedClient(c, { what: 'jobs.list' });
    return html(c, <JobsPage v={viewContext(c, { timezone: client.timezone })} d={await jobsView(c, client)} />);
  });

  app.post('/clients/:slug/jobs/:jobId/retry', requireUser(), async (c) => {
    const client = await scopedClient(c, { roles: RETRY_ROLES, what: 'jobs.retry' });
    return retry(c, client, `/clients/${client.slug}/jobs`);
  });

  return app;
}
