import type { AuthLevel, AuthUser } from '../model/auth.types';
import type { AccessTokenClaims } from '../model/token.types';

/**
 * The caller an access token names, as `@CurrentUser()` gives it: the same for a request (the access guard) and a
 * socket or subscription (RealtimeAuth). Roles and `amr` are copied: the claims are shared by every use of a cached
 * token.
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
  };
}

const PASSWORD: readonly string[] = Object.freeze(['pwd']);
