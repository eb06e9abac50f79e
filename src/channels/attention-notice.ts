// A channel that needs a person (logged out on the phone, its QR code expired, a reconnect that
// cannot happen by itself) is announced three ways: the banner on the client's pages (the
// channel's status itself), an audit entry written with the status change, and an e-mail to the
// client's owners when SMTP is set up (a durable job queued in the same transaction).
import { recordAudit, SYSTEM_ACTOR } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueueJob, type JobHandler } from '../jobs/index.ts';
import { readSmtpConfig, sendInReadersLanguages, type MailLanguage } from '../mail/index.ts';
import type { TransactionalSubscriber } from '../messaging/index.ts';
import type { Vault } from '../vault/index.ts';
import { ATTENTION_STATUSES, findChannelAccount } from './accounts.ts';
import { listUsers } from '../auth/index.ts';
import { clientSlugAndName } from '../tenants/index.ts';

export const CHANNEL_NOTICE_JOB = 'channel.attention_notice';

type AttentionStatus = 'logged_out' | 'qr_expired' | 'reconnect_needed';

// The owners' e-mail in each owner's own language (the UI's ru/kk/en); the domain room keeps its
// few sentences here, since only http/ renders the views' catalogs.
const MAIL: Record<MailLanguage, { subject: (client: string, channel: string) => string; body: (channel: string, what: string, link: string) => string; what: Record<AttentionStatus, string> }> = {
  ru: {
    subject: (client, channel) => `[Habar] ${client}: канал «${channel}» требует внимания`,
    body: (channel, what, link) => `Канал «${channel}» ${what}.\n\nОткройте страницу каналов: ${link}\n`,
    what: {
      logged_out: 'отключён на телефоне: отсканируйте QR-код снова, чтобы подключить его',
      qr_expired: 'не был подключён вовремя (QR-код истёк): начните подключение заново',
      reconnect_needed: 'не может переподключиться сам: переподключите его на странице каналов',
    },
  },
  kk: {
    subject: (client, channel) => `[Habar] ${client}: «${channel}» арнасы назар аударуды қажет етеді`,
    body: (channel, what, link) => `«${channel}» арнасы ${what}.\n\nАрналар бетін ашыңыз: ${link}\n`,
    what: {
      logged_out: 'телефонда ажыратылды: қайта қосу үшін QR-кодты қайта сканерлеңіз',
      qr_expired: 'уақытында қосылмады (QR-кодтың мерзімі өтті): қосуды қайта бастаңыз',
      reconnect_needed: 'өздігінен қайта қосыла алмайды: арналар бетінде қайта қосыңыз',
    },
  },
  en: {
    subject: (client, channel) => `[Habar] ${client}: the channel "${channel}" needs you`,
    body: (channel, what, link) => `The channel "${channel}" ${what}.\n\nOpen the channels page: ${link}\n`,
    what: {
      logged_out: 'was logged out on the phone: scan the QR code again to reconnect it',
      qr_expired: 'was not paired in time (the QR code expired): start pairing again',
      reconnect_needed: 'cannot reconnect by itself: reconnect it on the channels page',
    },
  },
};

/** Inside the status change's transaction: its audit entry and the e-mail job. */
export function channelAttentionWatcher(deps: { clock: Clock }): TransactionalSubscriber {
  return async (trx, events) => {
    for (const e of events) {
      if (e.type !== 'channel.status' || !ATTENTION_STATUSES.includes(e.channel.status)) continue;
      await recordAudit(trx, deps.clock, {
        actor: SYSTEM_ACTOR, action: 'channel.attention_needed', clientId: e.clientId, targetType: 'channel_account', targetId: e.channel.id,
        details: { kind: e.channel.kind, status: e.channel.status, last_error: e.channel.lastError },
      });
      await enqueueJob(trx, deps.clock, {
        kind: CHANNEL_NOTICE_JOB, clientId: e.clientId, payload: { channelId: e.channel.id, status: e.channel.status },
        idempotencyKey: `channel.attention:${e.channel.id}:${e.at}`, maxAttempts: 5,
      });
    }
  };
}

/** Sends the e-mail to the client's owners (nothing when SMTP is not set up, or the channel was deleted or recovered since). */
export function channelAttentionHandler(deps: { db: Db; vault: Vault; publicUrl: () => string }): JobHandler {
  return {
    kind: CHANNEL_NOTICE_JOB,
    async run(job) {
      const smtp = await readSmtpConfig(deps.db, deps.vault);
      if (!smtp || !job.clientId) return;
      const account = await findChannelAccount(deps.db, String(job.payload.channelId));
      if (!account || account.deletedAt || account.status !== job.payload.status) return;
      const client = await clientSlugAndName(deps.db, job.clientId);
      if (!client) return;
      const owners = (await listUsers(deps.db, job.clientId)).filter((u) => u.role === 'owner' && !u.disabled);
      if (owners.length === 0) return;
      const link = `${deps.publicUrl().replace(/\/$/, '')}/clients/${client.slug}/channels`;
      const status = account.status as AttentionStatus;
      await sendInReadersLanguages(smtp, owners, (lang) => {
        const m = MAIL[lang];
        return { subject: m.subject(client.name, account.name), text: m.body(account.name, m.what[status] ?? status, link) };
      });
    },
  };
}
