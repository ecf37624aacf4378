import type {
  AccessTokenClaims,
  BaseClaims,
  RefreshTokenClaims,
  TokenKind,
} from '../model/token.types';

/**
 * Whether `payload` has every claim a token of `kind` must carry, well typed: `sub`, `sid`, `jti` non-empty strings,
 * `exp` and `iat` numbers, `nbf` a number if present; an access token also `email` and `roles` (strings), and when
 * present `email_verified` a boolean, `auth_time` a number, `amr` strings and `acr` `aal1` or `aal2`; a refresh
 * token `gen` a whole number from 0 if present.
 */
export function hasClaimsOf(kind: TokenKind, payload: unknown): payload is BaseClaims {
  const claims = payload as Partial<AccessTokenClaims & RefreshTokenClaims> | null;
  return (
    typeof claims === 'object' &&
    claims !== null &&
    isNonEmptyString(claims.sub) &&
    isNonEmptyString(claims.sid) &&
    isNonEmptyString(claims.jti) &&
    typeof claims.exp === 'number' &&
    typeof claims.iat === 'number' &&
    (claims.nbf === undefined || typeof claims.nbf === 'number') &&
    (kind === 'refresh'
      ? claims.gen === undefined || (Number.isSafeInteger(claims.gen) && claims.gen >= 0)
      : typeof claims.email === 'string' &&
        Array.isArray(claims.roles) &&
        claims.roles.every((role) => typeof role === 'string') &&
        (claims.email_verified === undefined || typeof claims.email_verified === 'boolean') &&
        (claims.auth_time === undefined || typeof claims.auth_time === 'number') &&
        (claims.amr === undefined ||
          (Array.isArray(claims.amr) &&
            claims.amr.every((method) => typeof method === 'string'))) &&
        (claims.acr === undefined || claims.acr === 'aal1' || claims.acr === 'aal2'))
  );
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
