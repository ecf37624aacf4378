import { randomUUID } from 'node:crypto';
import type { AuthDeps } from '../auth.deps';
import type { TokenPair } from '../auth.types';
import type { UserRecord } from '../users/user-store.port';
import type { NewRefreshToken, SessionRecord } from './session-store.port';

/** The refresh tokens a session stores and the token pairs its client gets: their ids, times and signatures. */
export class TokenPairIssuer {
  constructor(private readonly deps: Pick<AuthDeps, 'options' | 'tokens'>) {}

  /** A new refresh token of a session, issued at `now` (ms), expiring no later than the session. */
  newRefreshToken(now: number, absoluteExpiresAt: number): NewRefreshToken {
    // Whole seconds, as in the token's claims, so the stored times re-issue the same token byte for byte.
    const issuedAt = floorToSecond(now);
    const expiresAt = Math.min(
      issuedAt + this.deps.options.jwtRefreshExpiration * 1000,
      floorToSecond(absoluteExpiresAt),
    );
    return { id: randomUUID(), issuedAt, expiresAt };
  }

  /** Signs a new access token and the stored refresh token `refresh` for the user's session. */
  issue(
    user: UserRecord,
    session: Pick<SessionRecord, 'id' | 'absoluteExpiresAt'>,
    refresh: NewRefreshToken,
    requestTime: number,
  ): TokenPair {
    const { options, tokens } = this.deps;
    // The time the request started, as for the refresh token's times: a second boundary passing during the
    // database work must not shift one lifetime against the other.
    const now = Math.floor(requestTime / 1000);
    const common = { sub: user.id, sid: session.id };
    const access = tokens.signAccessToken({
      ...common,
      jti: randomUUID(),
      iat: now,
      // No access token outlives its session.
      exp: Math.min(now + options.jwtExpiration, Math.floor(session.absoluteExpiresAt / 1000)),
      email: user.email,
      roles: user.roles,
      email_verified: user.emailVerified === true,
    });
    const refreshToken = tokens.signRefreshToken({
      ...common,
      jti: refresh.id,
      iat: refresh.issuedAt / 1000,
      exp: refresh.expiresAt / 1000,
    });
    return {
      accessToken: access.token,
      refreshToken: refreshToken.token,
      tokenType: 'Bearer',
      expiresIn: Math.max(0, access.expiresAt - now),
      refreshExpiresIn: Math.max(0, refreshToken.expiresAt - now),
    };
  }
}

function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
