import { badRequest } from '../lib/errors.ts';

export interface SettingSpec {
  key: string;
  /** 'global' settings belong to the install; 'client' ones to one client. */
  scope: 'global' | 'client';
  secret?: boolean;
  help: string;
  /** Returns the normalised value or throws a field error. */
  parse(value: string): string;
}

const text = (max = 500) => (v: string) => {
  if (v.length > max) throw badRequest(`At most ${max} characters`);
  return v.trim();
};
const bool = (v: string) => {
  if (/^(1|true|yes|on)$/i.test(v)) return 'true';
  if (/^(0|false|no|off)$/i.test(v)) return 'false';
  throw badRequest('Expected true or false');
};
const int = (min: number, max: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw badRequest(`Expected a whole number from ${min} to ${max}`);
  return String(Number(v));
};

/** Runtime settings, edited in the UI or with `habar settings set`. Other rooms register theirs here. */
export const SETTINGS: SettingSpec[] = [
  { key: 'smtp.host', scope: 'global', help: 'SMTP server for password-reset and notification e-mail', parse: text(255) },
  { key: 'smtp.port', scope: 'global', help: 'SMTP port (587 STARTTLS, 465 TLS, 25)', parse: int(1, 65535) },
  { key: 'smtp.secure', scope: 'global', help: 'Use TLS from the start (port 465)', parse: bool },
  { key: 'smtp.user', scope: 'global', help: 'SMTP user name', parse: text(255) },
  { key: 'smtp.password', scope: 'global', secret: true, help: 'SMTP password (sealed)', parse: text(500) },
  { key: 'smtp.from', scope: 'global', help: 'Sender address, e.g. "Habar <noreply@example.kz>"', parse: text(255) },
  { key: 'security.staff_require_totp', scope: 'global', help: 'Require a TOTP second factor for operator staff', parse: bool },
  { key: 'ui.default_language', scope: 'global', help: 'Language of the login page: ru, kk or en', parse: (v) => {
    if (!['ru', 'kk', 'en'].includes(v)) throw badRequest('Expected ru, kk or en');
    return v;
  } },
];

export function settingSpec(key: string): SettingSpec | undefined {
  return SETTINGS.find((s) => s.key === key);
}
