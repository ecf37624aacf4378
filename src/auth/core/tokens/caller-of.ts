import type { AuthLevel, AuthUser } from '../model/auth.types';
import type { AccessTokenClaims } from '../model/token.types';

/**
 * The caller an access token names, as `@CurrentUser()` gives it: the same for a request (the access guard) and a
 * socket or subscription (RealtimeAuth). Roles and `amr` are copied (a handler may change its caller's); the claims
 * are shared by every use of a cached token, frozen.
 */
export function callerOf(claims: AccessTokenClaims): AuthUser {
  return {
    id: claims.sub,
    email: claims.email,
    roles: [...claims.roles],
    emailVerified: claims.email_verified === true,
    sessionId: claims.sid,
    // Tokens from before these claims existed: their session's login, by password, one factor.
    authTime: claims.auth_time ?? claims.iat,
    amr: claims.amr === undefined ? PASSWORD : [...claims.amr],
    acr: (claims.acr as AuthLevel | undefined) ?? 'aal1',
    // A reference, not a copy: the authenticator froze the claims when it verified the token.
    claims: claims as unknown as Readonly<Record<string, unknown>>,
  };
}

/**
 * `claims` frozen, with every array and object in it: once per verified token, so that the object every request of
 * that token shares (see {@link callerOf}) cannot be changed by one of them.
 */
export function frozenClaims<T extends object>(claims: T): Readonly<T> {
  for (const value of Object.values(claims)) {
    if (typeof value === 'object' && value !== null) frozenClaims(value as object);
  }
  return Object.freeze(claims);
}

const PASSWORD: readonly string[] = Object.freeze(['pwd']);
