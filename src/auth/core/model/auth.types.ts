/** The authenticated caller, as `@CurrentUser()` gives it: read from the access token, no database query. */
export interface AuthUser {
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
