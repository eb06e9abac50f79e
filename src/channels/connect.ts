import type { AuditBy } from '../audit/index.ts';
import { badRequest } from '../lib/errors.ts';
import type { ChannelKind } from '../messaging/index.ts';
import { addChannelAccount, type ChannelAccount } from './accounts.ts';
import type { ConnectDeps } from './channel.ts';

/**
 * The API's channel creation: a kind whose driver checks credentials with the platform first
 * (driver.connect) gets them checked; any other kind is created as it is (addChannelAccount).
 */
export async function connectChannelAccount(
  deps: ConnectDeps, input: { clientId: string; kind: ChannelKind; name?: string; fields: Record<string, string> }, by: AuditBy,
): Promise<ChannelAccount> {
  const driver = deps.registry.driverFor(input.kind);
  if (!driver) throw badRequest(`The channel kind must be one of: ${deps.registry.kinds().join(', ')}`, 'kind');
  if (driver.connect) return driver.connect(deps, { clientId: input.clientId, name: input.name, fields: input.fields }, by);
  if (input.name === undefined) throw badRequest('name is required', 'name', 'missing_field');
  return addChannelAccount(deps.db, deps.clock, deps.vault, { clientId: input.clientId, kind: input.kind, name: input.name }, by, deps.registry);
}
