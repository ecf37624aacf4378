import { randomUUID } from 'node:crypto';
import type { AuthDeps } from './auth.deps';
import type { TokenPair } from '../model/auth.types';
import type { UserRecord } from '../model/user-store.port';
import type { NewRefreshToken, SessionRecord } from '../model/session-store.port';
import type { HookRunner } from '../hooks/hook-runner';

/** Where the host's claims come from (the `accessTokenClaims` hooks). */
export type ClaimsSource = Pick<HookRunner, 'addsClaims' | 'accessTokenClaims'>;

/** The refresh tokens a session stores and the token pairs its client gets: their ids, times and signatures. */
export class TokenPairIssuer {
  constructor(
    private readonly deps: Pick<AuthDeps, 'options' | 'tokens' | 'revocations'>,
    /** Absent: tokens carry the module's claims only. */
    private readonly claims?: ClaimsSource,
  ) {}

  /**
   * A new refresh token of a session, issued at `now` (ms), expiring no later than the session, at place
   * `generation` of its chain (0 at login, the spent token's plus one at a rotation).
   */
  newRefreshToken(now: number, absoluteExpiresAt: number, generation: number): NewRefreshToken {
    // Whole seconds, as in the token's claims, so the stored times re-issue the same token byte for byte.
    const issuedAt = floorToSecond(now);
    const expiresAt = Math.min(
      issuedAt + this.deps.options.jwtRefreshExpiration * 1000,
      floorToSecond(absoluteExpiresAt),
    );
    return { id: randomUUID(), issuedAt, expiresAt, generation };
  }

  /**
   * Signs a new access token, with the claims the host's hooks add for `user`, and the stored refresh token
   * `refresh` for the user's session.
   * @throws Error when a hook gives a reserved claim (see HookRunner.accessTokenClaims).
   */
  async issue(
    user: UserRecord,
    session: Pick<SessionRecord, 'id' | 'absoluteExpiresAt' | 'authTime' | 'amr' | 'acr'>,
    refresh: NewRefreshToken,
    requestTime: number,
  ): Promise<TokenPair> {
    const { options, tokens } = this.deps;
    // Awaited only when a hook adds claims: without one, issuing is as before (no extra turn of the event loop).
    const extra = this.claims?.addsClaims ? await this.claims.accessTokenClaims(user) : undefined;
    // The time the request started, as for the refresh token's times: a second boundary passing during the
    // database work must not shift one lifetime against the other.
    const now = Math.floor(requestTime / 1000);
    const issuedAt = this.accessIssuedAt(session.id, now);
    const common = { sub: user.id, sid: session.id };
    const access = tokens.signAccessToken(
      {
        ...common,
        jti: randomUUID(),
        iat: issuedAt,
        // No access token outlives its session.
        exp: Math.min(
          issuedAt + options.jwtExpiration,
          Math.floor(session.absoluteExpiresAt / 1000),
        ),
        email: user.email,
        roles: user.roles,
        email_verified: user.emailVerified === true,
        // The session's last authentication, which a refresh keeps (RFC 9470 step-up compares them).
        auth_time: Math.floor(session.authTime / 1000),
        amr: session.amr,
        acr: session.acr,
      },
      extra,
    );
    const refreshToken = tokens.signRefreshToken({
      ...common,
      jti: refresh.id,
      iat: refresh.issuedAt / 1000,
      exp: refresh.expiresAt / 1000,
      gen: refresh.generation,
    });
    return {
      accessToken: access.token,
      refreshToken: refreshToken.token,
      tokenType: 'Bearer',
      expiresIn: Math.max(0, access.expiresAt - now),
      refreshExpiresIn: Math.max(0, refreshToken.expiresAt - now),
    };
  }

  /**
   * The `iat` of an access token issued at second `now`: `now`, unless the session's tokens were cut off during
   * this very second (its user's roles changed), which refuses every token with an `iat` up to it; a token issued
   * after the change, with the new roles, then takes the next second, so that one comparison of `iat` tells the
   * tokens from before a change from those after it.
   */
  private accessIssuedAt(sessionId: string, now: number): number {
    return this.deps.revocations.isRevoked(sessionId, now) ? now + 1 : now;
  }
}

function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
