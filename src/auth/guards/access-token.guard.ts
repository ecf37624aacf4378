import { type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../auth.options';
import type { AuthUser } from '../auth.types';
import { authRequestOf, disconnectSocket } from '../context/auth-request';
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
 *
 * The same in GraphQL resolvers (the token of the HTTP request's header, or of a subscription's `connectionParams`;
 * refused with `extensions.code` `UNAUTHENTICATED`) and socket.io gateways (the handshake's `auth.token`, or the
 * one of the latest `reauth`; a socket whose token no longer holds is disconnected).
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
    if (isPublic === true) return true;
    if (context.getType<string>() !== 'ws') return super.canActivate(context);
    return this.canActivateSocket(context);
  }

  /** Passport reads the token from, and puts the caller on, this: the HTTP request, or its GraphQL or socket stand-in. */
  override getRequest(context: ExecutionContext) {
    return authRequestOf(context);
  }

  /**
   * A socket's message: the socket's token no longer holds (the registry closes such sockets; this covers a message
   * racing it), so the socket is disconnected and the message refused (Nest answers it as a WsException).
   */
  private async canActivateSocket(context: ExecutionContext): Promise<boolean> {
    try {
      return (await super.canActivate(context)) as boolean;
    } catch {
      disconnectSocket(context.switchToWs().getClient<object>());
      return false;
    }
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
    const { body, headers } = authRequestOf(context);
    if (typeof (body as { refreshToken?: unknown } | undefined)?.refreshToken === 'string') {
      return true;
    }
    const cookies = this.options !== undefined && this.options.refreshTransport !== 'body';
    const cookie = headers.cookie;
    return cookies && readRefreshCookies(Array.isArray(cookie) ? cookie[0] : cookie).length > 0;
  }

  private allowsRevokedSession(context: ExecutionContext): boolean {
    return this.reflector.get<boolean>(ALLOW_REVOKED_SESSION_KEY, context.getHandler()) === true;
  }
}
