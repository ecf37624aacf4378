import type { AuthUser } from '../model/auth.types';
import type { AccessTokenClaims } from '../model/token.types';

/**
 * The caller an access token names, as `@CurrentUser()` gives it: the same for a request (the access guard) and a
 * socket or subscription (RealtimeAuth). Roles are copied: the claims are shared by every use of a cached token.
 */
export function callerOf(claims: AccessTokenClaims): AuthUser {
  return {
    id: claims.sub,
    email: claims.email,
    roles: [...claims.roles],
    emailVerified: claims.email_verified === true,
    sessionId: claims.sid,
  };
}
