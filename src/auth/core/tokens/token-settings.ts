import type { KeyObject } from 'node:crypto';
import type { AccessKeys } from './access-keys';

/** HS256 access tokens: one shared secret signs and verifies them, and nothing is published. */
export interface HmacAccessKey {
  algorithm: 'HS256';
  /** The secret, as a KeyObject made once (a string secret would be tried as a PEM on every call). */
  key: KeyObject;
}

/**
 * Everything the token layer needs, and nothing else: keys parsed and checked once at boot, names put into and
 * required on every token, lifetimes. Built once from the module's options (`tokenSettingsFrom`); the token layer
 * never reads the options themselves. Lifetimes are in seconds.
 */
export interface TokenSettings {
  /**
   * How access tokens are signed and verified: an HMAC secret (HS256), or with ES256/RS256 the private key, its
   * `kid` (RFC 7638 thumbprint of the public key) and every public key that verifies, current and previous, by `kid`.
   */
  readonly access: HmacAccessKey | AccessKeys;
  /** The HMAC secret of refresh tokens, always HS256: only this server reads them. */
  readonly refreshKey: KeyObject;
  /** `iss` put into and required on every token. */
  readonly issuer: string;
  /** `aud` put into and required on every token. */
  readonly audience: string;
  readonly accessLifetime: number;
  readonly refreshLifetime: number;
}

/** Injection token of the {@link TokenSettings} value. */
export const TOKEN_SETTINGS = Symbol('TokenSettings');
