import type { AuthLevel } from './auth.types';

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
  /** The user agent and IP of the login. */
  userAgent: string | null;
  ip: string | null;
  /** The user agent and IP of the latest use: the login, then each refresh that rotated a token. */
  lastUserAgent: string | null;
  lastIp: string | null;
  /**
   * How the session last authenticated, which its access tokens carry (`auth_time`, `amr`, `acr`): set at login,
   * kept by every refresh, changed only by {@link SessionStore.reauthenticate}. A row from before these were stored
   * reads as its login by password (`createdAt`, `['pwd']`, `aal1`).
   */
  authTime: number;
  amr: string[];
  acr: AuthLevel;
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
  /** The client that spent it, as `clientFingerprint` hashes it: who the reuse grace answers. */
  spentBy: string | null;
  /**
   * Its place in the session's chain: 0 for the login's token, its predecessor's plus one after that. Signed into
   * the token (`gen`), it tells which of two tokens of one chain is newer, whatever their `iat`.
   */
  generation: number;
}

export type NewRefreshToken = Pick<
  RefreshTokenRecord,
  'id' | 'issuedAt' | 'expiresAt' | 'generation'
>;

/** The client that spends a token in a rotation: its fingerprint for the grace, its address and agent for display. */
export interface Spender {
  fingerprint: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * What a refresh needs, read in one query ({@link SessionStore.findRefreshContext}): the session, the presented
 * token and, once that is spent, its successor.
 */
export interface RefreshContext {
  session: SessionRecord;
  presented: RefreshTokenRecord;
  /** The token `presented.successorId` names, or null when it names none (or it is gone). */
  successor: RefreshTokenRecord | null;
}

export type RotationResult =
  | { won: true }
  /**
   * Another request spent the token first (or it was spent already): here is the token as it is now, and its
   * successor (null if none), so that the caller can answer the race without reading again.
   */
  | { won: false; spent: RefreshTokenRecord; successor: RefreshTokenRecord | null };

export type RevocationReason =
  | 'logout'
  | 'refresh_token_reuse'
  | 'password_change'
  /** A password reset through a mailed link revoked every session of the user. */
  | 'password_reset'
  | 'user_gone'
  /** A newer login retired it: the user holds `sessionsPerUser` live sessions at most. */
  | 'session_limit'
  /** The user was disabled (an admin, or the host through AuthService.setDisabled). */
  | 'user_disabled'
  /** The user deleted their account, or it was deleted for them. */
  | 'user_deleted';

/**
 * A row the revocation list is rebuilt from: a revoked session (`revokedAt`), or a live one whose access tokens
 * issued up to a time were cut off when its user's roles changed (`revokedAt` is then the time of that change, and
 * `issuedUpTo` its second).
 */
export interface RevokedSessionRow {
  id: string;
  /** ms since the epoch. */
  revokedAt: number;
  /** Seconds since the epoch; absent for a revocation. */
  issuedUpTo?: number;
}

/** The row of a cut-off made at `cutAt` (ms): the access tokens issued up to that second are void. */
export function cutRow(id: string, cutAt: number): RevokedSessionRow {
  return { id, revokedAt: cutAt, issuedUpTo: Math.floor(cutAt / 1000) };
}

/**
 * The refresh-token repository: sessions and the chain of refresh tokens in each. Every write that must not half
 * happen is one transaction in the adapter.
 */
export interface SessionStore {
  /** Creates a session with its first refresh token (`lastIp`/`lastUserAgent` start as the login's). */
  createSession(
    session: Omit<SessionRecord, 'revokedAt' | 'lastIp' | 'lastUserAgent'>,
    firstToken: NewRefreshToken,
  ): Promise<void>;
  findSession(id: string): Promise<SessionRecord | null>;
  /** One refresh token by its `jti`. Not on the refresh path (that reads {@link findRefreshContext}). */
  findRefreshToken(id: string): Promise<RefreshTokenRecord | null>;
  /**
   * Everything a refresh reads, in one read (the TypeORM store: one query, a JOIN): the session `sessionId`, its
   * refresh token `tokenId`, and that token's successor if it has one. Null when the token is unknown or is not
   * of that session (whether the session exists or not); the caller checks liveness and owner itself.
   */
  findRefreshContext(sessionId: string, tokenId: string): Promise<RefreshContext | null>;
  /**
   * Spends `spentId` and stores `successor` in its place, atomically: one conditional write
   * (`... WHERE id = ? AND session_id = ? AND spent_at IS NULL`) decides, so of many racing calls for one token
   * exactly one wins. The winner records `spender` on the spent token (`spentBy`) and as the session's last use
   * (`lastUsedAt`, `lastIp`, `lastUserAgent`; `idleExpiresAt` becomes the successor's expiry).
   * A loser gets the token as the winner left it and the winner's successor, read after the race was decided.
   * `spentId` is a token of `sessionId` that the caller has just read (an unknown id is a bug of the caller: the
   * stores throw). An in-process store must check and write in one synchronous step (no `await` in between).
   */
  rotate(
    sessionId: string,
    spentId: string,
    successor: NewRefreshToken,
    now: number,
    spender: Spender,
  ): Promise<RotationResult>;
  /**
   * Records a new authentication of a live session (neither revoked nor past a deadline at `now`): its `authTime`,
   * `amr` and `acr` become `authentication`'s. Returns the session's current refresh token (the unspent one), so that
   * the caller re-issues the pair without rotating it, or null when the session is not live (nothing changes then).
   */
  reauthenticate(
    sessionId: string,
    authentication: Pick<SessionRecord, 'authTime' | 'amr' | 'acr'>,
    now: number,
  ): Promise<RefreshTokenRecord | null>;
  /** Revokes a session unless it is revoked already (expired or not); returns whether this call revoked it. */
  revokeSession(id: string, reason: RevocationReason, now: number): Promise<boolean>;
  /**
   * Revokes every session of a user that is neither revoked nor past its absolute deadline (idle ones included:
   * their access tokens may still be unexpired), but `exceptSessionId`; returns the ids revoked.
   */
  revokeUserSessions(
    userId: string,
    reason: RevocationReason,
    now: number,
    exceptSessionId?: string,
  ): Promise<string[]>;
  /**
   * Revokes, with reason `session_limit`, the user's live sessions (neither revoked nor expired) beyond the `keep`
   * most recently used ones (by `lastUsedAt`, then `createdAt`); returns the ids revoked.
   */
  retireExcessSessions(userId: string, keep: number, now: number): Promise<string[]>;
  /** Sessions neither revoked nor expired, newest first, at most `limit`. */
  listLiveSessions(userId: string, now: number, limit: number): Promise<SessionRecord[]>;
  /**
   * Sessions revoked at or after `since`, and those whose access tokens were cut off at or after it (see
   * {@link cutAccessTokens}): what the revocation list is rebuilt from at boot and polled from while Redis is away.
   */
  listRevokedSince(since: number): Promise<RevokedSessionRow[]>;
  /**
   * Records that the access tokens issued until `now` of every live session of the user (as {@link
   * revokeUserSessions} picks them) are void, the sessions themselves living on; returns their ids. The user's roles
   * changed: a refresh issues tokens with the new ones.
   */
  cutAccessTokens(userId: string, now: number): Promise<string[]>;
  /**
   * Deletes at most `limit` sessions dead since before `before` (revoked before it, or whose idle or absolute
   * deadline is before it), with their refresh tokens; returns how many sessions went. Called on a schedule by
   * the module's `SessionPruner`, with `before` far enough in the past that every access token of those sessions
   * has expired and the revocation list no longer needs them: a store must delete nothing newer than `before`.
   * Must be harmless when several instances call it at once (deleting what is gone already is no error).
   *
   * Optional: a store without it keeps every session (nothing is pruned); the TypeORM store has it.
   */
  pruneExpired?(before: number, limit: number): Promise<number>;
}

export const SESSION_STORE = Symbol('SessionStore');
