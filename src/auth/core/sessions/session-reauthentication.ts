import type { AuthDeps } from './auth.deps';
import type { AuthUser, SessionAuthentication, TokenPair } from '../model/auth.types';
import { AuthError } from '../errors/auth-error';
import { isLive } from './session-liveness';
import type { TokenPairIssuer } from './token-pair.issuer';

/**
 * A new authentication of a signed-in session (RFC 9470 step-up): the session's `auth_time`, `amr` and `acr` become
 * the new ones, and its client gets a fresh access token beside its current refresh token, re-signed as stored (the
 * chain is not rotated: a racing refresh of another tab stays valid).
 */
export class SessionReauthentication {
  constructor(
    private readonly deps: Pick<AuthDeps, 'users' | 'sessions' | 'clock'>,
    private readonly issuer: TokenPairIssuer,
  ) {}

  /**
   * Records `authentication` (now) on the caller's session and issues its new pair.
   * @throws AuthError `TOKEN_REVOKED` / `TOKEN_EXPIRED` when the session is no longer live, `TOKEN_INVALID` when it
   * is not the caller's or the user is gone, `ACCOUNT_DISABLED` for a disabled user.
   */
  async reauthenticate(
    caller: AuthUser,
    authentication: Omit<SessionAuthentication, 'time'>,
  ): Promise<TokenPair> {
    const { users, sessions, clock } = this.deps;
    const now = clock.now();
    const [session, user] = await Promise.all([
      sessions.findSession(caller.sessionId),
      users.findById(caller.id),
    ]);
    if (!user || !session || session.userId !== user.id) {
      throw new AuthError('TOKEN_INVALID', 'no such session or user');
    }
    if (user.disabled) throw new AuthError('ACCOUNT_DISABLED');
    if (!isLive(session, now)) throw new AuthError('TOKEN_REVOKED', 'its session is not live');
    const recorded = { authTime: now, amr: [...authentication.methods], acr: authentication.level };
    const current = await sessions.reauthenticate(session.id, recorded, now);
    // Revoked or expired between the read and the write.
    if (!current) throw new AuthError('TOKEN_REVOKED', 'its session ended meanwhile');
    return this.issuer.issue(user, { ...session, ...recorded }, current, now);
  }
}
