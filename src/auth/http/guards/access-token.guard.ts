import { RouteMetadataCache } from './route-metadata-cache';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { type AuthRequest, authRequestOf, disconnectSocket } from '../../contexts/auth-request';
import { bearerTokenOf } from '../../contexts/bearer-token';
import { readRefreshCookies } from '../cookies/refresh-cookie';
import { ALLOW_REVOKED_SESSION_KEY } from '../decorators/allow-revoked-session.decorator';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { REFRESH_TOKEN_INSTEAD_KEY } from '../decorators/refresh-token-instead.decorator';
import { AuthError, RevokedSessionError } from '../../core/errors/auth-error';
import { refusal } from '../errors/refusal';
import { tokenRejection } from '../../core/errors/token-rejection';
import { AccessTokenAuthenticator } from '../../core/sessions/access-token.authenticator';
import { CLOCK, type Clock } from '../../core/clock/clock';
import { type AuthRequirement, authenticationShortfall } from '../../core/step-up';
import { REQUIRE_AUTH_KEY } from '../decorators/require-auth.decorator';

/** What a route's metadata says to this guard: read once per handler (and class), not on every request. */
interface RouteRules {
  isPublic: boolean;
  allowsRevokedSession: boolean;
  takesRefreshTokenInstead: boolean;
  /** `@RequireAuth(...)` of the handler or its class (the handler's wins), if any. */
  requirement: AuthRequirement | undefined;
}

/**
 * The global guard: every route needs a valid access token unless marked `@Public()`, where a valid one signs the
 * caller in (`@CurrentUser()` set) and an invalid one is ignored (the caller anonymous). Refuses with 401 and its
 * `WWW-Authenticate` challenge (bare `Bearer` without a token, `invalid_token` otherwise), on the module's routes and
 * a host's alike, whether installed globally or with `@UseGuards`.
 *
 * The same in GraphQL resolvers (the token of the HTTP request's header, or of a subscription's `connectionParams`;
 * refused with `extensions.code` `UNAUTHENTICATED`) and socket.io gateways (the handshake's `auth.token`, or the
 * one of the latest `reauth`; a socket whose token no longer holds is disconnected).
 *
 * It reads the bearer token and asks {@link AccessTokenAuthenticator} directly, as RealtimeAuth and the passport
 * strategy `jwt` do: no passport machinery per request (its per-request strategy object and closures cost more than
 * the check itself once the token is cached).
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  /** A property, not a constructor parameter: a host's subclass keeps calling `super(reflector)`. */
  @Optional()
  @Inject(HttpAdapterHost)
  private readonly http?: HttpAdapterHost;

  /** Also a property: the refresh transport, for `@RefreshTokenInstead()` routes (the module's logout). */
  @Optional()
  @Inject(AUTH_OPTIONS)
  private readonly options?: ResolvedAuthOptions;

  /** Also a property, for the same reason. */
  @Inject(AccessTokenAuthenticator)
  private readonly authenticator!: AccessTokenAuthenticator;

  /** Also a property: the time `@RequireAuth({ maxAge })` compares `auth_time` with. */
  @Optional()
  @Inject(CLOCK)
  private readonly clock?: Clock;

  /** Each route's rules (a handler may be mounted by several controller classes: keyed by both). */
  private readonly rules = new RouteMetadataCache<RouteRules>((context) => this.readRules(context));

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const rules = this.rules.of(context);
    if (rules.isPublic) return this.signInIfValid(context);
    const request = authRequestOf(context);
    try {
      request.user = this.authenticator.authenticate(bearerTokenOf(request.headers));
    } catch (error) {
      if (context.getType<string>() !== 'ws') return this.refused(error, rules, request, context);
      // A socket's message: the socket's token no longer holds (the registry closes such sockets; this covers a
      // message racing it), so the socket is disconnected and the message refused (Nest answers a WsException).
      try {
        return this.refused(error, rules, request, context);
      } catch {
        disconnectSocket(context.switchToWs().getClient<object>());
        return false;
      }
    }
    if (rules.requirement !== undefined) this.assertStepUp(rules.requirement, request, context);
    return true;
  }

  /**
   * The optional sign-in of a `@Public()` route: with a valid access token the caller is set (`@CurrentUser()`),
   * with an invalid, expired or revoked one the caller is anonymous (undefined), never refused: the route is open
   * to anyone, and a client with a stale token should not be worse off than one with none. Without an
   * `Authorization` header it reads one header and allocates nothing (the HTTP request is taken from the context's
   * arguments: `switchToHttp()` would make three closures per request).
   */
  private signInIfValid(context: ExecutionContext): true {
    const request =
      context.getType<string>() === 'http'
        ? context.getArgByIndex<AuthRequest>(0)
        : authRequestOf(context);
    const token = bearerTokenOf(request.headers);
    if (token !== null) request.user = this.authenticator.callerIfValid(token);
    return true;
  }

  /**
   * RFC 9470 step-up: refuses a caller whose token is too weak or too old for the route's `@RequireAuth`. A socket
   * stays open (its token holds; this message is refused).
   */
  private assertStepUp(
    requirement: AuthRequirement,
    request: AuthRequest,
    context: ExecutionContext,
  ): void {
    const caller = request.user;
    if (caller === undefined) return;
    const now = Math.floor((this.clock?.now() ?? Date.now()) / 1000);
    const shortfall = authenticationShortfall(caller, requirement, now);
    if (shortfall !== undefined) throw refusal(context, shortfall, this.http);
  }

  /**
   * The answer to a request whose token was refused with `error`: through all the same for a revoked session on an
   * `@AllowRevokedSession()` route (the caller marked), or with no caller on a `@RefreshTokenInstead()` route that
   * carries a refresh token; else the refusal, thrown.
   */
  private refused(
    error: unknown,
    rules: RouteRules,
    request: AuthRequest,
    context: ExecutionContext,
  ): true {
    if (error instanceof RevokedSessionError && rules.allowsRevokedSession) {
      request.user = { ...error.user, sessionRevoked: true };
      return true;
    }
    // No caller: the route reads the refresh token itself (logout with an expired access token).
    if (rules.takesRefreshTokenInstead && this.presentsRefreshToken(request)) {
      request.user = undefined;
      return true;
    }
    const refused = error instanceof AuthError ? error : tokenRejection('access', error);
    throw refusal(context, refused, this.http);
  }

  /** Whether the request carries a refresh token: a `refreshToken` in the body, or a refresh cookie. */
  private presentsRefreshToken({ body, headers }: AuthRequest): boolean {
    if (typeof (body as { refreshToken?: unknown } | undefined)?.refreshToken === 'string') {
      return true;
    }
    const cookies = this.options !== undefined && this.options.refreshTransport !== 'body';
    const cookie = headers.cookie;
    return cookies && readRefreshCookies(Array.isArray(cookie) ? cookie[0] : cookie).length > 0;
  }

  private readRules(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    return {
      isPublic:
        this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, context.getClass()]) ===
        true,
      allowsRevokedSession:
        this.reflector.get<boolean>(ALLOW_REVOKED_SESSION_KEY, handler) === true,
      takesRefreshTokenInstead:
        this.reflector.get<boolean>(REFRESH_TOKEN_INSTEAD_KEY, handler) === true,
      requirement: this.reflector.getAllAndOverride<AuthRequirement | undefined>(REQUIRE_AUTH_KEY, [
        handler,
        context.getClass(),
      ]),
    };
  }
}
