import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../auth.options';
import type { AuthUser } from '../auth.types';
import { readRefreshCookies } from '../cookies/refresh-cookie';
import { ALLOW_REVOKED_SESSION_KEY } from '../decorators/allow-revoked-session.decorator';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { REFRESH_TOKEN_INSTEAD_KEY } from '../decorators/refresh-token-instead.decorator';
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

  /** Also a property: the refresh transport, for `@RefreshTokenInstead()` routes (the module's logout). */
  @Optional()
  @Inject(AUTH_OPTIONS)
  private readonly options?: ResolvedAuthOptions;

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
    // No caller: the route reads the refresh token itself (logout with an expired access token).
    if (this.presentsRefreshTokenInstead(context)) return undefined as TUser;
    const failure = error ?? info;
    const refused = failure instanceof AuthError ? failure : tokenRejection('access', failure);
    throw refusal(context, refused, this.http);
  }

  /** Whether the route takes a refresh token in place of an access token, and the request carries one. */
  private presentsRefreshTokenInstead(context: ExecutionContext): boolean {
    if (this.reflector.get<boolean>(REFRESH_TOKEN_INSTEAD_KEY, context.getHandler()) !== true) {
      return false;
    }
    const { body, headers } = context.switchToHttp().getRequest<{
      body?: { refreshToken?: unknown };
      headers: Record<string, string | string[] | undefined>;
    }>();
    if (typeof body?.refreshToken === 'string') return true;
    const cookies = this.options !== undefined && this.options.refreshTransport !== 'body';
    return cookies && readRefreshCookies(headers.cookie).length > 0;
  }

  private allowsRevokedSession(context: ExecutionContext): boolean {
    return this.reflector.get<boolean>(ALLOW_REVOKED_SESSION_KEY, context.getHandler()) === true;
  }
}
