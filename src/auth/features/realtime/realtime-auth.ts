import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../core/model/auth.types';
import { AccessTokenAuthenticator } from '../../core/sessions/access-token.authenticator';
import { callerOf } from '../../core/tokens/caller-of';

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
 * `connectionParams`) with the module's one {@link AccessTokenAuthenticator}, as the access guard does a request's:
 * verified (through the same verified-token cache), and its session not revoked. No database query. Throws an
 * `AuthError` (never quoting the token).
 */
@Injectable()
export class RealtimeAuth {
  constructor(private readonly access: AccessTokenAuthenticator) {}

  authenticate(token: unknown): RealtimeCaller {
    // Throws a TokenRejectedError having logged why (at debug level), or a RevokedSessionError: a token issued
    // before its user's roles changed is refused too.
    const claims = this.access.claimsOf(typeof token === 'string' ? token : undefined);
    return { user: callerOf(claims), expiresAt: claims.exp * 1000, issuedAt: claims.iat };
  }

  /**
   * The token of `authorization` (`Bearer <token>`, as a subscription's `connectionParams.authorization`), checked.
   */
  authenticateBearer(authorization: unknown): RealtimeCaller {
    const match = typeof authorization === 'string' ? /^Bearer (\S+)$/i.exec(authorization) : null;
    return this.authenticate(match?.[1]);
  }
}
