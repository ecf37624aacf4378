/**
 * The authenticated caller, as `@CurrentUser()` gives it: read from the access token, no database query. `Claims`
 * types {@link claims}: what the host's `accessTokenClaims` hooks add, e.g. `AuthUser<{ tenant: string }>`.
 */
export interface AuthUser<Claims extends object = Record<string, unknown>> {
  id: string;
  email: string;
  roles: string[];
  /**
   * The token's `email_verified`: whether the address was verified when the token was issued (re-read at every
   * refresh). Always set by the module's guard (false for tokens issued before verification existed); optional so
   * that a caller made by hand (a test) need not say.
   */
  emailVerified?: boolean;
  /** The session the access token belongs to. */
  sessionId: string;
  /** Set only on routes marked `@AllowRevokedSession()`, when the session is already revoked. */
  sessionRevoked?: true;
  /**
   * The token's `auth_time`: when the session last authenticated (a login, a second factor, a re-authentication),
   * in seconds since the epoch. Always set by the module's guard; optional so that a caller made by hand need not say.
   */
  authTime?: number;
  /** The token's `amr` (RFC 8176): how the session last authenticated, e.g. `['pwd']`, `['pwd', 'otp', 'mfa']`. */
  amr?: readonly string[];
  /** The token's `acr`: `aal1` (one factor) or `aal2` (two), after NIST SP 800-63B. */
  acr?: AuthLevel;
  /**
   * The claims the host's `accessTokenClaims` hooks added to the access token (every name the module keeps for
   * itself left out), or undefined when it has none. Frozen and shared by every request of the same token.
   */
  claims?: Readonly<Claims>;
}

/** An authentication assurance level (NIST SP 800-63B), as access tokens carry it in `acr`. */
export type AuthLevel = 'aal1' | 'aal2';

/** The authentication levels, weakest first. */
export const AUTH_LEVELS: readonly AuthLevel[] = ['aal1', 'aal2'];

/**
 * How a session last authenticated: what its access tokens carry as `auth_time`, `amr` and `acr`. A refresh keeps
 * it; only an authentication (a login, a second factor, a re-authentication) replaces it.
 */
export interface SessionAuthentication {
  /** When, in milliseconds since the epoch. */
  readonly time: number;
  /** RFC 8176 `amr` values: `pwd`, `otp`, `mfa`, `hwk`, `swk`, `user`, ... */
  readonly methods: readonly string[];
  readonly level: AuthLevel;
}

/** Who is calling, as recorded on a session. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  /** Whether the user proved the address is theirs (a mailed link). */
  emailVerified: boolean;
  roles: string[];
  createdAt: string;
}

/** A user as the admin routes show it. */
export interface ManagedUser extends PublicUser {
  disabled: boolean;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Seconds until the refresh token expires. */
  refreshExpiresIn: number;
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  /** The user agent and IP of the login. */
  userAgent: string | null;
  ip: string | null;
  /** The user agent and IP of the latest use (the login, then each refresh). */
  lastUserAgent: string | null;
  lastIp: string | null;
  /** Whether this is the session of the access token that asked. */
  current: boolean;
}

export type LogoutScope = 'local' | 'global' | 'others';
