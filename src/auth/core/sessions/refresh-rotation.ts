import type { AuthDeps } from './auth.deps';
import type { ClientInfo, TokenPair } from '../model/auth.types';
import { AuthError } from '../errors/auth-error';
import { LogLine } from '../logging/log-line';
import type { RefreshTokenClaims } from '../model/token.types';
import type { UserRecord } from '../model/user-store.port';
import { clientFingerprint, MAX_USER_AGENT_LENGTH } from './client-fingerprint';
import { isWithinReuseGrace } from './reuse-grace';
import { isLive } from './session-liveness';
import type { SessionRevoker } from './session-revoker';
import type { RefreshTokenRecord, SessionRecord } from '../model/session-store.port';
import type { TokenPairIssuer } from './token-pair.issuer';

/**
 * Refresh-token rotation with reuse detection (docs/sessions.md: "Behaviour in detail": Refresh, Grace): one read (the
 * session, the presented token and its successor, alongside the user), then one write (the rotation, whose
 * conditional spend decides a race). A spent token presented again gets its successor within the grace, from the
 * client that spent it; anything else is taken as theft and revokes the whole session.
 */
export class RefreshRotation {
  constructor(
    private readonly deps: Pick<
      AuthDeps,
      'options' | 'users' | 'sessions' | 'clock' | 'events' | 'logger'
    >,
    private readonly issuer: TokenPairIssuer,
    private readonly revoker: SessionRevoker,
  ) {}

  /**
   * Rotates a verified refresh token: spends it and issues its successor.
   * @throws AuthError `TOKEN_REVOKED` when the session is revoked; `TOKEN_EXPIRED` when it is past its deadlines;
   * `TOKEN_INVALID` when it is unknown or not the token's user's, when the token is not of that session, when the
   * user is gone or disabled (the session is then revoked); `REFRESH_TOKEN_REUSED` on reuse outside the grace (the
   * session is then revoked, and `refresh_token.reused` emitted).
   */
  async refresh(claims: RefreshTokenClaims, client: ClientInfo): Promise<TokenPair> {
    const { users, sessions, clock } = this.deps;
    const now = clock.now();
    // Both reads at once: the user is the token's `sub`, which the session must belong to anyway.
    const [context, user] = await Promise.all([
      sessions.findRefreshContext(claims.sid, claims.jti),
      users.findById(claims.sub),
    ]);
    if (!context) throw new AuthError('TOKEN_INVALID', 'no such session or token');
    const { session, presented } = context;
    if (session.userId !== claims.sub)
      throw new AuthError('TOKEN_INVALID', 'a session of another user');
    if (!isLive(session, now)) throw sessionEnded(session);
    // Disabling revokes every session, but a host's own store may flag a user disabled behind the module's back.
    if (!user || user.disabled) {
      const reason = user ? 'user_disabled' : 'user_gone';
      await this.revoker.revoke(session.userId, [session.id], reason, now);
      throw new AuthError('TOKEN_INVALID', reason);
    }
    if (presented.spentAt !== null) {
      return this.replay(user, session, presented, context.successor, now, client);
    }

    const successor = this.issuer.newRefreshToken(
      now,
      session.absoluteExpiresAt,
      presented.generation + 1,
    );
    const result = await sessions.rotate(session.id, presented.id, successor, now, {
      fingerprint: clientFingerprint(client),
      ip: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    });
    if (result.won) return this.issuer.issue(user, session, successor, now);
    // A lost race: the rotation answered with the token as the winner left it, and the winner's successor.
    return this.replay(user, session, result.spent, result.successor, now, client);
  }

  /**
   * A spent token presented again: the same successor within the grace to the client that spent it (its racing
   * tabs), otherwise theft, whoever presents it.
   */
  private async replay(
    user: UserRecord,
    session: SessionRecord,
    spent: RefreshTokenRecord,
    successor: RefreshTokenRecord | null,
    now: number,
    client: ClientInfo,
  ): Promise<TokenPair> {
    const { options, events, logger } = this.deps;
    const sameClient = spent.spentBy !== null && spent.spentBy === clientFingerprint(client);
    if (
      successor &&
      sameClient &&
      isWithinReuseGrace(spent, successor, now, options.refreshReuseGrace)
    ) {
      return this.issuer.issue(user, session, successor, now);
    }
    await this.revoker.revoke(user.id, [session.id], 'refresh_token_reuse', now);
    logger.warn(
      new LogLine('Refresh token reuse detected: session revoked', {
        sessionId: session.id,
        userId: user.id,
        ip: client.ip,
      }),
    );
    events.emit({
      type: 'refresh_token.reused',
      userId: user.id,
      sessionId: session.id,
      ...client,
    });
    throw new AuthError('REFRESH_TOKEN_REUSED', 'a spent refresh token outside its grace');
  }
}

/** Why a session that is not live refuses its tokens: revoked, or past its idle or absolute deadline. */
function sessionEnded(session: SessionRecord): AuthError {
  return session.revokedAt !== null
    ? new AuthError('TOKEN_REVOKED', 'its session is revoked')
    : new AuthError('TOKEN_EXPIRED', 'its session is past its deadline');
}
