// The privacy room (policy sections 3–13): the registry of every table and file holding personal
// data, the request register, restriction, objection, minors and erasure. It sits above the rooms
// whose data it handles (messaging, channels, ai, webhooks) and calls them; none of them imports it.
export { PERSONAL_DATA, NOT_PERSONAL_DATA, PERSONAL_DATA_FILES, personalDataOf, type ClientPurge, type PersonalDataTable, type PersonalDataFiles, type RowsBy, type ContactErasure } from './registry.ts';
export {
  createRequest, updateRequest, getRequest, countOpenRequestsDueBy, findRequest, listRequests, dueDateFor, dueDays, REQUEST_KINDS, REQUEST_STATUSES, DUE_DAYS_SETTING, DEFAULT_DUE_DAYS,
  type PrivacyRequest, type RequestKind, type RequestStatus, type Requester, type NewRequest, type RequestUpdate, type RequestFilter,
} from './requests.ts';
export { registryGaps } from './registry-check.ts';
export { restrictContact, liftRestriction, objectForContact, liftContactObjection, recordKeywordObjection, recordRequestIn, type PrivacyDeps, type PrivacyBy } from './restriction.ts';
export { eraseContact, eraseDepsOf, erasureJobHandler, scrubDeletedData, backupsExpireAt, ERASURE_JOB, type EraseDeps } from './erasure.ts';
export { ERASURE_STEPS, type ErasureStep, type ErasureDeps, type ErasureSubject } from './erasure-steps.ts';
export { eraseMember } from './member-erasure.ts';
export { applyRetention, retentionHandler, RETENTION_DAYS_SETTING, RETENTION_KIND, RETENTION_EVERY_MS, type RetentionResult } from './retention.ts';
export {
  requestExport, exportLinkDays, exportJobHandler, openExportDownload, expireExports, expireExportsHandler, EXPORT_JOB, EXPIRE_EXPORTS_KIND, EXPIRE_EXPORTS_EVERY_MS, EXPORT_LINK_DAYS_SETTING,
} from './exports.ts';
export { writeExportArchive, EXPORT_FORMAT_VERSION, type ExportSummary } from './export-archive.ts';
export {
  purgePlan, purgeClient, purgeHandler, clientsDueForPurge, purgeAfterDays, PURGE_KIND, PURGE_EVERY_MS, PURGE_AFTER_DAYS_SETTING, DEFAULT_PURGE_AFTER_DAYS,
  type PurgePlan, type PurgeLine,
} from './purge.ts';
export {
  publishPolicyVersion, listPolicyVersions, getPolicyVersion, currentAndNextPolicy, acceptedAt, policyAwaitingAcceptance, acceptPolicy, policyNoticeHandler, policyVersionStats,
  POLICY_NOTICE_JOB, NOTICE_DAYS, type PolicyVersion, type NewPolicyVersion,
} from './policy-versions.ts';
export { recordBreach, markBreachNotified, getBreach, listBreaches, breachDeadlines, type Breach, type NewBreach } from './breaches.ts';
export { dataMapOf, presumedAbroad, DATA_RECIPIENTS, DATA_CATEGORIES, type DataMap, type DataRecipient, type DataCategory, type RecipientSource, type RecipientKind } from './data-map.ts';
export { fillDpa, DEFAULT_DPA_TEMPLATES, DPA_TEMPLATE_SETTING, type FilledDpa, type DpaWords } from './dpa.ts';
export { operatorTimeZone, localDate, oneWorkingDayAfter, OPERATOR_TZ_SETTING, DEFAULT_OPERATOR_TZ } from './operator-time.ts';
export { addProcessingActivity, listProcessingActivities, deleteProcessingActivity, ACTIVITY_FIELDS, type ProcessingActivity, type ActivityField } from './processing-activities.ts';
