import type { Language } from '../auth/index.ts';

/** What the embedded default names, in each UI language (the install's default language picks one). */
export interface DefaultNames {
  admin: string;
  demoClient: string;
  demoAddress: string;
  sandbox: string;
}

// Stored as data on the first start (people rename them), so they are written in the language the
// install shows by default rather than translated on each page.
export const DEFAULT_NAMES: Record<Language, DefaultNames> = {
  ru: { admin: 'Администратор', demoClient: 'Демо-компания', demoAddress: 'Алматы, пр. Абая, 1', sandbox: 'Чат для клиента' },
  kk: { admin: 'Әкімші', demoClient: 'Демо компания', demoAddress: 'Алматы, Абай даңғылы, 1', sandbox: 'Клиент чаты' },
  en: { admin: 'Administrator', demoClient: 'Demo Company', demoAddress: 'Almaty, 1 Abay Ave', sandbox: 'Customer chat' },
};
