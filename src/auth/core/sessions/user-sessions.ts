import type { AuthDeps } from './auth.deps';
import type { AuthUser, LogoutScope, SessionView } from '../model/auth.types';
import { AuthError } from '../errors/auth-error';
import { canBeSessionId, isLive } from './session-liveness';
import type { SessionRevoker } from './session-revoker';
import type { SessionRecord } from '../model/session-store.port';

/** What a signed-in user does with their sessions: log out (one, all, all others), list them, revoke one. */
export class UserSessions {
  constructor(
    private readonly deps: Pick<AuthDeps, 'options' | 'sessions' | 'users' | 'clock'>,
    private readonly revoker: SessionRevoker,
  ) {}

  /** See AuthService.logout. @throws AuthError `TOKEN_INVALID` when the caller's session is not theirs. */
  async logout(caller: AuthUser, scope: LogoutScope): Promise<void> {
    if (caller.sessionRevoked) return;
    await this.assertOwnSession(caller);
    const now = this.deps.clock.now();
    if (scope === 'local') {
      await this.revoker.revoke(caller.id, [caller.sessionId], 'logout', now);
      return;
    }
    const except = scope === 'others' ? caller.sessionId : undefined;
    // Signing out elsewhere is what a user does who fears someone else is in: what was authorized before (a
    // pending email change, a reset link) dies too.
    await this.deps.users.bumpCredentialEpoch(caller.id);
    const revoked = await this.deps.sessions.revokeUserSessions(caller.id, 'logout', now, except);
    await this.revoker.revoke(caller.id, revoked, 'logout', now, true);
  }

  /**
   * The caller's live sessions, newest first, at most `sessionsPerUser`.
   * @throws AuthError `TOKEN_INVALID` when the user is gone, as every route that reads the database answers then.
   */
  async list(caller: AuthUser): Promise<SessionView[]> {
    const { options, sessions, users, clock } = this.deps;
    const [user, live] = await Promise.all([
      users.findById(caller.id),
      sessions.listLiveSessions(caller.id, clock.now(), options.sessionsPerUser),
    ]);
    if (!user) throw userGone();
    return live.map((session) => toSessionView(session, caller.sessionId));
  }

  /**
   * See AuthService.revokeSession. @throws AuthError `SESSION_NOT_FOUND` unless `sessionId` is a live session of the
   * caller; `TOKEN_INVALID` when the user is gone.
   */
  async revoke(caller: AuthUser, sessionId: string): Promise<void> {
    const now = this.deps.clock.now();
    const [user, session] = await Promise.all([
      this.deps.users.findById(caller.id),
      canBeSessionId(sessionId) ? this.deps.sessions.findSession(sessionId) : null,
    ]);
    if (!user) throw userGone();
    if (!session || session.userId !== caller.id || !isLive(session, now)) {
      throw new AuthError('SESSION_NOT_FOUND');
    }
    await this.revoker.revoke(caller.id, [session.id], 'logout', now);
  }

  /**
   * Refuses a token whose `sid` is not a session of its `sub`. Only a holder of the signing key can make one, but
   * an operation on sessions must never act on another user's session because a token says so (defence in depth):
   * checked where a session is written to, not by the guard, which stays free of database queries.
   * @throws AuthError `TOKEN_INVALID`
   */
  async assertOwnSession(caller: AuthUser): Promise<void> {
    const session = canBeSessionId(caller.sessionId)
      ? await this.deps.sessions.findSession(caller.sessionId)
      : null;
    if (session?.userId !== caller.id) {
      throw new AuthError('TOKEN_INVALID', 'the token names a session of another user');
    }
  }
}

function toSessionView(session: SessionRecord, currentSessionId: string): SessionView {
  return {
    id: session.id,
    createdAt: new Date(session.createdAt).toISOString(),
    lastUsedAt: new Date(session.lastUsedAt).toISOString(),
    expiresAt: new Date(Math.min(session.idleExpiresAt, session.absoluteExpiresAt)).toISOString(),
    userAgent: session.userAgent,
    ip: session.ip,
    lastUserAgent: session.lastUserAgent,
    lastIp: session.lastIp,
    current: session.id === currentSessionId,
  };
}

/** A valid token of a user who is gone: refused as any token of theirs. */
function userGone(): AuthError {
  return new AuthError('TOKEN_INVALID', 'its user is gone');
}
