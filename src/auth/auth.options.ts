import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RefreshTransport } from './cookies/refresh-cookie';
import type { RevocationList } from './revocation/revocation-list.port';
import type { SessionStore } from './sessions/session-store.port';
import { MIN_SECRET_LENGTH } from './tokens/token-keys';
import type { UserStore } from './user-store.port';

/**
 * Options of `AuthModule.forRoot` / `forRootAsync`. Each mirrors a variable of CONTRACT.md §1 (camelCased);
 * lifetimes are in seconds. Only the two secrets are required.
 */
export interface AuthModuleOptions {
  /** HMAC secret of access tokens (HS256), at least 32 characters. Env: `JWT_SECRET`. */
  jwtSecret: string;
  /** HMAC secret of refresh tokens, at least 32 characters, different from `jwtSecret`. Env: `JWT_REFRESH_SECRET`. */
  jwtRefreshSecret: string;
  /** Access-token lifetime. Default 900. Env: `JWT_EXPIRATION`. */
  jwtExpiration?: number;
  /** Refresh-token lifetime: an idle session dies after this. Default 604800 (7 days). Env: `JWT_REFRESH_EXPIRATION`. */
  jwtRefreshExpiration?: number;
  /** Absolute session lifetime: no refresh extends a session past it. Default 2592000 (30 days). Env: `SESSION_MAX_AGE`. */
  sessionMaxAge?: number;
  /** Seconds during which a just-rotated refresh token may be presented again. Default 10. Env: `REFRESH_REUSE_GRACE`. */
  refreshReuseGrace?: number;
  /** `iss` claim put into and required on every token. Default `nest-auth`. Env: `JWT_ISSUER`. */
  jwtIssuer?: string;
  /** `aud` claim put into and required on every token. Default `nest-auth`. Env: `JWT_AUDIENCE`. */
  jwtAudience?: string;
  /** bcrypt cost. Default 12. Env: `BCRYPT_ROUNDS`. */
  bcryptRounds?: number;
  /**
   * Allow secrets shorter than 32 characters and a bcrypt cost under 10: for development and tests only.
   * Default false.
   */
  allowWeakSettings?: boolean;
  /**
   * Where the refresh token travels: `body` (JSON, default), `cookie` (only in an HttpOnly cookie: the browser case)
   * or `both`. Env: `AUTH_REFRESH_TRANSPORT`.
   */
  refreshTransport?: RefreshTransport;
  /** The `Secure` attribute of the refresh cookie. Default true. Env: `COOKIE_SECURE`. */
  cookieSecure?: boolean;
  /**
   * Origins whose requests may present the refresh cookie without `X-Requested-With` (the CSRF rule of cookie
   * transport). Default none. The reference server passes `CORS_ORIGINS`.
   */
  trustedOrigins?: string[];
  /**
   * Requests per client IP per route allowed on login, register and refresh, per `ttl` seconds; `false` turns the
   * limit off. Default `{ limit: 10, ttl: 60 }`. Env: `THROTTLE_AUTH_LIMIT` (0: off), `THROTTLE_AUTH_TTL`.
   */
  throttle?: { limit: number; ttl: number } | false;
  /** Where the rate-limit counters live (@nestjs/throttler's port). Default: in process. */
  throttlerStorage?: ThrottlerStorage;
  /** Where users live. Default: the TypeORM `UsersService` (table `auth_users`). */
  userStore?: UserStore;
  /** Where sessions and refresh tokens live. Default: the TypeORM store (tables `auth_sessions`, `auth_refresh_tokens`). */
  sessionStore?: SessionStore;
  /** The revoked-session list the guard asks. Default: in process (one instance). */
  revocationList?: RevocationList;
}

type StoreOptions = 'userStore' | 'sessionStore' | 'revocationList' | 'throttlerStorage';

export type ResolvedAuthOptions = Required<Omit<AuthModuleOptions, StoreOptions>> &
  Pick<AuthModuleOptions, StoreOptions>;

export const AUTH_OPTIONS = Symbol('ResolvedAuthOptions');

const DEFAULTS = {
  jwtExpiration: 900,
  jwtRefreshExpiration: 604_800,
  sessionMaxAge: 2_592_000,
  refreshReuseGrace: 10,
  jwtIssuer: 'nest-auth',
  jwtAudience: 'nest-auth',
  bcryptRounds: 12,
  allowWeakSettings: false,
  refreshTransport: 'body',
  cookieSecure: true,
  throttle: { limit: 10, ttl: 60 },
  trustedOrigins: [],
} satisfies Partial<AuthModuleOptions>;

/** Fills in the defaults and refuses options the module cannot run safely with, naming the option. */
export function resolveAuthOptions(options: AuthModuleOptions): ResolvedAuthOptions {
  const resolved = { ...DEFAULTS, ...withoutUndefined(options) } as ResolvedAuthOptions;
  const problems: string[] = [];
  const weakAllowed = resolved.allowWeakSettings;
  for (const name of ['jwtSecret', 'jwtRefreshSecret'] as const) {
    const secret = resolved[name];
    if (typeof secret !== 'string' || secret.length === 0) problems.push(`${name} is required`);
    else if (secret.length < MIN_SECRET_LENGTH && !weakAllowed) {
      problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
    }
  }
  if (resolved.jwtSecret === resolved.jwtRefreshSecret)
    problems.push('jwtSecret and jwtRefreshSecret must differ');
  for (const name of ['jwtExpiration', 'jwtRefreshExpiration', 'sessionMaxAge'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1)
      problems.push(`${name} must be a positive whole number of seconds`);
  }
  if (!Number.isInteger(resolved.refreshReuseGrace) || resolved.refreshReuseGrace < 0) {
    problems.push('refreshReuseGrace must be a whole number of seconds, 0 or more');
  }
  const minRounds = weakAllowed ? 4 : 10;
  if (
    !Number.isInteger(resolved.bcryptRounds) ||
    resolved.bcryptRounds < minRounds ||
    resolved.bcryptRounds > 31
  ) {
    problems.push(`bcryptRounds must be a whole number from ${minRounds} to 31`);
  }
  const { throttle } = resolved;
  if (
    throttle !== false &&
    !(isPositiveInteger(throttle?.limit) && isPositiveInteger(throttle?.ttl))
  ) {
    problems.push('throttle must be false or { limit, ttl } with positive whole numbers');
  }
  if (!['body', 'cookie', 'both'].includes(resolved.refreshTransport)) {
    problems.push('refreshTransport must be body, cookie or both');
  }
  if (problems.length > 0) throw new Error(`Invalid AuthModule options: ${problems.join('; ')}`);
  return resolved;
}

function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
