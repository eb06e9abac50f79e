import { Layout, Csrf } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

export interface SettingRow {
  key: string;
  help: string;
  secret: boolean;
  choices?: readonly string[];
  /** The stored value (never for secrets). */
  value?: string;
  /** Whether a value is stored (what secrets show instead of their value). */
  isSet: boolean;
}

export function SettingsPage({ v, rows, values, errors }: { v: ViewContext; rows: SettingRow[]; values?: Record<string, string>; errors?: Record<string, string> }) {
  return (
    <Layout v={v} title={v.t('settings.title')}>
      <h1>{v.t('settings.title')}</h1>
      <p class="muted">{v.t('settings.intro')}</p>
      {errors && Object.keys(errors).length ? <p class="error" role="alert">{v.t('clients.fix_errors')}</p> : null}
      <form method="post" action="/settings">
        <Csrf v={v} />
        {rows.map((r) => {
          const error = errors?.[r.key];
          const value = values?.[r.key] ?? r.value ?? '';
          return (
            <div class={error ? 'field invalid' : 'field'}>
              <label>
                <span><code>{r.key}</code></span>
                {r.secret ? (
                  <input name={r.key} type="password" value="" autocomplete="new-password" aria-invalid={error ? 'true' : undefined}
                    placeholder={r.isSet ? v.t('settings.secret_keep') : v.t('settings.secret_enter')} />
                ) : r.choices ? (
                  <select name={r.key} aria-invalid={error ? 'true' : undefined}>
                    <option value="" selected={value === ''}>{v.t('settings.unset')}</option>
                    {r.choices.map((ch) => <option value={ch} selected={ch === value}>{ch}</option>)}
                  </select>
                ) : (
                  <input name={r.key} value={value} aria-invalid={error ? 'true' : undefined} />
                )}
              </label>
              <small>{r.help}</small>
              {r.secret ? (
                <small>
                  {' · '}{r.isSet ? <span class="badge on">{v.t('settings.set')}</span> : <span class="badge">{v.t('settings.not_set')}</span>}
                  {r.isSet ? <label class="inline"> <input type="checkbox" name={`clear:${r.key}`} value="1" /> {v.t('settings.clear')}</label> : null}
                </small>
              ) : null}
              {error ? <small class="error"> {error}</small> : null}
            </div>
          );
        })}
        <button type="submit">{v.t('common.save')}</button>
      </form>
    </Layout>
  );
}
