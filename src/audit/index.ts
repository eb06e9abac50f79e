export { recordAudit, listAudit, auditToCsv, SYSTEM_ACTOR, type AuditActor, type AuditEntry, type AuditRow, type AuditFilter } from './audit-log.ts';
