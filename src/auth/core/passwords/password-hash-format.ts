import { createHmac } from 'node:crypto';

/**
 * The prefix of the module's current password hashes, followed by a bcrypt hash: `$bcrypt-sha256$v1$2b$12$…`.
 * It names what the bcrypt input is (the pre-hash below), so a hash says how to check it, and a later scheme can
 * take `v2` while the hashes already stored keep verifying.
 */
export const PREHASHED_BCRYPT_PREFIX = '$bcrypt-sha256$v1';

/** bcrypt reads at most this many bytes of its input: what plain bcrypt hashes (before `v1`) could take. */
export const BCRYPT_MAX_INPUT_BYTES = 72;

/**
 * A fixed, public key: it separates this digest from the plain SHA-256 of the same password, which leaked
 * databases of other sites hold, so such a digest cannot be tried against our bcrypt hashes ("password shucking").
 * Not a secret, so no configuration can lose it and lock every user out.
 */
const PREHASH_KEY = 'nest-session-auth password v1';

/**
 * What bcrypt is given for a password (already NFKC-normalized): HMAC-SHA-256 of its UTF-8, in base64. Every code
 * point of a 128-character password counts (bcrypt alone would cut it at 72 bytes, 36 Cyrillic letters or 18 emoji),
 * and the 44 characters of base64 are under 72 bytes and hold no NUL (a raw digest could, and bcrypt's C code stops
 * at a NUL) (OWASP Password Storage Cheat Sheet, pre-hashing).
 */
export function prehashPassword(normalized: string): string {
  return createHmac('sha256', PREHASH_KEY).update(normalized, 'utf8').digest('base64');
}

/** Whether `hash` is of the current scheme ({@link PREHASHED_BCRYPT_PREFIX}). */
export function isPrehashedBcrypt(hash: string): boolean {
  return hash.startsWith(`${PREHASHED_BCRYPT_PREFIX}$`);
}

/** The bcrypt hash inside a hash of the current scheme. */
export function innerBcryptHash(hash: string): string {
  return hash.slice(PREHASHED_BCRYPT_PREFIX.length);
}
