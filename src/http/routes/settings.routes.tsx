import { Hono } from 'hono';
import type { Context } from 'hono';
import { recordAudit } from '../../audit/index.ts';
import { SETTINGS, getSetting, hasSetting, parseSettingValue, setSettings } from '../../settings/index.ts';
import { SettingsPage, type SettingRow } from '../../../views/pages/settings.tsx';
import { requireUser } from '../middleware/session.ts';
import { readForm } from '../forms.ts';
import { translateCode } from '../form-errors.ts';
import { isAppError } from '../../lib/errors.ts';
import { html, viewContext } from '../render.tsx';
import type { HttpEnv } from '../env.ts';

const globalSpecs = () => SETTINGS.filter((s) => s.scope === 'global');

async function settingRows(c: Context<HttpEnv>): Promise<SettingRow[]> {
  const { db, vault } = c.get('ctx');
  const t = viewContext(c).t;
  const rows: SettingRow[] = [];
  for (const s of globalSpecs()) {
    const isSet = await hasSetting(db, s.key);
    const helpKey = `settings.help.${s.key}`;
    rows.push({
      key: s.key, help: t(helpKey) === helpKey ? s.help : t(helpKey), secret: !!s.secret, choices: s.choices, isSet,
      value: s.secret || !isSet ? undefined : await getSetting(db, vault, s.key),
    });
  }
  return rows;
}

/** The install-wide runtime settings (admins only). Secrets are write-only. */
export function settingsRoutes() {
  const app = new Hono<HttpEnv>();
  const admin = requireUser(['admin']);

  app.get('/settings', admin, async (c) => html(c, <SettingsPage v={viewContext(c)} rows={await settingRows(c)} />));

  app.post('/settings', admin, async (c) => {
    const ctx = c.get('ctx');
    const user = c.get('user')!;
    const f = await readForm(c);
    const v = viewContext(c);
    const changes: Record<string, string | null> = {};
    const errors: Record<string, string> = {};
    for (const s of globalSpecs()) {
      const given = f[s.key];
      const isSet = await hasSetting(ctx.db, s.key);
      const stored = isSet && !s.secret ? await getSetting(ctx.db, ctx.vault, s.key) : undefined;
      // undefined: leave as stored. Secrets are write-only: an empty field keeps them, only the checkbox clears.
      let next: string | null | undefined;
      if (s.secret) next = f[`clear:${s.key}`] ? null : given ? given : undefined;
      else if (given !== undefined) next = given.trim() === '' ? null : given;
      if (next === undefined) continue;
      if (next === null) {
        if (isSet) changes[s.key] = null;
        continue;
      }
      try {
        if (s.secret || parseSettingValue(s.key, next) !== stored) changes[s.key] = next;
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err;
        // By code, so the message is in the user's language (the parser's reason, e.g. setting_number {min, max}).
        const reason = typeof err.params?.reason === 'string' ? err.params.reason : err.code;
        errors[s.key] = translateCode(v.t, reason, err.message, err.params);
      }
    }
    if (Object.keys(errors).length) {
      const values: Record<string, string> = {};
      for (const s of globalSpecs()) if (!s.secret && f[s.key] !== undefined) values[s.key] = f[s.key];
      return html(c, <SettingsPage v={v} rows={await settingRows(c)} values={values} errors={errors} />, 422);
    }
    const keys = Object.keys(changes);
    if (!keys.length) return c.redirect(`/settings?flash=${encodeURIComponent(v.t('clients.no_changes'))}`, 303);
    await setSettings(ctx.db, ctx.vault, ctx.clock, changes);
    // Keys only: values (some of them secrets) never reach the audit log.
    await recordAudit(ctx.db, ctx.clock, { actor: { id: user.id, label: user.email }, action: 'settings.updated', ip: c.get('ip'), details: { keys } });
    return c.redirect(`/settings?flash=${encodeURIComponent(v.t('common.saved'))}`, 303);
  });

  return app;
}
