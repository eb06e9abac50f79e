import { Hono, type Context } from 'hono';
import { INSTAGRAM_CALLBACK_PATH, INSTAGRAM_LOGIN_CALLBACK_PATH } from './instagram-login.routes.tsx';
import { SETTINGS, setSettings } from '../../settings/index.ts';
import { SettingsPage } from '../../../views/pages/settings.tsx';
import { RemoteBackupCard } from '../../../views/remote-backup.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { readSettingsForm, settingRows } from '../settings-form.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
import { translateCode } from '../form-errors.ts';
import { isAppError } from '../../lib/errors.ts';
import { remoteBackupPanel } from './remote-backup-status.ts';
import type { HttpEnv } from '../env.ts';

const globalSpecs = () => SETTINGS.filter((s) => s.scope === 'global');

/** What to paste into Meta's dashboard: this server's webhook and OAuth redirect URLs. */
const metaUrls = (c: Context<HttpEnv>) => {
  const base = c.get('ctx').publicUrl().replace(/\/$/, '');
  return { webhook: `${base}/webhooks/instagram`, oauthRedirect: `${base}${INSTAGRAM_CALLBACK_PATH}`, instagramLoginRedirect: `${base}${INSTAGRAM_LOGIN_CALLBACK_PATH}` };
};

/** The install-wide runtime settings (admins only). Secrets are write-only. */
export function settingsRoutes() {
  const app = new Hono<HttpEnv>();
  const admin = requireUser(['admin']);

  app.get('/settings', admin, async (c) => {
    const v = viewContext(c);
    const ctx = c.get('ctx');
    return html(c, <SettingsPage v={v} rows={await settingRows(ctx, v.t, globalSpecs())} meta={metaUrls(c)} remote={await remoteBackupPanel(ctx)} />);
  });

  // The off-site backup card alone: it polls this while an upload runs (the progress line).
  app.get('/settings/remote-backup', admin, async (c) => {
    if (!c.req.header('HX-Request')) return c.redirect('/settings', 303);
    return html(c, <RemoteBackupCard v={viewContext(c)} r={await remoteBackupPanel(c.get('ctx'))} compact={c.req.query('compact') === '1'} />);
  });

  app.post('/settings', admin, async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const v = viewContext(c);
    const { changes, errors, values } = await readSettingsForm(ctx, v.t, globalSpecs(), await readForm(c));
    const refused = async () => html(c, <SettingsPage v={v} rows={await settingRows(ctx, v.t, globalSpecs())} values={values} errors={errors} meta={metaUrls(c)} remote={await remoteBackupPanel(ctx)} />, 422);
    if (Object.keys(errors).length) return refused();
    const keys = Object.keys(changes);
    if (!keys.length) return c.redirect(flashUrl(c, '/settings', 'clients.no_changes'), 303);
    try {
      await setSettings(ctx.db, ctx.vault, ctx.clock, changes, null, { id: user.id, label: user.email, ip: c.get('ip') }, undefined, ctx.settingsGuards);
    } catch (err) {
      // A guard's refusal (e.g. the off-site storage check): shown at its field; nothing was stored.
      if (!isAppError(err) || err.status !== 400 || !err.field) throw err;
      errors[err.field] = translateCode(v.t, err.code, err.message, err.params);
      return refused();
    }
    return c.redirect(flashUrl(c, '/settings', 'common.saved'), 303);
  });

  return app;
}
