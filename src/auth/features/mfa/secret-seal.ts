import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * The second factor's secrets at rest: TOTP secrets sealed with AES-256-GCM, bound to their user (the user id is the
 * additional data, so a sealed secret copied to another user's row does not open), and recovery codes, device
 * tokens and challenge ids as keyed hashes (HMAC-SHA-256). Both keys are derived (HKDF-SHA-256) from one key of the
 * configuration (`MFA_ENCRYPTION_KEY`), which every instance shares: a read of the tables (a backup, a replica)
 * yields no usable secret.
 */
export class SecretSeal {
  private readonly sealKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(key: string) {
    this.sealKey = derive(key, 'nest-auth mfa totp secret');
    this.hashKey = derive(key, 'nest-auth mfa keyed hash');
  }

  /** `secret` sealed for `userId`: `v1.<iv>.<tag>.<ciphertext>`, base64url. */
  seal(secret: Buffer, userId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return [
      VERSION,
      ...[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')),
    ].join('.');
  }

  /** @throws Error when `sealed` was not sealed for `userId` under this key, or was altered. */
  open(sealed: string, userId: string): Buffer {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) {
      throw new Error('Unreadable sealed secret');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(userId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }

  /** The keyed hash (HMAC-SHA-256, hex) a random value is stored as. */
  hash(value: string): string {
    return createHmac('sha256', this.hashKey).update(value, 'utf8').digest('hex');
  }
}

function derive(key: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
}
