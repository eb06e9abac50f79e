import { Hono, type Context } from 'hono';
import { completePasswordReset, findPasswordReset, requestPasswordReset, isValidEmail, type User } from '../../auth/index.ts';
import { readSmtpConfig, sendMail, type SmtpConfig } from '../../mail/index.ts';
import { isAppError } from '../../lib/errors.ts';
import { translator } from '../../../views/i18n/index.ts';
import { ForgotPasswordPage, ResetPasswordPage } from '../../../views/pages/auth.tsx';
import { readForm } from '../forms.ts';
import { newPasswordErrors } from '../password-fields.ts';
import { html, viewContext } from '../render.tsx';
import type { HttpEnv } from '../env.ts';

/**
 * Sends the reset link in the user's language without holding up the answer, so a known e-mail
 * answers as fast as an unknown one. A failure is logged (without the address or the link).
 */
function mailResetLink(c: Context<HttpEnv>, smtp: SmtpConfig, user: User, token: string): void {
  const ctx = c.get('ctx');
  const t = translator(user.language);
  const link = `${ctx.publicUrl()}/password/reset/${token}`;
  sendMail(smtp, { to: user.email, subject: t('mail.reset_subject'), text: t('mail.reset_body', { name: user.name || user.email, link }) })
    .then(() => ctx.log.info('auth', 'password reset mail sent', { user_id: user.id }))
    // The error's code only: SMTP replies may quote the recipient's address.
    .catch((err: Error & { code?: string; responseCode?: number }) => ctx.log.warn('auth', 'password reset mail failed', { user_id: user.id, smtp_error: err.code ?? 'unknown', smtp_status: err.responseCode }));
}

/** Forgotten password: an e-mailed, single-use link that works for an hour (only once SMTP is set up). */
export function passwordResetRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/password/forgot', async (c) => {
    const ctx = c.get('ctx');
    const smtp = await readSmtpConfig(ctx.db, ctx.vault);
    return html(c, <ForgotPasswordPage v={viewContext(c)} smtp={!!smtp} />);
  });

  app.post('/password/forgot', async (c) => {
    const ctx = c.get('ctx');
    const v = viewContext(c);
    const smtp = await readSmtpConfig(ctx.db, ctx.vault);
    if (!smtp) return html(c, <ForgotPasswordPage v={v} smtp={false} />);
    const f = await readForm(c);
    const email = (f.email ?? '').trim();
    if (!isValidEmail(email)) return html(c, <ForgotPasswordPage v={v} smtp email={email.slice(0, 254)} error={v.t('login.invalid_email')} />, 400);
    try {
      const r = await requestPasswordReset(ctx.db, ctx.clock, { email, ip: c.get('ip') });
      if (r) mailResetLink(c, smtp, r.user, r.token);
    } catch (err) {
      if (!isAppError(err) || err.status !== 429) throw err;
      const seconds = err.retryAfter ?? 60;
      c.header('Retry-After', String(seconds));
      return html(c, <ForgotPasswordPage v={v} smtp email={email} error={v.t('forgot.throttled', { seconds })} />, 429);
    }
    // The same answer whether or not the e-mail belongs to an account.
    return html(c, <ForgotPasswordPage v={v} smtp sent />);
  });

  app.get('/password/reset/:token', async (c) => {
    const ctx = c.get('ctx');
    const token = c.req.param('token');
    const valid = !!(await findPasswordReset(ctx.db, ctx.clock, token));
    return html(c, <ResetPasswordPage v={viewContext(c)} token={token} valid={valid} />, valid ? 200 : 410);
  });

  app.post('/password/reset/:token', async (c) => {
    const ctx = c.get('ctx');
    const token = c.req.param('token');
    const v = viewContext(c);
    if (!(await findPasswordReset(ctx.db, ctx.clock, token))) return html(c, <ResetPasswordPage v={v} token={token} valid={false} />, 410);
    const f = await readForm(c);
    const password = f.password ?? '';
    const errors = newPasswordErrors(v.t, password, f.repeat);
    if (Object.keys(errors).length) return html(c, <ResetPasswordPage v={v} token={token} valid errors={errors} />, 422);
    try {
      await completePasswordReset(ctx.db, ctx.clock, { token, password, ip: c.get('ip') });
    } catch (err) {
      if (!isAppError(err) || err.code !== 'reset_link_invalid') throw err;
      return html(c, <ResetPasswordPage v={v} token={token} valid={false} />, 410);
    }
    return c.redirect('/login?reset=1', 303);
  });

  return app;
}
