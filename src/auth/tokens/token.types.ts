/** The `typ` header of each token type (RFC 9068 for access tokens): how one type is refused where the other is expected. */
export const TOKEN_TYPES = { access: 'at+jwt', refresh: 'refresh+jwt' } as const;

export type TokenKind = keyof typeof TOKEN_TYPES;

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
}

export type RefreshTokenClaims = BaseClaims;

/** A signed token and its expiry (seconds since the epoch). */
export interface SignedToken {
  token: string;
  expiresAt: number;
}
