import type { Generated } from 'kysely';

// Row types as kysely sees them. Each migration that adds a table adds its interface here.
// Times are ISO 8601 UTC text; booleans are 0/1 integers; JSON is text.

export interface ClientsTable {
  id: string;
  slug: string;
  name: string;
  contact_email: Generated<string>;
  phone: Generated<string>;
  invoice_address: Generated<string>;
  contact_persons: Generated<string>;
  timezone: Generated<string>;
  require_totp: Generated<number>;
  status: Generated<string>;
  terminated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  client_id: string | null;
  email: string;
  name: Generated<string>;
  role: string;
  password_hash: string | null;
  must_change_password: Generated<number>;
  language: Generated<string>;
  totp_secret: string | null;
  totp_enabled: Generated<number>;
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  totp_pending: Generated<number>;
  ip: Generated<string>;
  user_agent: Generated<string>;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  blocked_until: string | null;
  updated_at: string;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface SupportGrantsTable {
  id: string;
  client_id: string;
  granted_by: string;
  reason: Generated<string>;
  starts_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_label: Generated<string>;
  action: string;
  client_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: Generated<string>;
  details: Generated<string>;
}

export interface SettingsTable {
  client_id: string;
  key: string;
  value: string;
  sealed: Generated<number>;
  updated_at: string;
}

export interface VaultKeysTable {
  key_id: string;
  check_value: string;
  active: Generated<number>;
  created_at: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface DB {
  clients: ClientsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  password_resets: PasswordResetsTable;
  support_grants: SupportGrantsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  vault_keys: VaultKeysTable;
  schema_migrations: SchemaMigrationsTable;
}
