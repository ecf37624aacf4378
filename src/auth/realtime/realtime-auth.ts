import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth.types';
import { AuthError, RevokedSessionError } from '../errors/auth-error';
import { REVOCATION_LIST, type RevocationList } from '../revocation/revocation-list.port';
import { TokenService } from '../tokens/token.service';
import { callerOf } from '../tokens/caller-of';

/** A connection's caller: who, and its access token's times. */
export interface RealtimeCaller {
  user: AuthUser;
  /** Until when the token holds: its `exp`, in ms since the epoch. */
  expiresAt: number;
  /** The token's `iat`, in seconds since the epoch: a role change cuts off the tokens issued up to a second. */
  issuedAt: number;
}

/**
 * Checks the access token a connection presents (a socket.io handshake, `reauth`, a subscription's
 * `connectionParams`), as the access guard does a request's: verified, and its session not revoked. No database
 * query. Throws an {@link AuthError} (never quoting the token).
 */
@Injectable()
export class RealtimeAuth {
  constructor(
    private readonly tokens: TokenService,
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
  ) {}

  authenticate(token: unknown): RealtimeCaller {
    if (typeof token !== 'string' || token === '') {
      throw new AuthError('token_missing', 'no token on the connection');
    }
    // Throws a TokenRejectedError, having logged why (at debug level).
    const claims = this.tokens.verify('access', token);
    const user = callerOf(claims);
    // As the access guard asks: a token issued before its user's roles changed is refused too.
    if (this.revocations.isRevoked(claims.sid, claims.iat)) throw new RevokedSessionError(user);
    return { user, expiresAt: claims.exp * 1000, issuedAt: claims.iat };
  }

  /**
   * The token of `authorization` (`Bearer <token>`, as a subscription's `connectionParams.authorization`), checked.
   */
  authenticateBearer(authorization: unknown): RealtimeCaller {
    const match = typeof authorization === 'string' ? /^Bearer (\S+)$/i.exec(authorization) : null;
    return this.authenticate(match?.[1]);
  }
}
