import { badRequest } from '../../lib/errors.ts';
import type { ChannelDriver } from '../channel.ts';
import { connectWithToken } from './connect.ts';
import { createInstagramAdapter, HUMAN_AGENT_SETTING } from './adapter.ts';

const MB = 1024 * 1024;

/**
 * Instagram (a professional account, through the Graph API): what differs for this kind. An
 * account is connected with a token checked on the Graph API (connect) and then runs its adapter.
 * A business cannot write first: only a contact's message opens the 24-hour window in which it
 * may reply; past it only a person's reply, tagged HUMAN_AGENT, up to 7 days where the client allows it.
 */
export const instagramDriver: ChannelDriver = {
  kind: 'instagram',
  idempotent: false,
  sendRate: { capacity: 10, perSecond: 5 },
  initialStatus: 'disconnected',
  dataRecipient: { kind: 'instagram', platform: 'Instagram (Meta)', url: 'https://graph.facebook.com', abroad: true },
  parseAddress(to) {
    const value = to.trim();
    if (!value || value.length > 200) throw badRequest('Enter the recipient (at most 200 characters)', 'to');
    return { identity: { kind: 'ig_id', value } };
  },
  // The Send API's limits: 1000 characters of text; images up to 8 MB, audio and video up to 25 MB.
  limits: { maxTextLength: 1000, attachments: { mimeTypes: ['image/', 'video/', 'audio/'], maxBytes: 25 * MB } },
  replyWindowMs: 24 * 60 * 60 * 1000,
  // Meta's HUMAN_AGENT tag: a person may answer up to 7 days after the customer's last message.
  humanAgentWindow: { ms: 7 * 24 * 60 * 60 * 1000, tag: 'HUMAN_AGENT', setting: HUMAN_AGENT_SETTING },
  connect: (deps, input, by) => connectWithToken(deps, input, by),
  create: (account, host) => createInstagramAdapter(account, host, instagramDriver),
};
