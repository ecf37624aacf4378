import { HttpException, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InvalidTokenException } from '../errors/bearer-challenge.exception';

/** Guards `POST /auth/refresh`: a verified refresh token, whatever failed otherwise is `invalid_token`. */
@Injectable()
export class RefreshTokenGuard extends AuthGuard('jwt-refresh') {
  override handleRequest<TClaims>(error: unknown, claims: TClaims | false): TClaims {
    if (!error && claims) return claims;
    if (error instanceof HttpException && error.getStatus() === 400) throw error;
    throw new InvalidTokenException();
  }
}
