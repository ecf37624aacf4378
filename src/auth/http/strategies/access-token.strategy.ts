import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { AuthUser } from '../../core/model/auth.types';
import { bearerTokenOf } from '../../contexts/bearer-token';
import { AccessTokenAuthenticator } from '../../core/sessions/access-token.authenticator';
import { JwtStrategy } from './jwt.strategy';

/**
 * Passport strategy `jwt`, for a host's `AuthGuard('jwt')`: the access token of `Authorization: Bearer`, checked by
 * {@link AccessTokenAuthenticator} exactly as the module's own guard checks it (verified once then cached, its
 * session's revocation on every request). A missing, refused or revoked token fails the strategy, so passport's
 * guard answers 401. The module's own guard does not go through passport.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(JwtStrategy, 'jwt') {
  constructor(authenticator: AccessTokenAuthenticator) {
    super({
      verifyRequest: (request: { headers: { authorization?: string | string[] } }) =>
        authenticator.authenticate(bearerTokenOf(request.headers)),
    });
  }

  /** The caller, built by the authenticator already. */
  validate(user: AuthUser): AuthUser {
    return user;
  }
}
