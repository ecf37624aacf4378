import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt } from 'passport-jwt';
import type { AuthUser } from '../auth.types';
import { CLOCK, type Clock } from '../clock/clock';
import { RevokedSessionError } from '../errors/auth-error';
import { REVOCATION_LIST, type RevocationList } from '../revocation/revocation-list.port';
import type { AccessTokenClaims } from '../tokens/token.types';
import { TokenService } from '../tokens/token.service';
import { VerifiedTokenCache } from '../tokens/verified-token-cache';
import { JwtStrategy } from './jwt.strategy';
import { callerOf } from '../tokens/caller-of';

/** Reads the access token from `Authorization: Bearer` only: never from a query string or a body. */
export const extractAccessToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Passport strategy `jwt`: an access token, verified (signature, algorithm, `typ`, `kid`, `iss`, `aud`, times) and
 * checked against the revocation list. No database query: this runs on every request. A token's signature is
 * checked the first time it is seen; its times and its session's revocation on every request.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(JwtStrategy, 'jwt') {
  constructor(
    tokens: TokenService,
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
    @Inject(CLOCK) clock: Clock,
  ) {
    const verified = new VerifiedTokenCache<AccessTokenClaims>(clock);
    super({
      jwtFromRequest: extractAccessToken,
      verifyToken: (token) => verified.claimsOf(token, (fresh) => tokens.verify('access', fresh)),
      missingToken: 'token_missing',
    });
  }

  /**
   * The claims come checked: `verifyToken` asserted them when the token was first seen, and from its `exp` on the
   * cache hands the token to verification again, which refuses it (expiry is the one check whose answer changes with
   * time). Revocation, which changes at any moment, is checked here.
   */
  validate(claims: AccessTokenClaims): AuthUser {
    const user = callerOf(claims);
    if (this.revocations.isRevoked(claims.sid, claims.iat)) throw new RevokedSessionError(user);
    return user;
  }
}
