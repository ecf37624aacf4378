import { type ExecutionContext, HttpException, Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AuthError } from '../errors/auth-error';
import { refusal } from '../errors/refusal';
import { tokenRejection } from '../errors/token-rejection';

/**
 * Guards `POST /auth/refresh`: a verified refresh token; whatever failed otherwise, a missing token included, is
 * 401 `invalid_token` (README: Behaviour in detail, Refresh), with its `WWW-Authenticate` set here.
 */
@Injectable()
export class RefreshTokenGuard extends AuthGuard('jwt-refresh') {
  @Optional()
  @Inject(HttpAdapterHost)
  private readonly http?: HttpAdapterHost;

  override handleRequest<TClaims>(
    error: unknown,
    claims: TClaims | false,
    info: unknown,
    context: ExecutionContext,
  ): TClaims {
    if (!error && claims) return claims;
    if (error instanceof HttpException && error.getStatus() === 400) throw error;
    const failure = error ?? info;
    const refused = failure instanceof AuthError ? failure : tokenRejection('refresh', failure);
    throw refusal(context, refused, this.http);
  }
}
