import type { Lang, T } from './i18n/index.ts';

/** What every view gets from the HTTP edge: no data access, just what to show. */
export interface ViewContext {
  t: T;
  lang: Lang;
  csrf: string;
  path: string;
  /** Formats an ISO time in the viewer's zone (Asia/Almaty unless the client set another). */
  time: (iso: string | null | undefined) => string;
  user?: { name: string; email: string; role: string; clientSlug?: string | null };
  flash?: string;
  /** On a client's pages: its channels that need a person (shown as a banner under the client's tabs). */
  channelAlerts?: Array<{ id: string; name: string; status: string }>;
  /** On a client's pages: the plan's amounts used 80 % or more this month (a banner). */
  quotaAlerts?: Array<{ metric: string; included: number; used: number; percent: number; aiStopped: boolean }>;
}

export function timeFormatter(lang: Lang, timeZone: string) {
  const fmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang === 'kk' ? 'kk-KZ' : 'ru-RU', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  return (iso: string | null | undefined) => (iso ? fmt.format(new Date(iso)) : '');
}
