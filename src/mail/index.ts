export { readSmtpConfig, sendMail, type SmtpConfig, type MailMessage } from './mailer.ts';
export { smtpRecipients } from './recipients.ts';
