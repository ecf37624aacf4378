import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { OutgoingMail } from './mailer.port';

const VERSION = 'v1';

/**
 * Seals queued mail with AES-256-GCM under a key derived (HKDF-SHA-256) from a server secret that every instance
 * shares. A queued mail holds a live link, and mail tokens are otherwise stored only as hashes: a read of the
 * outbox table (a backup, a replica) must not hand out working links. Rows are also deleted once sent.
 */
export class OutboxSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'nest-auth mail outbox', 32),
    );
  }

  seal(mail: OutgoingMail): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(mail), 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
    return [VERSION, ...parts].join('.');
  }

  /** @throws Error when the payload was not sealed with this secret, or was altered. */
  open(payload: string): OutgoingMail {
    const [version, iv, tag, body] = payload.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) {
      throw new Error('Unreadable outbox payload');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const json = Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
    return JSON.parse(json) as OutgoingMail;
  }
}
