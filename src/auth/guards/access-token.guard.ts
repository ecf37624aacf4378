import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { AuthUser } from '../auth.types';
import { ALLOW_REVOKED_SESSION_KEY } from '../decorators/allow-revoked-session.decorator';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { extractAccessToken } from '../strategies/access-token.strategy';
import {
  InvalidTokenException,
  MissingTokenException,
  RevokedSessionException,
} from '../errors/bearer-challenge.exception';

/** The global guard: every route needs a valid access token unless marked `@Public()`. */
@Injectable()
export class AccessTokenGuard extends AuthGuard('jwt') {
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

  override handleRequest<TUser = AuthUser>(
    error: unknown,
    user: TUser | false,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (!error && user) return user;
    if (error instanceof RevokedSessionException && this.allowsRevokedSession(context)) {
      return { ...error.user, sessionRevoked: true } as TUser;
    }
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    throw extractAccessToken(request) ? new InvalidTokenException() : new MissingTokenException();
  }

  private allowsRevokedSession(context: ExecutionContext): boolean {
    return this.reflector.get<boolean>(ALLOW_REVOKED_SESSION_KEY, context.getHandler()) === true;
  }
}
