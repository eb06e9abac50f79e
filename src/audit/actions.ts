// The audit log's vocabulary: one name per kind of event, `noun.verb_past`, identical whether the
// UI, the API or the CLI made the change. A name outside this list fails the type check.

export const AUDIT_ACTIONS = [
  'auth.signed_in', 'auth.sign_in_failed', 'auth.signed_out', 'auth.sessions_ended',
  'auth.totp_enabled', 'auth.totp_disabled', 'auth.totp_passed', 'auth.totp_failed',
  'auth.password_reset_requested', 'auth.password_reset',
  'user.created', 'user.updated', 'user.enabled', 'user.disabled', 'user.password_changed', 'user.password_reset',
  'client.created', 'client.updated', 'client.terminated', 'client.purged',
  'settings.updated',
  'api_key.created', 'api_key.revoked',
  'webhook.created', 'webhook.updated', 'webhook.paused', 'webhook.resumed', 'webhook.deleted',
  'support_access.granted', 'support_access.revoked', 'support_access.used',
  'contact.updated', 'contact.objected', 'contact.objection_lifted',
  'contact.restricted', 'contact.restriction_lifted', 'contact.erased', 'contact.marked_minor', 'privacy_request.recorded', 'privacy_request.completed', 'user.erased',
  'channel.created', 'channel.updated', 'channel.deleted', 'channel.purged', 'channel.pairing_code_requested', 'channel.reconnected', 'channel.disconnected',
  'channel.attention_needed',
  'job.retried',
  'audit.exported',
  'vault.key_rotated',
  'setup.default_created',
  'chat_history.retention_applied',
  'export.requested', 'export.downloaded',
  'ai_state.changed', 'ai_settings.updated', 'ai_consent.recorded', 'ai_consent.withdrawn',
  'rules.replaced', 'templates.replaced', 'business_hours.updated',
  'billing_plan.created', 'billing_plan.updated', 'billing_plan.assigned', 'billing_details.updated', 'statement.issued',
  'chatwoot.connected', 'chatwoot.updated', 'chatwoot.disconnected', 'chatwoot.resync_requested',
  'policy.published', 'policy.accepted', 'breach.recorded', 'breach.updated', 'processing_activity.created', 'processing_activity.deleted',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Names that earlier versions wrote. Audit rows are append-only (a trigger refuses UPDATE), so old
 * rows keep their stored name and are read, shown, exported and filtered under the current one.
 */
export const LEGACY_AUDIT_ACTIONS: Readonly<Record<string, AuditAction>> = {
  'auth.login': 'auth.signed_in',
  'auth.login_failed': 'auth.sign_in_failed',
  'auth.logout': 'auth.signed_out',
  'settings.changed': 'settings.updated',
  'settings.update': 'settings.updated',
  'api_key.create': 'api_key.created',
  'api_key.revoke': 'api_key.revoked',
  'webhook.create': 'webhook.created',
  'webhook.update': 'webhook.updated',
  'webhook.pause': 'webhook.paused',
  'webhook.resume': 'webhook.resumed',
  'webhook.delete': 'webhook.deleted',
  'support.granted': 'support_access.granted',
  'support.revoked': 'support_access.revoked',
  'support.access': 'support_access.used',
  'contact.update': 'contact.updated',
  'setup.embedded_default': 'setup.default_created',
  'ai.state.changed': 'ai_state.changed',
  'ai.settings.updated': 'ai_settings.updated',
  'ai.transfer_consent.recorded': 'ai_consent.recorded',
  'ai.transfer_consent.withdrawn': 'ai_consent.withdrawn',
};

/** A stored action name under its current name (unknown names pass through unchanged). */
export function currentActionName(stored: string): string {
  return Object.hasOwn(LEGACY_AUDIT_ACTIONS, stored) ? LEGACY_AUDIT_ACTIONS[stored] : stored;
}

/**
 * What a filter by name prefix must match in storage: current names by prefix, except the legacy
 * names that share it but now read otherwise, plus the legacy names whose current name has it.
 * Case-insensitive, as SQLite's LIKE is for ASCII.
 */
export function storedNamesFor(prefix: string): { exclude: string[]; include: string[] } {
  const p = prefix.toLowerCase();
  const legacy = Object.entries(LEGACY_AUDIT_ACTIONS);
  return {
    exclude: legacy.filter(([old, now]) => old.startsWith(p) && !now.startsWith(p)).map(([old]) => old),
    include: legacy.filter(([old, now]) => now.startsWith(p) && !old.startsWith(p)).map(([old]) => old),
  };
}
