import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AuthError } from '../../core/errors/auth-error';
import { refusal } from '../errors/refusal';
import { tokenRejection } from '../../core/errors/token-rejection';

/**
 * Guards `POST /auth/refresh`: a verified refresh token; whatever failed otherwise, a missing token included, is
 * 401 `invalid_token` (docs/sessions.md: Behaviour in detail, Refresh), with its `WWW-Authenticate` set here. A body the
 * token cannot be read from (nested too deep, a `refreshToken` that is no string) is 400 `VALIDATION_FAILED`.
 */
@Injectable()
export class RefreshTokenGuard extends AuthGuard('jwt-refresh') {
  @Optional()
  @Inject(HttpAdapterHost)
  private readonly http?: HttpAdapterHost;

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      // Reading the token threw (passport lets it through, past handleRequest).
      if (error instanceof AuthError) throw refusal(context, error, this.http);
      throw error;
    }
  }

  override handleRequest<TClaims>(
    error: unknown,
    claims: TClaims | false,
    info: unknown,
    context: ExecutionContext,
  ): TClaims {
    if (!error && claims) return claims;
    const failure = error ?? info;
    const refused = failure instanceof AuthError ? failure : tokenRejection('refresh', failure);
    throw refusal(context, refused, this.http);
  }
}
