import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt } from 'passport-jwt';
import type { AuthUser } from '../auth.types';
import { RevokedSessionException } from '../guards/bearer-challenge.exception';
import { REVOCATION_LIST, type RevocationList } from '../revocation/revocation-list.port';
import { TokenService } from '../tokens/token.service';
import { JwtStrategy } from './jwt.strategy';
import { keyProvider } from './key-provider';

/** Reads the access token from `Authorization: Bearer` only: never from a query string or a body. */
export const extractAccessToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Passport strategy `jwt`: an access token, verified (signature, algorithm, `typ`, `kid`, `iss`, `aud`, times) and
 * checked against the revocation list. No database query: this runs on every request. The key provider chooses the
 * key (by `kid` with an asymmetric algorithm); TokenService checks the signature, EdDSA included.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(JwtStrategy, 'jwt') {
  constructor(
    private readonly tokens: TokenService,
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
  ) {
    super({
      jwtFromRequest: extractAccessToken,
      secretOrKeyProvider: keyProvider(tokens, 'access'),
      verifyToken: (token, key) => tokens.verifySignature('access', token, key),
    });
  }

  validate(payload: unknown): AuthUser {
    const claims = this.tokens.assertClaims('access', payload);
    const user = {
      id: claims.sub,
      email: claims.email,
      roles: claims.roles,
      sessionId: claims.sid,
    };
    if (this.revocations.isRevoked(claims.sid)) throw new RevokedSessionException(user);
    return user;
  }
}
