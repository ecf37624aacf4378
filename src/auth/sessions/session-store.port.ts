/** Times are milliseconds since the epoch throughout. */
export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  /** When the session dies if not refreshed: the expiry of its current refresh token. */
  idleExpiresAt: number;
  /** When the session dies whatever happens (`sessionMaxAge` after login). */
  absoluteExpiresAt: number;
  revokedAt: number | null;
  userAgent: string | null;
  ip: string | null;
}

/** What is stored about a refresh token: what identifies it, never the token itself. */
export interface RefreshTokenRecord {
  /** The token's `jti`. */
  id: string;
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
  spentAt: number | null;
  /** The `jti` of the token issued when this one was spent. */
  successorId: string | null;
}

export type NewRefreshToken = Pick<RefreshTokenRecord, 'id' | 'issuedAt' | 'expiresAt'>;

export type RotationResult =
  | { won: true }
  /** Another request spent the token first (or it was spent already): here is the token as it is now. */
  | { won: false; spent: RefreshTokenRecord };

export type RevocationReason = 'logout' | 'refresh_token_reuse' | 'password_change' | 'user_gone';

/**
 * The refresh-token repository: sessions and the chain of refresh tokens in each. Every write that must not half
 * happen is one transaction in the adapter.
 */
export interface SessionStore {
  /** Creates a session with its first refresh token. */
  createSession(
    session: Omit<SessionRecord, 'revokedAt'>,
    firstToken: NewRefreshToken,
  ): Promise<void>;
  findSession(id: string): Promise<SessionRecord | null>;
  findRefreshToken(id: string): Promise<RefreshTokenRecord | null>;
  /**
   * Spends `spentId` and stores `successor` in its place, atomically: one conditional write
   * (`... WHERE id = ? AND spent_at IS NULL`) decides, so of many racing calls for one token exactly one wins.
   */
  rotate(
    sessionId: string,
    spentId: string,
    successor: NewRefreshToken,
    now: number,
  ): Promise<RotationResult>;
  /** Revokes a session if live; returns whether it was. */
  revokeSession(id: string, reason: RevocationReason, now: number): Promise<boolean>;
  /** Revokes every live session of a user but `exceptSessionId`; returns the ids revoked. */
  revokeUserSessions(
    userId: string,
    reason: RevocationReason,
    now: number,
    exceptSessionId?: string,
  ): Promise<string[]>;
  /** Sessions neither revoked nor expired, newest first. */
  listLiveSessions(userId: string, now: number): Promise<SessionRecord[]>;
  /** Sessions revoked at or after `since`: what the revocation list is rebuilt from at boot. */
  listRevokedSince(since: number): Promise<Array<{ id: string; revokedAt: number }>>;
}

export const SESSION_STORE = Symbol('SessionStore');
