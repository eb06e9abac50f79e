import { Hono } from 'hono';
import type { Context } from 'hono';
import { acceptPolicy, currentAndNextPolicy, getPolicyVersion, listPolicyVersions, localDate, NOTICE_DAYS, operatorTimeZone, policyAwaitingAcceptance, policyVersionStats, publishPolicyVersion } from '../../privacy/index.ts';
import { PolicyAdminPage, PolicyAcceptPage, PolicyTextPage, type PolicyAdminView } from '../../../views/pages/policy.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm, safeNext } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import type { HttpEnv } from '../env.ts';

const actor = (c: Context<HttpEnv>) => ({ id: c.get('user')!.id, label: c.get('user')!.email, ip: c.get('ip') });

async function adminPage(c: Context<HttpEnv>, extra: Partial<PolicyAdminView> = {}, status = 200) {
  const { db, clock } = c.get('ctx');
  const versions = await listPolicyVersions(db);
  const stats = await policyVersionStats(db);
  const { current } = await currentAndNextPolicy(db, clock);
  const today = localDate(clock.now(), await operatorTimeZone(db));
  const earliest = new Date(Date.parse(`${today}T00:00:00Z`) + NOTICE_DAYS * 86_400_000).toISOString().slice(0, 10);
  const d: PolicyAdminView = {
    versions: versions.map((v) => ({ ...v, ...(stats.get(v.id) ?? { acceptances: 0, notices: { sent: 0, pending: 0, failed: 0 } }) })),
    currentId: current?.id ?? null, earliestSignificant: earliest, ...extra,
  };
  return html(c, <PolicyAdminPage v={viewContext(c)} d={d} />, status);
}

/** Where an owner goes after signing in: the policy in force to accept first, when there is one they have not accepted. */
export async function afterSignIn(c: Context<HttpEnv>, user: { id: string; clientId: string | null; role: string }, next: string): Promise<string> {
  const { db, clock } = c.get('ctx');
  return (await policyAwaitingAcceptance(db, clock, user)) ? `/policy/accept${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}` : next;
}

/** Policy versions: the operator publishes them; owners accept the one in force; anyone with the link reads one. */
export function policyRoutes() {
  const app = new Hono<HttpEnv>();
  const admin = requireUser(['admin']);

  app.get('/operator/policy', admin, (c) => adminPage(c));

  app.post('/operator/policy', admin, async (c) => {
    const { db, clock, jobs } = c.get('ctx');
    const f = await readForm(c);
    const values = { body: f.body ?? '', effective_date: f.effective_date ?? '', significant: f.significant === 'on' ? 'on' : '' };
    try {
      await publishPolicyVersion(db, clock, { body: values.body, effectiveDate: values.effective_date.trim(), significant: values.significant === 'on' }, actor(c));
      jobs.wake();
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return adminPage(c, { values, errors }, 422);
    }
    return c.redirect(flashUrl(c, '/operator/policy', 'policy.published_done'), 303);
  });

  app.get('/policy/accept', requireUser(['owner']), async (c) => {
    const { db, clock } = c.get('ctx');
    const next = safeNext(c.req.query('next'));
    const v = await policyAwaitingAcceptance(db, clock, c.get('user')!);
    if (!v) return c.redirect(next, 303);
    return html(c, <PolicyAcceptPage v={viewContext(c)} d={{ id: v.id, effectiveDate: v.effectiveDate, body: v.body, next }} />);
  });

  app.post('/policy/accept', requireUser(['owner']), async (c) => {
    const { db, clock } = c.get('ctx');
    const user = c.get('user')!;
    const f = await readForm(c);
    await acceptPolicy(db, clock, { id: user.id, clientId: user.clientId!, role: user.role }, f.version_id ?? '', actor(c));
    return c.redirect(safeNext(f.next), 303);
  });

  app.get('/policy/:id{[0-9a-z]{26}}', async (c) => {
    const v = await getPolicyVersion(c.get('ctx').db, c.req.param('id'));
    return html(c, <PolicyTextPage v={viewContext(c)} d={v} />);
  });

  return app;
}
