import type { AuthUser } from '../auth.types';
import type { TokenKind } from '../tokens/token.types';

/**
 * Why a token was refused, one stable code per check that can fail (README: Use it in your Nest app, Errors). The
 * client never sees it: every one is the same 401 `invalid_token`; the code and its reason go to the debug log.
 */
export const TOKEN_REJECTION_CODES = [
  /** Not a compact JWS of at most 8 KiB, a header or payload that is no JSON object, a `crit` header, a key twice. */
  'token_malformed',
  /** `typ` is not the one of the token kind (an access token presented as a refresh token, or back). */
  'token_type',
  /** `alg` is not the one pinned for the token kind. */
  'token_algorithm',
  /** Asymmetric access tokens: no `kid`, or one that names no configured public key. */
  'token_kid',
  /** The signature does not hold, or is missing. */
  'token_signature',
  /** `exp` is past (no tolerance). */
  'token_expired',
  /** `iss` or `aud` not ours, a claim missing or mistyped, or `iat`/`nbf` too far ahead. */
  'token_claims',
  /** A valid access token whose session is revoked. */
  'token_revoked',
  /** Refused on another error (a library's, a store's), which gives no reason of its own: its class is the reason. */
  'token_invalid',
] as const;
export type TokenRejectionCode = (typeof TOKEN_REJECTION_CODES)[number];

/**
 * Every code of {@link AuthError}: a token rejection, or
 * - `token_missing`: no access token (`Authorization: Bearer`) on a route that needs one;
 * - `refresh_token_missing`: no refresh token (body, `Authorization: Bearer` or cookie) on a refresh;
 * - `insufficient_role`: a caller without any of the roles of `@Roles(...)`.
 */
export type AuthErrorCode =
  'token_missing' | 'refresh_token_missing' | TokenRejectionCode | 'insufficient_role';

/**
 * A refusal of the module's inner layers (tokens, strategies, guards) with a stable `code`, free of HTTP: the guards
 * turn it into the HTTP answer once, with `toHttpException`. `message` is the reason, for the debug log: it never
 * quotes a token, nor any part of one.
 */
export class AuthError extends Error {
  override readonly name: string = 'AuthError';

  constructor(
    readonly code: AuthErrorCode,
    reason: string,
  ) {
    super(reason);
  }
}

/** A token of `kind` refused by verification (TokenService) or by the strategy after it. */
export class TokenRejectedError extends AuthError {
  override readonly name: string = 'TokenRejectedError';

  constructor(
    readonly kind: TokenKind,
    override readonly code: TokenRejectionCode,
    reason: string,
  ) {
    super(code, reason);
  }
}

/**
 * A valid access token whose session is revoked: refused (`token_revoked`), but it says whose it was, for the routes
 * that accept it (see `@AllowRevokedSession`).
 */
export class RevokedSessionError extends TokenRejectedError {
  override readonly name: string = 'RevokedSessionError';

  constructor(readonly user: AuthUser) {
    super('access', 'token_revoked', 'its session is revoked');
  }
}
