import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../model/auth.types';
import { CLOCK, type Clock } from '../clock/clock';
import { AuthError, RevokedSessionError } from '../errors/auth-error';
import { REVOCATION_LIST, type RevocationList } from '../model/revocation-list.port';
import { callerOf, keptClaims } from '../tokens/caller-of';
import type { AccessTokenClaims } from '../model/token.types';
import { TokenService } from '../tokens/token.service';
import { VerifiedTokenCache } from '../tokens/verified-token-cache';

/**
 * The one way an access token is authenticated, whatever carries it: the access guard (HTTP, GraphQL, socket.io
 * messages), the passport strategy `jwt`, and RealtimeAuth (socket.io handshakes and `reauth`, GraphQL
 * subscriptions). No database query: it runs on every request. A token's signature and claims are checked the first
 * time it is seen (then remembered by the whole token until its `exp`, see {@link VerifiedTokenCache}); its expiry
 * and its session's revocation (`isRevoked(sid, iat)`: a revoked session, or a cut-off such as a role change) on
 * every use.
 */
@Injectable()
export class AccessTokenAuthenticator {
  private readonly verified: VerifiedTokenCache<AccessTokenClaims>;
  /** Made once: a closure per request would be garbage per request. */
  private readonly verify: (token: string) => AccessTokenClaims;

  constructor(
    tokens: TokenService,
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.verified = new VerifiedTokenCache<AccessTokenClaims>(clock);
    // Frozen once, when verified, the host's claims set apart: every request of the token shares them.
    this.verify = (token) => keptClaims(tokens.verify('access', token));
  }

  /**
   * The caller `token` names, as `@CurrentUser()` gives it.
   * @throws AuthError `token_missing` without a token; TokenRejectedError when the token does not hold;
   * RevokedSessionError (which names the caller, for `@AllowRevokedSession`) when its session is revoked.
   */
  authenticate(token: string | null | undefined): AuthUser {
    return callerOf(this.claimsOf(token));
  }

  /**
   * The claims of `token`, verified and of a session not revoked: {@link authenticate} for a caller that needs the
   * token's times too (a connection closed at `exp`). The object is shared by every use of the same token: read it,
   * never change it.
   * @throws as {@link authenticate}.
   */
  claimsOf(token: string | null | undefined): Readonly<AccessTokenClaims> {
    if (token === null || token === undefined || token === '') {
      throw new AuthError('token_missing', 'no access token');
    }
    const claims = this.verified.claimsOf(token, this.verify);
    if (this.revocations.isRevoked(claims.sid, claims.iat)) {
      throw new RevokedSessionError(callerOf(claims));
    }
    return claims;
  }

  /**
   * The caller `token` names, or undefined when there is no token or it does not hold (invalid, expired, of a
   * revoked session): the optional sign-in of a `@Public()` route, where a bad token makes an anonymous caller,
   * never a refusal. Without a token it allocates nothing.
   */
  callerIfValid(token: string | null | undefined): AuthUser | undefined {
    if (token === null || token === undefined || token === '') return undefined;
    try {
      return this.authenticate(token);
    } catch {
      return undefined;
    }
  }
}
