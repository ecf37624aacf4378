/** The `typ` header of each token type (RFC 9068 for access tokens): how one type is refused where the other is expected. */
export const TOKEN_TYPES = { access: 'at+jwt', refresh: 'refresh+jwt' } as const;

export type TokenKind = keyof typeof TOKEN_TYPES;

/**
 * Whether a header's `typ` names `kind`'s type. `typ` is a media type, compared case-insensitively, and a verifier
 * of access tokens accepts both `at+jwt` and `application/at+jwt` (RFC 9068 §4; RFC 7515 §4.1.9 lets the
 * `application/` prefix be left out). Refresh tokens are only ever read by this server, which writes `refresh+jwt`.
 */
export function isTypeOf(kind: TokenKind, typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const type = typ.toLowerCase();
  return (
    type === TOKEN_TYPES[kind] ||
    (kind === 'access' && type === `application/${TOKEN_TYPES.access}`)
  );
}

/** Claims both token types carry. Times are in seconds since the epoch, as in JWT. */
export interface BaseClaims {
  iss: string;
  aud: string;
  /** The user id. */
  sub: string;
  /** The session id. */
  sid: string;
  /** Unique id of this token. */
  jti: string;
  iat: number;
  exp: number;
  /** Never set by this module; honoured when present. */
  nbf?: number;
}

export interface AccessTokenClaims extends BaseClaims {
  email: string;
  roles: string[];
  /** Whether the address is verified, as when the token was issued (read again at every refresh). */
  email_verified?: boolean;
  /**
   * When the session last authenticated, seconds since the epoch (OpenID Connect Core §2, RFC 9470). Kept by a
   * refresh. Absent only on tokens issued before it existed: read as `iat` then.
   */
  auth_time?: number;
  /** How (RFC 8176 values); absent on older tokens: read as `['pwd']`. */
  amr?: string[];
  /** `aal1` or `aal2` (NIST SP 800-63B); absent on older tokens: read as `aal1`. */
  acr?: string;
}

export interface RefreshTokenClaims extends BaseClaims {
  /**
   * The token's place in its session's chain (0 at login, +1 per rotation): of two tokens of one session, the one
   * with the higher `gen` is newer. Absent from tokens issued before it was introduced.
   */
  gen?: number;
}

/** A signed token and its expiry (seconds since the epoch). */
export interface SignedToken {
  token: string;
  expiresAt: number;
}
