import { createHash, randomBytes } from 'node:crypto';

/** What a mail token is for: a token of one purpose is refused by the endpoints of the others. */
export type MailTokenPurpose = 'verify_email' | 'password_reset' | 'email_change';

/** Bytes of randomness in a mail token: 256 bits, twice what guessing would need to be hopeless. */
const TOKEN_BYTES = 32;

/** A fresh mail token: what goes into the link (base64url) and what is stored (its SHA-256, hex). */
export function newMailToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashMailToken(token) };
}

/**
 * What a mail token is stored and looked up as. A plain SHA-256 suffices (no salt, no slow hash): the token is 256
 * random bits, so a leaked table cannot be reversed, and looking a row up by hash compares no secret in variable time.
 */
export function hashMailToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
