import { Inject, Injectable } from '@nestjs/common';
import { sign, verify } from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../auth.options';
import { CLOCK, type Clock } from '../clock/clock';
import { InvalidTokenException } from '../guards/bearer-challenge.exception';
import { hmacKey } from './token-keys';
import {
  type AccessTokenClaims,
  type BaseClaims,
  type RefreshTokenClaims,
  type SignedToken,
  TOKEN_TYPES,
  type TokenKind,
} from './token.types';

/** How far ahead of our clock an issuer's `nbf`/`iat` may be (CONTRACT.md §3: 30 s at most). */
export const CLOCK_TOLERANCE_SECONDS = 30;

const ALGORITHM = 'HS256';

/** What identifies a token to sign: the rest (`iss`, `aud`, `typ`) comes from the options. */
export type ClaimsToSign<C extends BaseClaims> = Omit<C, 'iss' | 'aud'>;

/**
 * Signs and verifies both token types. Signing is deterministic: the same claims give the same token byte for byte,
 * which is how a refresh token is re-issued within the reuse grace without ever storing it.
 */
@Injectable()
export class TokenService {
  private readonly keys: Record<TokenKind, KeyObject>;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.keys = { access: hmacKey(options.jwtSecret), refresh: hmacKey(options.jwtRefreshSecret) };
  }

  signAccessToken(claims: ClaimsToSign<AccessTokenClaims>): SignedToken {
    const { sub, sid, jti, iat, exp, email, roles } = claims;
    return this.sign('access', { ...this.issuerClaims(), sub, sid, jti, iat, exp, email, roles });
  }

  signRefreshToken(claims: ClaimsToSign<RefreshTokenClaims>): SignedToken {
    const { sub, sid, jti, iat, exp } = claims;
    return this.sign('refresh', { ...this.issuerClaims(), sub, sid, jti, iat, exp });
  }

  /** Verifies a token of the given kind completely: signature, algorithm, `typ`, `iss`, `aud` and times. */
  verify(kind: 'access', token: string): AccessTokenClaims;
  verify(kind: 'refresh', token: string): RefreshTokenClaims;
  verify(kind: TokenKind, token: string): BaseClaims {
    let payload: unknown;
    try {
      this.assertType(kind, token);
      payload = verify(token, this.keys[kind], this.verifyOptions());
    } catch {
      throw new InvalidTokenException();
    }
    return this.assertClaims(kind, payload);
  }

  /**
   * The key that verifies a token of `kind`, after checking its `typ` header: an access token presented as a refresh
   * token (or back) fails here even when both secrets are equal. For passport-jwt's `secretOrKeyProvider`.
   */
  keyFor(kind: TokenKind, token?: string): KeyObject {
    if (token !== undefined) this.assertType(kind, token);
    return this.keys[kind];
  }

  /** jsonwebtoken options shared by {@link verify} and the passport strategies. Times are checked by {@link assertClaims}. */
  verifyOptions() {
    return {
      algorithms: [ALGORITHM] as [typeof ALGORITHM],
      issuer: this.options.jwtIssuer,
      audience: this.options.jwtAudience,
      ignoreExpiration: true,
      ignoreNotBefore: true,
    };
  }

  /**
   * Checks what jsonwebtoken does not, against the injected clock: every claim present and well typed, not expired
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
    const token = sign(payload, this.keys[kind], {
      algorithm: ALGORITHM,
      header: { alg: ALGORITHM, typ: TOKEN_TYPES[kind] },
    });
    return { token, expiresAt: payload.exp };
  }

  private issuerClaims() {
    return { iss: this.options.jwtIssuer, aud: this.options.jwtAudience };
  }

  private assertType(kind: TokenKind, token: string): void {
    if (readHeader(token)?.typ !== TOKEN_TYPES[kind]) throw new InvalidTokenException();
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

function readHeader(token: string): { typ?: unknown } | undefined {
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
