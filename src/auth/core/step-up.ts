import { AUTH_LEVELS, type AuthLevel, type AuthUser } from './model/auth.types';
import { AuthError } from './errors/auth-error';

/**
 * What a route asks of the caller's authentication (RFC 9470 step-up): at least `acr`, and/or an authentication at
 * most `maxAge` seconds old.
 */
export interface AuthRequirement {
  /** The weakest level accepted: `aal2` asks for a second factor. */
  readonly acr?: AuthLevel;
  /** Seconds since the session last authenticated (`auth_time`), at most. */
  readonly maxAge?: number;
}

/**
 * The refusal of a caller whose authentication falls short of `requirement` at `nowSeconds`, or undefined when it
 * meets it: `INSUFFICIENT_USER_AUTHENTICATION`, whose details name what to ask for (`acrValues`, `maxAge`), as RFC
 * 9470 §3's challenge does. The session is not harmed: re-authenticating it (a second factor, a password) is the way
 * on. A caller without the claims (made by hand) is taken as a login by password when it was issued.
 */
export function authenticationShortfall(
  caller: AuthUser,
  requirement: AuthRequirement,
  nowSeconds: number,
): AuthError | undefined {
  const { acr, maxAge } = requirement;
  const level = caller.acr ?? 'aal1';
  const tooWeak = acr !== undefined && AUTH_LEVELS.indexOf(level) < AUTH_LEVELS.indexOf(acr);
  const tooOld =
    maxAge !== undefined &&
    (caller.authTime === undefined || nowSeconds - caller.authTime > maxAge);
  if (!tooWeak && !tooOld) return undefined;
  const message = tooWeak
    ? 'A second factor is required for this resource'
    : 'A more recent authentication is required for this resource';
  return new AuthError('INSUFFICIENT_USER_AUTHENTICATION', {
    message,
    ...(tooWeak ? { acrValues: acr } : {}),
    ...(maxAge !== undefined ? { maxAge } : {}),
  });
}

/**
 * What holding a role asks of a session's authentication, by role (a feature's provider under this token, e.g.
 * `{ admin: { acr: 'aal2' } }` for `MFA_REQUIRED_ROLES`): a route guarded by `@Roles(role)` serves a caller holding
 * that role only when their authentication meets it (RFC 9470 step-up answer otherwise). Optional: none by default.
 */
export const ROLE_AUTH_REQUIREMENTS = Symbol('RoleAuthRequirements');

/** See {@link ROLE_AUTH_REQUIREMENTS}. */
export type RoleAuthRequirements = Readonly<Record<string, AuthRequirement>>;

/**
 * What the core's sensitive operations ask of the caller's authentication (CONTRACT 4.15, OWASP ASVS 5.0 7.5.1):
 * `logout?scope=others|global` and revoking another session need an authentication at most `maxAge` seconds old.
 * Provided by a feature (the second factor's `stepUpMaxAge`); without one, nothing is asked.
 */
export const RECENT_AUTHENTICATION = Symbol('RecentAuthentication');
