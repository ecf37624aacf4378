import { createSecretKey, type KeyObject } from 'node:crypto';

/** HS256 keys shorter than this are guessable offline from one token (RFC 7518 §3.2 asks for >= 256 bits). */
export const MIN_SECRET_LENGTH = 32;

/**
 * A secret as a KeyObject. jsonwebtoken given a *string* secret first tries to parse it as a PEM key on every call
 * (~0.7 ms); a secret KeyObject skips that, and the access guard verifies a token on every request.
 */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}
