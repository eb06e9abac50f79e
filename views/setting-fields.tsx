import type { ViewContext } from './view-context.ts';
import { fieldId } from './layout.tsx';

/** How a setting is edited: secrets are write-only passwords; a checkbox sends `has:<key>` beside it so an unticked box means false. */
export type SettingControl = 'password' | 'checkbox' | 'number' | 'select' | 'textarea' | 'text';

/** One runtime setting in a settings form (global or a client's). */
export interface SettingRow {
  key: string;
  /** A translated name; without one the key itself is the label. */
  label?: string;
  help: string;
  control: SettingControl;
  choices?: readonly string[];
  /** The value in force while the setting is unset (shown then). */
  default?: string;
  /** The stored value (never for secrets). */
  value?: string;
  /** Whether a value is stored (what secrets show instead of their value). */
  isSet: boolean;
  /** A number's allowed range. */
  min?: number;
  max?: number;
}

/** One setting's input with its label, help and inline error; `value` is what the user sent back (after an error). */
export function SettingField({ v, row, value, error }: { v: ViewContext; row: SettingRow; value?: string; error?: string }) {
  const shown = value ?? row.value ?? row.default ?? '';
  const invalid = error ? 'true' : undefined;
  const name = row.label ? <span>{row.label}</span> : <span><code>{row.key}</code></span>;
  if (row.control === 'checkbox') {
    return (
      <div class={error ? 'field invalid' : 'field'}>
        <input type="hidden" name={`has:${row.key}`} value="1" />
        <label class="check"><input type="checkbox" name={row.key} value="true" checked={shown === 'true'} aria-invalid={invalid} id={fieldId(row.key)} /> {row.label ?? <code>{row.key}</code>}</label>
        <SettingHelp v={v} row={row} error={error} />
      </div>
    );
  }
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label>
        {name}
        {row.control === 'password' ? (
          <input name={row.key} type="password" value="" autocomplete="new-password" aria-invalid={invalid} id={fieldId(row.key)}
            placeholder={row.isSet ? v.t('settings.secret_keep') : v.t('settings.secret_enter')} />
        ) : row.control === 'select' ? (
          <select name={row.key} aria-invalid={invalid} id={fieldId(row.key)}>
            {row.default === undefined ? <option value="" selected={shown === ''}>{v.t('settings.unset')}</option> : null}
            {(row.choices ?? []).map((ch) => <option value={ch} selected={ch === shown}>{choiceName(v, ch)}</option>)}
          </select>
        ) : row.control === 'textarea' ? (
          <textarea name={row.key} rows={4} aria-invalid={invalid} id={fieldId(row.key)}>{shown}</textarea>
        ) : (
          <input name={row.key} type={row.control === 'number' ? 'number' : 'text'} value={shown} aria-invalid={invalid}
            min={row.control === 'number' ? row.min : undefined} max={row.control === 'number' ? row.max : undefined} id={fieldId(row.key)} />
        )}
      </label>
      <SettingHelp v={v} row={row} error={error} />
    </div>
  );
}

// A select's value in words where the catalog has them ("true" → "Да"), else the value itself.
function choiceName(v: ViewContext, choice: string): string {
  const key = `settings.choice.${choice}`;
  const s = v.t(key);
  return s === key ? choice : s;
}

function SettingHelp({ v, row, error }: { v: ViewContext; row: SettingRow; error?: string }) {
  return (
    <>
      <small>{row.help}{row.label ? <> <code class="muted">{row.key}</code></> : null}</small>
      {row.control === 'password' ? (
        <small>
          {' · '}{row.isSet ? <span class="badge on">{v.t('settings.set')}</span> : <span class="badge">{v.t('settings.not_set')}</span>}
          {row.isSet ? <label class="inline"> <input type="checkbox" name={`clear:${row.key}`} value="1" /> {v.t('settings.clear')}</label> : null}
        </small>
      ) : null}
      {error ? <small class="error"> {error}</small> : null}
    </>
  );
}
