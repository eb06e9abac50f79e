// smtp-server: a real SMTP server on 127.0.0.1 standing in for the operator's mail relay in tests.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface RecordedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body) as received. */
  raw: string;
  /** The AUTH user name, when the client logged in. */
  user?: string;
}

export interface SmtpStandIn {
  port: number;
  messages: RecordedMail[];
  /** Resolves with the first message to `to` (already received or the next one), or rejects after `timeoutMs`. */
  waitFor(to: string, timeoutMs?: number): Promise<RecordedMail>;
  close(): Promise<void>;
}

/** Starts a recording SMTP server on a random port; plain SMTP (no STARTTLS), any login accepted. */
export async function startSmtpStandIn(): Promise<SmtpStandIn> {
  const messages: RecordedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        for (const w of waiters.splice(0)) w();
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    waitFor(to, timeoutMs = 5000) {
      const find = () => messages.find((m) => m.to.includes(to));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          const m = find();
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded text body of a recorded message (quoted-printable soft breaks undone). */
export function mailText(m: RecordedMail): string {
  const body = m.raw.split(/\r?\n\r?\n/).slice(1).join('\n\n');
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(m.raw)) {
    if (/content-transfer-encoding:\s*base64/i.test(m.raw)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    return body;
  }
  const joined = body.replace(/=\r?\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

/** The decoded Subject header of a recorded message (RFC 2047 encoded words, folded lines joined). */
export function mailSubject(m: RecordedMail): string {
  const head = m.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = /^subject:\s*(.*)$/im.exec(head)?.[1] ?? '';
  return line
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (_, _charset: string, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_h, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

/** Runs of three or more Latin-letter words (an English sentence or its piece), links and addresses left out. */
export function englishRuns(text: string): string[] {
  const plain = text.replace(/https?:\/\/\S+/g, ' ').replace(/\S+@\S+/g, ' ');
  return plain.match(/\b[A-Za-z][A-Za-z’']*(?:[ \t]+[A-Za-z][A-Za-z’']*){2,}\b/g) ?? [];
}
