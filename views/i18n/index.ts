import { makeTranslator, mergeCatalogs, type Lang, type T } from './translator.ts';
import { common } from './common.ts';
import { auth } from './auth.ts';
import { clients } from './clients.ts';
import { members } from './members.ts';
import { supportAccess } from './support-access.ts';
import { staff } from './staff.ts';
import { audit } from './audit.ts';
import { settings } from './settings.ts';
import { customerChat } from './customer-chat.ts';
import { api } from './api.ts';
import { inbox } from './inbox.ts';
import { channels } from './channels.ts';
import { jobs } from './jobs.ts';
import { ai } from './ai.ts';
import { clientSettings } from './client-settings.ts';
import { passwords } from './passwords.ts';
import { instagram } from './instagram.ts';
import { fieldErrors } from './field-errors.ts';
import { settingLabels } from './setting-labels.ts';
import { eventNames } from './event-names.ts';
import { units } from './units.ts';
import { firstSteps } from './first-steps.ts';
import { apiReference } from './api-reference.ts';
import { automation } from './automation.ts';
import { privacy } from './privacy.ts';
import { dataLifecycle } from './data-lifecycle.ts';
import { billing } from './billing.ts';
import { chatwoot } from './chatwoot.ts';
import { backups } from './backups.ts';
import { policy } from './policy.ts';

// Each screen keeps its strings in its own file here; list it once below.
export const CATALOG = mergeCatalogs(common, auth, clients, members, supportAccess, staff, audit, settings, customerChat, api, inbox, channels, jobs, ai, clientSettings, passwords, instagram, fieldErrors, settingLabels, eventNames, units, firstSteps, apiReference, automation, privacy, dataLifecycle, billing, chatwoot, backups, policy);

export const translator = (lang: Lang): T => makeTranslator(CATALOG, lang);
export { LANGS, LANG_NAMES, type Lang, type T, type Catalog } from './translator.ts';
