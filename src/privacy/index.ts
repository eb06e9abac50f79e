// The privacy room (policy sections 3–13).
export { applyRetention, retentionHandler, RETENTION_DAYS_SETTING, RETENTION_KIND, RETENTION_EVERY_MS, type RetentionResult } from './retention.ts';
