import { createHmac } from 'node:crypto';

/**
 * The key failure records of an address are stored under: HMAC-SHA-256 of the normalized address with a server
 * secret, base64url. A keyed hash rather than a plain one: addresses are guessable, so a bare SHA-256 in a cache
 * could be reversed from a list of addresses; without the secret it cannot. Every instance derives the same key.
 */
export function accountKeyHasher(secret: string): (email: string) => string {
  return (email) =>
    createHmac('sha256', secret).update(`failed-logins\0${email}`, 'utf8').digest('base64url');
}
