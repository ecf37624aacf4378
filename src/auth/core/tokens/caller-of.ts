import { RESERVED_ACCESS_TOKEN_CLAIMS } from '../hooks/hooks';
import type { AuthLevel, AuthUser } from '../model/auth.types';
import type { AccessTokenClaims } from '../model/token.types';

/** Where a verified token's claims keep the host's own claims (a symbol: no JSON shows it). */
const HOST_CLAIMS = Symbol('HostClaims');

/** An access token's claims as the authenticator keeps them: frozen, the host's claims set apart once. */
type KeptClaims = AccessTokenClaims & { [HOST_CLAIMS]?: Readonly<Record<string, unknown>> };

/**
 * The caller an access token names, as `@CurrentUser()` gives it: the same for a request (the access guard) and a
 * socket or subscription (RealtimeAuth). Roles and `amr` are copied (a handler may change its caller's); the host's
 * claims are the object {@link keptClaims} set apart, shared by every use of the token, frozen.
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
    claims: (claims as KeptClaims)[HOST_CLAIMS],
  };
}

/**
 * `claims` as every use of a verified token shares them: the host's claims (every name the module keeps for itself
 * left out) set apart for {@link callerOf}, undefined when there are none, and everything frozen, so that no request
 * changes what a later one reads. Once per verified token, not per request.
 */
export function keptClaims<T extends AccessTokenClaims>(claims: T): Readonly<T> {
  const own = Object.keys(claims).filter((name) => !RESERVED_ACCESS_TOKEN_CLAIMS.has(name));
  if (own.length > 0) {
    const host = Object.fromEntries(own.map((name) => [name, claims[name as keyof T]]));
    Object.defineProperty(claims, HOST_CLAIMS, { value: deepFrozen(host) });
  }
  return deepFrozen(claims);
}

function deepFrozen<T extends object>(value: T): Readonly<T> {
  for (const nested of Object.values(value)) {
    if (typeof nested === 'object' && nested !== null) deepFrozen(nested as object);
  }
  return Object.freeze(value);
}

const PASSWORD: readonly string[] = Object.freeze(['pwd']);
