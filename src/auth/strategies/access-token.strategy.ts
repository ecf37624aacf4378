import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../auth.types';
import { RevokedSessionException } from '../guards/bearer-challenge.exception';
import { REVOCATION_LIST, type RevocationList } from '../revocation/revocation-list.port';
import { TokenService } from '../tokens/token.service';
import { keyProvider } from './key-provider';

/** Reads the access token from `Authorization: Bearer` only: never from a query string or a body. */
export const extractAccessToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Passport strategy `jwt`: an access token, verified (signature, algorithm, `typ`, `iss`, `aud`, times) and checked
 * against the revocation list. No database query: this runs on every request.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly tokens: TokenService,
    @Inject(REVOCATION_LIST) private readonly revocations: RevocationList,
  ) {
    const { ignoreNotBefore, ...verifyOptions } = tokens.verifyOptions();
    super({
      jwtFromRequest: extractAccessToken,
      secretOrKeyProvider: keyProvider(tokens, 'access'),
      ...verifyOptions,
      jsonWebTokenOptions: { ignoreNotBefore },
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
