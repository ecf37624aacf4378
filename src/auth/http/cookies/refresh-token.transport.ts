import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import type { TokenPair } from '../../core/model/auth.types';
import {
  addSetCookie,
  clearedRefreshCookie,
  type CookieResponse,
  type CookieSettings,
  cookiePathOf,
  refreshCookie,
  type RoutedRequest,
} from './refresh-cookie';

/** What the controllers need of a request and a response, on Express and on Fastify alike. */
export type HttpRequest = RoutedRequest;
export type HttpResponse = CookieResponse;

/** A token pair as answered: in `cookie` transport the refresh token is in the cookie only. */
export type TokenResponseBody = Omit<TokenPair, 'refreshToken'> & { refreshToken?: string };

/** Puts the refresh token where `refreshTransport` says: the JSON body, an HttpOnly cookie, or both. */
@Injectable()
export class RefreshTokenTransport {
  constructor(@Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {}

  /** Whether refresh tokens come in cookies (`cookie` or `both` transport). */
  get acceptsCookie(): boolean {
    return this.options.refreshTransport !== 'body';
  }

  /**
   * @param depth how many path segments the route has below the module's base (`cookiePathOf`): 1 for
   * `<base>/login`, 2 for `<base>/mfa/verify`.
   */
  deliver(
    tokens: TokenPair,
    request: HttpRequest,
    response: HttpResponse,
    depth = 1,
  ): TokenResponseBody {
    const { refreshTransport } = this.options;
    if (refreshTransport === 'body') return tokens;
    addSetCookie(
      response,
      refreshCookie(
        tokens.refreshToken,
        tokens.refreshExpiresIn,
        this.cookieSettings(request, depth),
      ),
    );
    if (refreshTransport === 'both') return tokens;
    return { ...tokens, refreshToken: undefined };
  }

  /** Removes the cookie (logout). Nothing to do in body transport. */
  clear(request: HttpRequest, response: HttpResponse): void {
    if (this.options.refreshTransport === 'body') return;
    addSetCookie(response, clearedRefreshCookie(this.cookieSettings(request, 1)));
  }

  /** Where the module's cookies go for a request to a route `depth` segments below the module's base. */
  cookieSettings(request: HttpRequest, depth: number): CookieSettings {
    return { path: cookiePathOf(request, depth), secure: this.options.cookieSecure };
  }
}
