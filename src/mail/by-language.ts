// Every e-mail Habar sends is in its reader's language (the UI's ru, kk and en): a member reads
// it in their own `users.language`; an address that is no member (a client's billing address)
// in the install's default language (`ui.default_language`, else Russian). Each room keeps its
// few sentences beside its handler (only http/ renders the views' catalogs) and sends through here.
import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import { getSetting } from '../settings/index.ts';
import { sendMail, type SmtpConfig } from './mailer.ts';

export const MAIL_LANGUAGES = ['ru', 'kk', 'en'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

/** A language this module knows, else Russian (the install default's own fallback). */
export const mailLanguage = (l: string | null | undefined): MailLanguage => ((MAIL_LANGUAGES as readonly string[]).includes(l ?? '') ? (l as MailLanguage) : 'ru');

/** The language for an address that is no member: `ui.default_language`, else ru. */
export async function installMailLanguage(db: Db, vault: Vault): Promise<MailLanguage> {
  return mailLanguage(await getSetting(db, vault, 'ui.default_language'));
}

/** Sends one message per language present among `readers`, each addressed to the readers of that language. */
export async function sendInReadersLanguages(
  smtp: SmtpConfig, readers: Array<{ email: string; language: string }>, compose: (lang: MailLanguage) => { subject: string; text: string },
): Promise<void> {
  for (const lang of MAIL_LANGUAGES) {
    const to = readers.filter((r) => mailLanguage(r.language) === lang).map((r) => r.email);
    if (to.length === 0) continue;
    await sendMail(smtp, { to: to.join(', '), ...compose(lang) });
  }
}
