export { recordAudit, pseudonymiseActor, erasedMemberLabel, listAudit, auditToCsv, exportAudit, SYSTEM_ACTOR, type AuditActor, type AuditBy, type AuditEntry, type AuditRow, type AuditFilter } from './audit-log.ts';
export { AUDIT_ACTIONS, LEGACY_AUDIT_ACTIONS, currentActionName, type AuditAction } from './actions.ts';
