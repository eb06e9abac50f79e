export { readSmtpConfig, sendMail, type SmtpConfig, type MailMessage } from './mailer.ts';
export { sendInReadersLanguages, installMailLanguage, mailLanguage, MAIL_LANGUAGES, type MailLanguage } from './by-language.ts';
export { smtpRecipients } from './recipients.ts';
