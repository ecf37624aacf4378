import { SetMetadata } from '@nestjs/common';
import type { AuthRequirement } from '../../core/step-up';

export const REQUIRE_AUTH_KEY = 'auth:requireAuth';

/**
 * Step-up (RFC 9470): the route (or every route of the class) needs an authentication at least `acr` strong and/or
 * at most `maxAge` seconds old. The access guard checks it after the token; a caller short of it gets 401
 * `INSUFFICIENT_USER_AUTHENTICATION` with `WWW-Authenticate: Bearer error="insufficient_user_authentication",
 * error_description="…", acr_values="aal2"` and/or `max_age="<seconds>"` (GraphQL and socket.io: the same code,
 * `acrValues` / `maxAge`); the session stays usable, and a second factor or `POST <prefix>/reauthenticate` gets a
 * token that passes. Read once per handler: a route without it costs nothing.
 * @throws Error at once for a requirement that asks for nothing, or a `maxAge` that is not a positive whole number.
 * @example `@RequireAuth({ acr: 'aal2', maxAge: 300 })`
 */
export function RequireAuth(requirement: AuthRequirement): MethodDecorator & ClassDecorator {
  const { acr, maxAge } = requirement;
  if (acr === undefined && maxAge === undefined) {
    throw new Error('RequireAuth: give acr, maxAge or both');
  }
  if (acr !== undefined && acr !== 'aal1' && acr !== 'aal2') {
    throw new Error('RequireAuth: acr must be aal1 or aal2');
  }
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 1)) {
    throw new Error('RequireAuth: maxAge must be a positive whole number of seconds');
  }
  return SetMetadata(REQUIRE_AUTH_KEY, Object.freeze({ ...requirement }));
}
