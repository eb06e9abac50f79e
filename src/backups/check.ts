import { randomBytes } from 'node:crypto';
import type { SettingsGuard } from '../settings/index.ts';
import { AppError, badRequest } from '../lib/errors.ts';
import { openObjectStore } from './s3-store.ts';
import { locationRefusal, remoteSettingsFrom, REMOTE_KEYS, targetOf, type RemoteTarget } from './target.ts';

/** Writes a small object under the prefix and deletes it; throws what failed, in words. */
export async function checkRemoteTarget(target: RemoteTarget): Promise<void> {
  const store = openObjectStore(target);
  const key = `${target.prefix ? `${target.prefix}/` : ''}habar-check-${randomBytes(6).toString('hex')}.txt`;
  try {
    try {
      await store.upload(key, Buffer.from('Habar checks that it may write and delete here. This object is deleted at once.\n'));
    } catch (err) {
      throw new AppError('remote_check_failed', `Writing a test object failed: ${(err as Error).message.replace(/^Off-site storage: /, '')}`, 400);
    }
    try {
      await store.remove(key);
    } catch (err) {
      throw new AppError('remote_check_failed', `Writing worked, but deleting the test object failed (${key} is left behind): ${(err as Error).message.replace(/^Off-site storage: /, '')}`, 400);
    }
  } finally {
    store.close();
  }
}

/**
 * The refusal rules of `backup.remote.*`: whenever a change leaves `enabled` true, storage outside
 * Kazakhstan needs a recorded exception, the target must be complete, and the write-and-delete
 * check must pass, all before anything is stored (a refusal changes nothing).
 */
export const remoteSettingsGuard: SettingsGuard = async ({ changes, clientId, after }) => {
  if (clientId !== null || !Object.keys(changes).some((k) => k.startsWith('backup.remote.'))) return;
  const next = await remoteSettingsFrom(after);
  if (!next.enabled) return;
  const location = locationRefusal(next);
  if (location) throw badRequest(location, REMOTE_KEYS.inKazakhstan, 'remote_backup_location');
  let target: RemoteTarget;
  try {
    target = targetOf(next);
  } catch (err) {
    const first = (['endpoint', 'bucket', 'accessKey', 'secretKey'] as const).find((k) => !next[k])!;
    throw badRequest((err as Error).message, REMOTE_KEYS[first], 'remote_backup_incomplete');
  }
  try {
    await checkRemoteTarget(target);
  } catch (err) {
    throw badRequest(`The off-site storage check failed: ${(err as Error).message}`, REMOTE_KEYS.endpoint, 'remote_backup_check', { detail: (err as Error).message });
  }
};
