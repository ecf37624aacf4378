import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { AuthUser } from '../auth.types';
import { ALLOW_REVOKED_SESSION_KEY } from '../decorators/allow-revoked-session.decorator';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { AuthError, RevokedSessionError } from '../errors/auth-error';
import { refusal } from '../errors/refusal';
import { tokenRejection } from '../errors/token-rejection';

/**
 * The global guard: every route needs a valid access token unless marked `@Public()`. Refuses with 401 and its
 * `WWW-Authenticate` challenge (bare `Bearer` without a token, `invalid_token` otherwise), on the module's routes and
 * a host's alike, whether installed globally or with `@UseGuards`.
 */
@Injectable()
export class AccessTokenGuard extends AuthGuard('jwt') {
  /** A property, not a constructor parameter: a host's subclass keeps calling `super(reflector)`. */
  @Optional()
  @Inject(HttpAdapterHost)
  private readonly http?: HttpAdapterHost;

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic === true || super.canActivate(context);
  }

  /**
   * `error` is what the strategy's `validate` threw (a revoked session), `info` what it failed with (the token's
   * {@link AuthError}: missing, or rejected by TokenService).
   */
  override handleRequest<TUser = AuthUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (!error && user) return user;
    if (error instanceof RevokedSessionError && this.allowsRevokedSession(context)) {
      return { ...error.user, sessionRevoked: true } as TUser;
    }
    const failure = error ?? info;
    const refused = failure instanceof AuthError ? failure : tokenRejection('access', failure);
    throw refusal(context, refused, this.http);
  }

  private allowsRevokedSession(context: ExecutionContext): boolean {
    return this.reflector.get<boolean>(ALLOW_REVOKED_SESSION_KEY, context.getHandler()) === true;
  }
}
