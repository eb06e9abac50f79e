// nodemailer: the SMTP client (the only file that speaks SMTP).
import nodemailer from 'nodemailer';
import type { Db } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';
import { getSetting } from '../settings/index.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** The SMTP settings, read fresh (so `habar settings set` applies at once); undefined until host and sender are set. */
export async function readSmtpConfig(db: Db, vault: Vault): Promise<SmtpConfig | undefined> {
  const get = (k: string) => getSetting(db, vault, `smtp.${k}`);
  const [host, port, secure, user, password, from] = await Promise.all([get('host'), get('port'), get('secure'), get('user'), get('password'), get('from')]);
  if (!host || !from) return undefined;
  const tls = secure === 'true';
  return { host, port: port ? Number(port) : tls ? 465 : 587, secure: tls, user: user || undefined, password: password || undefined, from };
}

/** Sends one plain-text message; rejects with the server's error (never logged here: the caller decides). */
export async function sendMail(config: SmtpConfig, msg: MailMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    host: config.host, port: config.port, secure: config.secure,
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000,
  });
  try {
    await transport.sendMail({ from: config.from, to: msg.to, subject: msg.subject, text: msg.text });
  } finally {
    transport.close();
  }
}
