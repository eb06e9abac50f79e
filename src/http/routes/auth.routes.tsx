import { Hono, type Context } from 'hono';
import { afterSignIn } from './policy.routes.tsx';
import {
  login, logout, endSession, changeOwnPassword, verifyCurrentPassword, updateUser, isLanguage, getUser, passTotpLogin, normaliseTotpCode,
  isValidEmail,
} from '../../auth/index.ts';
import { isAppError, type AppError } from '../../lib/errors.ts';
import { LoginPage, ChangePasswordPage, TotpLoginPage } from '../../../views/pages/auth.tsx';
import { clearSessionCookie, requireUser, setSessionCookie } from '../middleware/session.ts';
import { readForm, safeNext } from '../forms.ts';
import { MAX_PASSWORD_LENGTH, newPasswordErrors } from '../password-fields.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import type { HttpEnv } from '../env.ts';

const retryAfter = (err: AppError) => err.retryAfter ?? 60;

/** Form-shape checks before any credential is tried (these do not count as failed attempts). */
function loginFieldErrors(c: Context<HttpEnv>, f: Record<string, string>): Record<string, string> | undefined {
  const v = viewContext(c);
  const errors: Record<string, string> = {};
  const email = (f.email ?? '').trim();
  if (!email || !isValidEmail(email)) errors.email = v.t('login.invalid_email');
  if (!f.password) errors.password = v.t('login.missing_password');
  else if (f.password.length > MAX_PASSWORD_LENGTH) errors.password = v.t('password.too_long', { n: MAX_PASSWORD_LENGTH });
  return Object.keys(errors).length ? errors : undefined;
}

/** The path of the page the form came from, when it is ours (else '/'). */
function sameSiteReferer(c: Context<HttpEnv>): string {
  try {
    const ref = new URL(c.req.header('referer') ?? '');
    return ref.host === new URL(c.req.url).host ? safeNext(ref.pathname) : '/';
  } catch {
    return '/';
  }
}

export function authRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/login', (c) => {
    if (c.get('user')) return c.redirect('/', 303);
    const base = viewContext(c);
    const v = c.req.query('reset') ? { ...base, flash: base.t('login.reset_done') } : base;
    return html(c, <LoginPage v={v} next={c.req.query('next')} error={c.req.query('expired') ? v.t('login.expired') : undefined} />);
  });

  app.post('/login', async (c) => {
    const ctx = c.get('ctx');
    const f = await readForm(c);
    const errors = loginFieldErrors(c, f);
    if (errors) return html(c, <LoginPage v={viewContext(c)} email={f.email} errors={errors} next={f.next} />, 400);
    try {
      const r = await login(ctx.db, ctx.clock, { email: f.email!, password: f.password!, ip: c.get('ip'), userAgent: c.req.header('user-agent') ?? '' });
      // A new sign-in replaces whatever session this browser had (no session fixation).
      const previous = c.get('sessionToken');
      if (previous) await endSession(ctx.db, previous);
      setSessionCookie(c, r.token);
      const next = safeNext(f.next);
      if (r.session.totpPending) return c.redirect(`/login/totp${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`, 303);
      return c.redirect(r.user.mustChangePassword ? '/account/password' : await afterSignIn(c, r.user, next), 303);
    } catch (err) {
      if (!isAppError(err) || (err.status !== 401 && err.status !== 429 && err.code !== 'client_terminated')) throw err;
      const v = viewContext(c);
      const msg = err.status === 429 ? v.t('login.throttled', { seconds: retryAfter(err) }) : err.code === 'client_terminated' ? v.t('login.client_terminated') : v.t('login.wrong');
      if (err.status === 429) c.header('Retry-After', String(retryAfter(err)));
      return html(c, <LoginPage v={v} email={f.email} error={msg} next={f.next} />, err.status);
    }
  });

  app.get('/login/totp', (c) => {
    const session = c.get('session');
    if (!session) return c.redirect('/login', 303);
    if (!session.totpPending) return c.redirect('/', 303);
    return html(c, <TotpLoginPage v={viewContext(c)} next={c.req.query('next')} />);
  });

  app.post('/login/totp', async (c) => {
    const ctx = c.get('ctx');
    const session = c.get('session');
    if (!session) return c.redirect('/login?expired=1', 303);
    if (!session.totpPending) return c.redirect('/', 303);
    const f = await readForm(c);
    const v = viewContext(c);
    const code = normaliseTotpCode(f.code ?? '');
    if (!code) return html(c, <TotpLoginPage v={v} next={f.next} error={v.t('totp.invalid_format')} />, 400);
    const user = await getUser(ctx.db, session.userId);
    try {
      await passTotpLogin(ctx.db, ctx.vault, ctx.clock, { sessionId: session.id, user, code, ip: c.get('ip') });
    } catch (err) {
      if (!isAppError(err) || (err.status !== 401 && err.status !== 429)) throw err;
      if (err.status === 429) c.header('Retry-After', String(retryAfter(err)));
      const msg = err.status === 429 ? v.t('totp.throttled', { seconds: retryAfter(err) }) : v.t('totp.wrong');
      return html(c, <TotpLoginPage v={v} next={f.next} error={msg} />, err.status);
    }
    return c.redirect(user.mustChangePassword ? '/account/password' : await afterSignIn(c, user, safeNext(f.next)), 303);
  });

  app.post('/logout', async (c) => {
    await logout(c.get('ctx').db, c.get('ctx').clock, c.get('sessionToken'), c.get('user'), c.get('ip'));
    clearSessionCookie(c);
    return c.redirect('/login', 303);
  });

  app.get('/account/password', requireUser(), (c) => html(c, <ChangePasswordPage v={viewContext(c)} forced={c.get('user')!.mustChangePassword} />));

  app.post('/account/password', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const f = await readForm(c);
    const v = viewContext(c);
    const password = f.password ?? '';
    const current = (f.current ?? '').slice(0, MAX_PASSWORD_LENGTH + 1);
    let currentOk: boolean;
    try {
      // Under the account's login throttle: a left-open session is no oracle for guessing the password.
      currentOk = await verifyCurrentPassword(ctx.db, ctx.clock, { email: user.email, password: current, ip: c.get('ip') });
    } catch (err) {
      if (!isAppError(err) || err.status !== 429) throw err;
      c.header('Retry-After', String(retryAfter(err)));
      return html(c, <ChangePasswordPage v={v} errors={{ current: v.t('login.throttled', { seconds: retryAfter(err) }) }} forced={user.mustChangePassword} />, 429);
    }
    const errors = newPasswordErrors(v.t, password, f.repeat, [user.email, user.name]);
    if (!currentOk) errors.current = v.t('password.wrong_current');
    else if (!Object.keys(errors).length && password === f.current) errors.password = v.t('password.same_as_current');
    if (Object.keys(errors).length) return html(c, <ChangePasswordPage v={v} errors={errors} forced={user.mustChangePassword} />, 422);
    await changeOwnPassword(ctx.db, ctx.clock, user, password, c.get('session')!.id, c.get('ip'));
    return c.redirect(flashUrl(c, '/', 'password.changed'), 303);
  });

  app.post('/account/language', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const f = await readForm(c);
    if (isLanguage(f.language)) await updateUser(ctx.db, ctx.clock, c.get('user')!.id, { language: f.language });
    return c.redirect(sameSiteReferer(c), 303);
  });

  return app;
}
