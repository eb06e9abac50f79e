import { Hono, type Context } from 'hono';
import { INSTAGRAM_CALLBACK_PATH, INSTAGRAM_LOGIN_CALLBACK_PATH } from './instagram-login.routes.tsx';
import { SETTINGS, setSettings } from '../../settings/index.ts';
import { SettingsPage } from '../../../views/pages/settings.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { readSettingsForm, settingRows } from '../settings-form.ts';
import { html, viewContext } from '../render.tsx';
import { flashUrl } from '../flash.ts';
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
    return html(c, <SettingsPage v={v} rows={await settingRows(c.get('ctx'), v.t, globalSpecs())} meta={metaUrls(c)} />);
  });

  app.post('/settings', admin, async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const v = viewContext(c);
    const { changes, errors, values } = await readSettingsForm(ctx, v.t, globalSpecs(), await readForm(c));
    if (Object.keys(errors).length) {
      return html(c, <SettingsPage v={v} rows={await settingRows(ctx, v.t, globalSpecs())} values={values} errors={errors} meta={metaUrls(c)} />, 422);
    }
    const keys = Object.keys(changes);
    if (!keys.length) return c.redirect(flashUrl(c, '/settings', 'clients.no_changes'), 303);
    await setSettings(ctx.db, ctx.vault, ctx.clock, changes, null, { id: user.id, label: user.email, ip: c.get('ip') });
    return c.redirect(flashUrl(c, '/settings', 'common.saved'), 303);
  });

  return app;
}
