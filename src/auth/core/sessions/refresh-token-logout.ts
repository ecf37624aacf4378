import type { AuthDeps } from './auth.deps';
import { chooseRefreshCookie } from './choose-refresh-cookie';
import type { TokenRejectedError } from '../errors/auth-error';
import type { RefreshTokenClaims } from '../model/token.types';
import { isLive } from './session-liveness';
import type { SessionRevoker } from './session-revoker';

/**
 * Logout by refresh token (docs/sessions.md: Behaviour in detail, Logout): a client whose access token has expired can still
 * end its session with the refresh token it holds. Only that session, and only with a token that could still
 * refresh it (verified, current, of a live session of its user): a spent, revoked, expired or foreign token changes
 * nothing, and says nothing either (the caller answers 204 all the same), so it cannot be used to probe tokens.
 */
export class RefreshTokenLogout {
  constructor(
    private readonly deps: Pick<AuthDeps, 'sessions' | 'clock' | 'tokens'>,
    private readonly revoker: SessionRevoker,
  ) {}

  /**
   * Ends the session of the refresh token among `candidates` (the body's, or the cookies sent: see
   * `chooseRefreshCookie`), if it is a current token of a live session; otherwise does nothing.
   */
  async logout(candidates: readonly string[]): Promise<void> {
    const { sessions, clock, tokens } = this.deps;
    // Each candidate verified once; the chosen one's claims are those of its check.
    const claims = chooseRefreshCookie<RefreshTokenClaims, TokenRejectedError>(
      candidates,
      (token) => tokens.check('refresh', token),
    );
    if (claims === undefined || claims instanceof Error) return;
    const context = await sessions.findRefreshContext(claims.sid, claims.jti);
    const now = clock.now();
    if (
      !context ||
      context.presented.spentAt !== null ||
      context.session.userId !== claims.sub ||
      !isLive(context.session, now)
    ) {
      return;
    }
    await this.revoker.revoke(claims.sub, [context.session.id], 'logout', now);
  }
}
