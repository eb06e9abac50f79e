/**
 * Every column that holds sealed secrets, for key rotation. `where` narrows rows (e.g. only
 * settings flagged sealed); `pk` names the key columns. A room that adds a sealed column adds it here.
 */
export interface SealedColumn {
  table: string;
  column: string;
  pk: string[];
  /** Only rows where this integer column is 1 hold sealed values. */
  flag?: string;
}

export const SEALED_COLUMNS: SealedColumn[] = [
  { table: 'users', column: 'totp_secret', pk: ['id'] },
  { table: 'settings', column: 'value', pk: ['client_id', 'key'], flag: 'sealed' },
  { table: 'vault_keys', column: 'check_value', pk: ['key_id'] },
  { table: 'channel_accounts', column: 'credentials', pk: ['id'] },
  { table: 'webhooks', column: 'secret', pk: ['id'] },
  { table: 'ai_settings', column: 'api_key', pk: ['client_id'] },
  { table: 'chatwoot_accounts', column: 'api_token', pk: ['client_id'] },
  { table: 'chatwoot_accounts', column: 'webhook_secret', pk: ['client_id'] },
  { table: 'chatwoot_inboxes', column: 'secret', pk: ['channel_account_id'] },
  { table: 'whatsapp_auth_keys', column: 'value', pk: ['channel_account_id', 'type', 'key_hash'] },
  { table: 'pending_logins', column: 'login', pk: ['state_hash'] },
];
