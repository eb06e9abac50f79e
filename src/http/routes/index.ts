import type { Hono } from 'hono';
import type { HttpEnv } from '../env.ts';
import { authRoutes } from './auth.routes.tsx';
import { accountRoutes } from './account.routes.tsx';
import { passwordResetRoutes } from './password-reset.routes.tsx';
import { dashboardRoutes } from './dashboard.routes.tsx';
import { clientsRoutes } from './clients.routes.tsx';
import { membersRoutes } from './members.routes.tsx';
import { supportAccessRoutes } from './support-access.routes.tsx';
import { staffRoutes } from './staff.routes.tsx';
import { auditRoutes } from './audit.routes.tsx';
import { settingsRoutes } from './settings.routes.tsx';
import { apiRoutes } from './api/index.ts';
import { apiKeysRoutes } from './api-keys.routes.tsx';
import { webhooksRoutes } from './webhooks.routes.tsx';
import { apiDocsRoutes } from './api-docs.routes.tsx';
import { customerChatRoutes } from './customer-chat.routes.tsx';
import { inboxRoutes } from './inbox.routes.tsx';
import { channelsRoutes } from './channels.routes.tsx';
import { channelRoutes } from './channel.routes.tsx';
import { jobsRoutes } from './jobs.routes.tsx';
import { aiRoutes } from './ai.routes.tsx';
import { aiToolsRoutes } from './ai-tools.routes.tsx';
import { clientSettingsRoutes } from './client-settings.routes.tsx';
import { instagramWebhookRoutes } from './instagram-webhook.routes.ts';
import { publicMediaRoutes } from './public-media.routes.ts';
import { instagramLoginRoutes } from './instagram-login.routes.tsx';
import { automationRoutes } from './automation.routes.tsx';
import { exportsRoutes } from './exports.routes.tsx';
import { terminationRoutes } from './termination.routes.tsx';
import { privacyRoutes } from './privacy.routes.tsx';
import { billingRoutes } from './billing.routes.tsx';
import { chatwootRoutes } from './chatwoot.routes.tsx';
import { chatwootWebhookRoutes } from './chatwoot-webhook.routes.ts';
import { policyRoutes } from './policy.routes.tsx';
import { registersRoutes } from './registers.routes.tsx';
import { transparencyRoutes } from './transparency.routes.tsx';

/** One sub-app per screen (or API area), mounted at '/' in this order. Add new screens here. */
export const SCREENS: Array<() => Hono<HttpEnv>> = [
  authRoutes,
  accountRoutes,
  passwordResetRoutes,
  dashboardRoutes,
  clientsRoutes,
  membersRoutes,
  supportAccessRoutes,
  staffRoutes,
  auditRoutes,
  settingsRoutes,
  apiRoutes,
  apiKeysRoutes,
  webhooksRoutes,
  apiDocsRoutes,
  customerChatRoutes,
  inboxRoutes,
  channelsRoutes,
  channelRoutes,
  jobsRoutes,
  aiRoutes,
  aiToolsRoutes,
  clientSettingsRoutes,
  instagramWebhookRoutes,
  publicMediaRoutes,
  instagramLoginRoutes,
  automationRoutes,
  exportsRoutes,
  terminationRoutes,
  privacyRoutes,
  billingRoutes,
  chatwootRoutes,
  chatwootWebhookRoutes,
  policyRoutes,
  registersRoutes,
  transparencyRoutes,
];
