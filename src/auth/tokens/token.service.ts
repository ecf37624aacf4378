import { Inject, Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { AUTH_OPTIONS, KEY_OPTION_NAMES, type ResolvedAuthOptions } from '../auth.options';
import { CLOCK, type Clock } from '../clock/clock';
import { InvalidTokenException } from '../guards/bearer-challenge.exception';
import { type AccessKeys, type JsonWebKeySet, loadAccessKeys } from './access-keys';
import { signJws, verifyJws } from './jws';
import { isAsymmetric, type JwtAlgorithm } from './jwt-algorithm';
import { hmacKey } from './token-keys';
import { isWellFormedToken } from './token-syntax';
import {
  type AccessTokenClaims,
  type BaseClaims,
  type RefreshTokenClaims,
  type SignedToken,
  isTypeOf,
  TOKEN_TYPES,
  type TokenKind,
} from './token.types';

/** How far ahead of our clock an issuer's `nbf`/`iat` may be (README: Behaviour in detail, Tokens). */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** The algorithm of refresh tokens always, and of access tokens by default. */
const HMAC = 'HS256';

/** What identifies a token to sign: the rest (`iss`, `aud`, `typ`) comes from the options. */
export type ClaimsToSign<C extends BaseClaims> = Omit<C, 'iss' | 'aud'>;

/**
 * Signs and verifies both token types. Refresh tokens are HMAC-signed: signing is deterministic, the same claims give
 * the same token byte for byte, which is how a refresh token is re-issued within the reuse grace without ever storing
 * it. Access tokens are HMAC-signed too, or, with an asymmetric `jwtAlgorithm`, signed with the private key and
 * verified with the public key their `kid` names, among the current and previous ones (published as JWKS).
 */
@Injectable()
export class TokenService {
  /** The key each kind is signed with: an HMAC secret, or the private key of an asymmetric algorithm. */
  private readonly keys: Record<TokenKind, KeyObject>;
  /** Set with an asymmetric algorithm only. */
  private readonly accessKeys?: AccessKeys;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const algorithm = options.jwtAlgorithm;
    if (isAsymmetric(algorithm)) {
      const { keys, problems } = loadAccessKeys(
        {
          algorithm,
          privateKey: options.jwtPrivateKey,
          publicKey: options.jwtPublicKey,
          previousPublicKeys: options.jwtPreviousPublicKeys,
        },
        KEY_OPTION_NAMES,
      );
      if (keys === undefined) throw new Error(`Invalid AuthModule options: ${problems.join('; ')}`);
      this.accessKeys = keys;
    }
    this.keys = {
      access: this.accessKeys?.privateKey ?? hmacKey(options.jwtSecret ?? ''),
      refresh: hmacKey(options.jwtRefreshSecret),
    };
  }

  signAccessToken(claims: ClaimsToSign<AccessTokenClaims>): SignedToken {
    const { sub, sid, jti, iat, exp, email, roles } = claims;
    return this.sign('access', { ...this.issuerClaims(), sub, sid, jti, iat, exp, email, roles });
  }

  signRefreshToken(claims: ClaimsToSign<RefreshTokenClaims>): SignedToken {
    const { sub, sid, jti, iat, exp } = claims;
    return this.sign('refresh', { ...this.issuerClaims(), sub, sid, jti, iat, exp });
  }

  /** Verifies a token of the given kind completely: signature, algorithm, `typ`, `kid`, `iss`, `aud` and times. */
  verify(kind: 'access', token: string): AccessTokenClaims;
  verify(kind: 'refresh', token: string): RefreshTokenClaims;
  verify(kind: TokenKind, token: string): BaseClaims {
    let payload: unknown;
    try {
      payload = this.verifySignature(kind, token, this.keyFor(kind, token));
    } catch {
      throw new InvalidTokenException();
    }
    return this.assertClaims(kind, payload);
  }

  /**
   * The key that verifies `token` as a token of `kind`, for a passport strategy's `secretOrKeyProvider`. Refuses,
   * before any signature work, a token whose `typ` is not `kind`'s (an access token presented as a refresh token or
   * back fails here even when both secrets are equal) or whose `alg` is not `kind`'s. With an asymmetric algorithm,
   * the access key is the configured public key whose thumbprint is the token's `kid`: a token without `kid`, or
   * with an unknown one, is refused, and a key the token names or embeds itself (`jwk`, `jku`, `x5u`, `x5c`) is never
   * looked at. Without a token: the key of current tokens of `kind`.
   */
  keyFor(kind: TokenKind, token?: string): KeyObject {
    const accessKeys = kind === 'access' ? this.accessKeys : undefined;
    if (token === undefined) {
      return accessKeys?.publicKeys.get(accessKeys.kid) ?? this.keys[kind];
    }
    if (!isWellFormedToken(token)) throw new InvalidTokenException();
    const header = readHeader(token);
    if (!isTypeOf(kind, header?.typ) || header?.alg !== this.algorithmOf(kind)) {
      throw new InvalidTokenException();
    }
    if (accessKeys === undefined) return this.keys[kind];
    const key = typeof header.kid === 'string' ? accessKeys.publicKeys.get(header.kid) : undefined;
    if (key === undefined) throw new InvalidTokenException();
    return key;
  }

  /**
   * Checks `token`'s signature with `key` (from {@link keyFor}) and its pinned algorithm, `iss` and `aud`; returns
   * its payload, or throws. Times and the claims' shape are {@link assertClaims}'s job.
   */
  private verifySignature(kind: TokenKind, token: string, key: KeyObject): unknown {
    const payload: { iss?: unknown; aud?: unknown } = verifyJws(token, this.algorithmOf(kind), key);
    // RFC 7519 §4.1.3: `aud` may be an array; this module writes a string, but a verifier takes either.
    const audiences: unknown[] = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (payload.iss !== this.options.jwtIssuer || !audiences.includes(this.options.jwtAudience)) {
      throw new InvalidTokenException();
    }
    return payload;
  }

  /**
   * The public keys that verify access tokens, as a JWK Set: the current key, then the previous ones. Empty with
   * HS256, whose key is a shared secret that is never published.
   */
  jwks(): JsonWebKeySet {
    return this.accessKeys?.jwks ?? { keys: [] };
  }

  /**
   * Checks the claims against the injected clock: every claim present and well typed, not expired
   * (no tolerance: this server issued it, on this clock), not issued in the future.
   */
  assertClaims(kind: 'access', payload: unknown): AccessTokenClaims;
  assertClaims(kind: 'refresh', payload: unknown): RefreshTokenClaims;
  assertClaims(kind: TokenKind, payload: unknown): BaseClaims;
  assertClaims(kind: TokenKind, payload: unknown): BaseClaims {
    if (!hasClaimsOf(kind, payload)) throw new InvalidTokenException();
    const now = Math.floor(this.clock.now() / 1000);
    const ahead = now + CLOCK_TOLERANCE_SECONDS;
    if (now >= payload.exp || payload.iat > ahead || (payload.nbf ?? 0) > ahead) {
      throw new InvalidTokenException();
    }
    return payload;
  }

  private sign(kind: TokenKind, payload: BaseClaims | AccessTokenClaims): SignedToken {
    const kid = kind === 'access' ? this.accessKeys?.kid : undefined;
    const header = { alg: this.algorithmOf(kind), typ: TOKEN_TYPES[kind], ...(kid && { kid }) };
    return { token: signJws(header, payload, this.keys[kind]), expiresAt: payload.exp };
  }

  private algorithmOf(kind: TokenKind): JwtAlgorithm {
    return kind === 'access' ? this.options.jwtAlgorithm : HMAC;
  }

  private issuerClaims() {
    return { iss: this.options.jwtIssuer, aud: this.options.jwtAudience };
  }
}

function hasClaimsOf(kind: TokenKind, payload: unknown): payload is BaseClaims {
  const claims = payload as Partial<AccessTokenClaims> | null;
  return (
    typeof claims === 'object' &&
    claims !== null &&
    isNonEmptyString(claims.sub) &&
    isNonEmptyString(claims.sid) &&
    isNonEmptyString(claims.jti) &&
    typeof claims.exp === 'number' &&
    typeof claims.iat === 'number' &&
    (claims.nbf === undefined || typeof claims.nbf === 'number') &&
    (kind === 'refresh' ||
      (typeof claims.email === 'string' &&
        Array.isArray(claims.roles) &&
        claims.roles.every((role) => typeof role === 'string')))
  );
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function readHeader(token: string): { typ?: unknown; alg?: unknown; kid?: unknown } | undefined {
  const end = token.indexOf('.');
  if (end <= 0) return undefined;
  try {
    const header: unknown = JSON.parse(
      Buffer.from(token.slice(0, end), 'base64url').toString('utf8'),
    );
    return typeof header === 'object' && header !== null ? header : undefined;
  } catch {
    return undefined;
  }
}
