import { badRequest } from '../../lib/errors.ts';
import type { ChannelDriver } from '../channel.ts';
import { connectWithToken } from './connect.ts';

const MB = 1024 * 1024;

/**
 * Instagram (a professional account, through the Graph API): what differs for this kind. Its
 * adapter comes with the Instagram room's issue; until then accounts of this kind can be created
 * (they stay disconnected). A business cannot write first: only a contact's message opens the
 * 24-hour window in which it may reply.
 */
export const instagramDriver: ChannelDriver = {
  kind: 'instagram',
  idempotent: false,
  sendRate: { capacity: 10, perSecond: 5 },
  initialStatus: 'disconnected',
  parseAddress(to) {
    const value = to.trim();
    if (!value || value.length > 200) throw badRequest('Enter the recipient (at most 200 characters)', 'to');
    return { identity: { kind: 'ig_id', value } };
  },
  // The Send API's limits: 1000 characters of text; images up to 8 MB, audio and video up to 25 MB.
  limits: { maxTextLength: 1000, attachments: { mimeTypes: ['image/', 'video/', 'audio/'], maxBytes: 25 * MB } },
  replyWindowMs: 24 * 60 * 60 * 1000,
  connect: (deps, input, by) => connectWithToken(deps, input, by),
};
