import { Hono } from 'hono';
import type { Context } from 'hono';
import { addStaff, listStaff, resetStaffPassword, setStaffDisabled, getStaff, type StaffActor } from '../../auth/index.ts';
import { StaffPage, type StaffView } from '../../../views/pages/staff.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { formErrors } from '../form-errors.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import type { HttpEnv } from '../env.ts';

const actorOf = (c: Context<HttpEnv>): StaffActor => ({ id: c.get('user')!.id, email: c.get('user')!.email, ip: c.get('ip') });

async function page(c: Context<HttpEnv>, extra: Partial<StaffView> = {}, status = 200) {
  const d: StaffView = { staff: await listStaff(c.get('ctx').db), selfId: c.get('user')!.id, ...extra };
  return html(c, <StaffPage v={viewContext(c)} d={d} />, status);
}

/** Operator staff (admins and support), managed by admins only. */
export function staffRoutes() {
  const app = new Hono<HttpEnv>();
  const admin = requireUser(['admin']);

  app.get('/staff', admin, (c) => page(c));

  app.post('/staff', admin, async (c) => {
    const ctx = c.get('ctx');
    const f = await readForm(c);
    const values = { email: f.email ?? '', name: f.name ?? '', role: f.role ?? '' };
    try {
      const { user, password } = await addStaff(ctx.db, ctx.clock, actorOf(c), values);
      // Shown in this response only: never in a URL, a log line or the database.
      return page(c, { issued: { email: user.email, password } });
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return page(c, { values, errors }, 422);
    }
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/staff/:userId/${path}`, admin, async (c) => {
      const ctx = c.get('ctx');
      try {
        await setStaffDisabled(ctx.db, ctx.clock, actorOf(c), c.req.param('userId'), disabled);
      } catch (err) {
        const errors = formErrors(err, viewContext(c).t);
        if (!errors) throw err;
        return page(c, { errors }, 422);
      }
      return c.redirect(flashUrl(c, '/staff', disabled ? 'members.disabled_done' : 'members.enabled_done'), 303);
    });
  }

  app.post('/staff/:userId/reset-password', admin, async (c) => {
    const ctx = c.get('ctx');
    const target = await getStaff(ctx.db, c.req.param('userId'));
    try {
      const password = await resetStaffPassword(ctx.db, ctx.clock, actorOf(c), target.id);
      return page(c, { issued: { email: target.email, password } });
    } catch (err) {
      const errors = formErrors(err, viewContext(c).t);
      if (!errors) throw err;
      return page(c, { errors }, 422);
    }
  });

  return app;
}
