import { Hono, type Context } from 'hono';
import {
  beginTotpEnrolment, confirmTotpEnrolment, disableTotp, endOtherSessions, isLanguage, listSessions, normaliseTotpCode, totpRequiredFor, updateOwnProfile,
  SESSION_ABSOLUTE_MS, SESSION_IDLE_MS,
} from '../../auth/index.ts';
import { isAppError } from '../../lib/errors.ts';
import { AccountPage, TotpEnrolPage, type AccountData } from '../../../views/pages/account.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { qrSvgDataUrl } from '../qr-code.ts';
import type { HttpEnv } from '../env.ts';

const MAX_NAME = 200;
const HOUR = 60 * 60 * 1000;

async function accountData(c: Context<HttpEnv>): Promise<AccountData> {
  const ctx = c.get('ctx');
  const user = c.get('user')!;
  const current = c.get('session')!.id;
  const sessions = await listSessions(ctx.db, ctx.clock, user.id);
  return {
    name: user.name, email: user.email, language: user.language, totpEnabled: user.totpEnabled,
    totpRequired: await totpRequiredFor(ctx.db, ctx.vault, user),
    sessions: sessions.map((s) => ({ current: s.id === current, ip: s.ip, userAgent: s.userAgent, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt })),
    idleHours: SESSION_IDLE_MS / HOUR, absoluteDays: SESSION_ABSOLUTE_MS / (24 * HOUR),
  };
}

async function enrolPage(c: Context<HttpEnv>, error?: string, status = 200) {
  const ctx = c.get('ctx');
  const user = c.get('user')!;
  const enrolment = await beginTotpEnrolment(ctx.db, ctx.vault, ctx.clock, user.id);
  const required = await totpRequiredFor(ctx.db, ctx.vault, user);
  return html(c, <TotpEnrolPage v={viewContext(c)} qrDataUrl={await qrSvgDataUrl(enrolment.uri)} secret={enrolment.secret} required={required} error={error} />, status);
}


/** The signed-in user's own account: profile, sessions and the TOTP second factor. */
export function accountRoutes() {
  const app = new Hono<HttpEnv>();

  app.get('/account', requireUser(), async (c) => html(c, <AccountPage v={viewContext(c)} data={await accountData(c)} />));

  app.post('/account/profile', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const f = await readForm(c);
    const name = (f.name ?? '').trim();
    if (name.length > MAX_NAME) {
      const v = viewContext(c);
      return html(c, <AccountPage v={v} data={{ ...(await accountData(c)), name }} errors={{ name: v.t('account.name_too_long', { n: MAX_NAME }) }} />, 400);
    }
    const language = isLanguage(f.language) ? f.language : user.language;
    await updateOwnProfile(ctx.db, ctx.clock, user, { name, language }, c.get('ip'));
    return c.redirect(flashUrl(c, '/account', 'account.saved'), 303);
  });

  app.post('/account/sessions/end-others', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const n = await endOtherSessions(ctx.db, ctx.clock, user, c.get('session')!.id, c.get('ip'));
    return c.redirect(flashUrl(c, '/account', 'account.ended_others', { n }), 303);
  });

  app.get('/account/totp', requireUser(), async (c) => {
    if (c.get('user')!.totpEnabled) return c.redirect('/account', 303);
    return enrolPage(c);
  });

  app.post('/account/totp', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    if (c.get('user')!.totpEnabled) return c.redirect('/account', 303);
    const f = await readForm(c);
    const v = viewContext(c);
    const code = normaliseTotpCode(f.code ?? '');
    if (!code) return enrolPage(c, v.t('totp.invalid_format'), 400);
    if (!(await confirmTotpEnrolment(ctx.db, ctx.vault, ctx.clock, c.get('user')!.id, code, c.get('ip')))) return enrolPage(c, v.t('totp.wrong'), 400);
    return c.redirect(flashUrl(c, '/account', 'enrol.done'), 303);
  });

  app.post('/account/totp/disable', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const f = await readForm(c);
    const v = viewContext(c);
    const code = normaliseTotpCode(f.code ?? '');
    if (!code) return html(c, <AccountPage v={v} data={await accountData(c)} errors={{ code: v.t('totp.invalid_format') }} />, 400);
    try {
      await disableTotp(ctx.db, ctx.vault, ctx.clock, c.get('user')!, code, c.get('ip'));
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_totp') throw err;
      return html(c, <AccountPage v={v} data={await accountData(c)} errors={{ code: v.t('totp.wrong') }} />, 400);
    }
    return c.redirect(flashUrl(c, '/account', 'account.totp_disabled'), 303);
  });

  return app;
}
