import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../lib/errors.ts';

const PREFIX = 'hv1';

/** The id of a key: a short fingerprint, stored beside each sealed value to support rotation. */
export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 12);

/** A 32-byte key for `purpose`, derived from a master key with HKDF-SHA256 (what `Vault.deriveKey` gives for the active key). */
export const deriveKeyFrom = (master: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `habar:${purpose}`, 32));

/**
 * Seals secrets with AES-256-GCM: a fresh 96-bit nonce per record, the key id in the envelope,
 * and an optional context string (e.g. "users.totp_secret") bound as additional data.
 */
export class Vault {
  private readonly keys = new Map<string, Buffer>();
  readonly activeKeyId: string;

  constructor(active: Buffer, older: Buffer[] = []) {
    for (const k of [active, ...older]) {
      if (k.length !== 32) throw new AppError('vault_key_invalid', 'A master key must be 32 bytes', 500);
      this.keys.set(keyIdOf(k), k);
    }
    this.activeKeyId = keyIdOf(active);
  }

  seal(plaintext: string, context = ''): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, nonce);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [PREFIX, this.activeKeyId, nonce.toString('base64url'), ct.toString('base64url')].join('.');
  }

  open(sealed: string, context = ''): string {
    const [prefix, keyId, nonceB64, ctB64] = sealed.split('.');
    if (prefix !== PREFIX || !keyId || !nonceB64 || !ctB64) throw new AppError('vault_corrupt', 'Not a sealed value', 500, false);
    const key = this.keys.get(keyId);
    if (!key) throw new AppError('vault_wrong_key', `This value was sealed with key ${keyId}, which is not loaded`, 500, false);
    const raw = Buffer.from(ctB64, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonceB64, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    try {
      return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError('vault_wrong_key', 'A sealed value could not be opened: wrong master key or tampered data', 500, false);
    }
  }

  /**
   * A 32-byte key for another purpose (e.g. signing links), derived from the active master key
   * with HKDF-SHA256 and `purpose` as its info: the master key itself never leaves the vault.
   * It changes when the master key is rotated.
   */
  deriveKey(purpose: string): Buffer {
    return deriveKeyFrom(this.keys.get(this.activeKeyId)!, purpose);
  }

  keyIdOfSealed(sealed: string): string | undefined {
    return sealed.split('.')[1];
  }
}

export const isSealed = (v: string) => v.startsWith(`${PREFIX}.`);
