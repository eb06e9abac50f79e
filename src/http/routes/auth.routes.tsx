import { Hono } from 'hono';
import { login, endSession, setPassword, verifyPassword, findUserByEmail, updateUser, isLanguage, MIN_PASSWORD_LENGTH } from '../../auth/index.ts';
import { recordAudit } from '../../audit/index.ts';
import { isAppError } from '../../lib/errors.ts';
import { LoginPage, ChangePasswordPage } from '../../../views/pages/auth.tsx';
import { clearSessionCookie, requireUser, setSessionCookie } from '../middleware/session.ts';
import { readForm, safeNext } from '../forms.ts';
import { html, viewContext } from '../render.tsx';
import type { HttpEnv } from '../env.ts';

export function authRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/login', (c) => {
    if (c.get('user')) return c.redirect('/', 303);
    const v = viewContext(c);
    return html(c, <LoginPage v={v} next={c.req.query('next')} error={c.req.query('expired') ? v.t('login.expired') : undefined} />);
  });

  app.post('/login', async (c) => {
    const ctx = c.get('ctx');
    const f = await readForm(c);
    try {
      const r = await login(ctx.db, ctx.clock, { email: f.email ?? '', password: f.password ?? '', ip: c.get('ip'), userAgent: c.req.header('user-agent') ?? '' });
      setSessionCookie(c, r.token);
      if (r.session.totpPending) return c.redirect('/login/totp', 303);
      return c.redirect(r.user.mustChangePassword ? '/account/password' : safeNext(f.next), 303);
    } catch (err) {
      if (!isAppError(err) || (err.status !== 401 && err.status !== 429)) throw err;
      const v = viewContext(c);
      const msg = err.status === 429 ? v.t('login.throttled', { seconds: (err as { retryAfter?: number }).retryAfter ?? 60 }) : v.t('login.wrong');
      if (err.status === 429) c.header('Retry-After', String((err as { retryAfter?: number }).retryAfter ?? 60));
      return html(c, <LoginPage v={v} email={f.email} error={msg} next={f.next} />, err.status);
    }
  });

  app.post('/logout', async (c) => {
    const token = c.get('sessionToken');
    const user = c.get('user');
    if (token) await endSession(c.get('ctx').db, token);
    if (user) await recordAudit(c.get('ctx').db, c.get('ctx').clock, { actor: { id: user.id, label: user.email }, action: 'auth.logout', clientId: user.clientId, ip: c.get('ip') });
    clearSessionCookie(c);
    return c.redirect('/login', 303);
  });

  app.get('/account/password', requireUser(), (c) => html(c, <ChangePasswordPage v={viewContext(c)} forced={c.get('user')!.mustChangePassword} />));

  app.post('/account/password', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const f = await readForm(c);
    const v = viewContext(c);
    const errors: Record<string, string> = {};
    const stored = await findUserByEmail(ctx.db, user.email);
    if (!(await verifyPassword(f.current ?? '', stored?.passwordHash ?? null))) errors.current = v.t('password.wrong_current');
    if ((f.password ?? '').length < MIN_PASSWORD_LENGTH) errors.password = v.t('password.too_short', { n: MIN_PASSWORD_LENGTH });
    else if (f.password !== f.repeat) errors.repeat = v.t('password.mismatch');
    else if (f.password === f.current) errors.password = v.t('password.too_short', { n: MIN_PASSWORD_LENGTH });
    if (Object.keys(errors).length) return html(c, <ChangePasswordPage v={v} errors={errors} forced={user.mustChangePassword} />, 422);
    await setPassword(ctx.db, ctx.clock, user.id, f.password!);
    await recordAudit(ctx.db, ctx.clock, { actor: { id: user.id, label: user.email }, action: 'user.password_changed', clientId: user.clientId, targetType: 'user', targetId: user.id, ip: c.get('ip') });
    return c.redirect(`/?flash=${encodeURIComponent(v.t('password.changed'))}`, 303);
  });

  app.post('/account/language', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const f = await readForm(c);
    if (isLanguage(f.language)) await updateUser(ctx.db, ctx.clock, c.get('user')!.id, { language: f.language });
    return c.redirect(c.req.header('referer') && new URL(c.req.header('referer')!).host === new URL(c.req.url).host ? new URL(c.req.header('referer')!).pathname : '/', 303);
  });

  return app;
}
