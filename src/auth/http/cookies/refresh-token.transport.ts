import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import type { TokenPair } from '../../core/model/auth.types';
import {
  clearedRefreshCookie,
  cookiePathOf,
  refreshCookie,
  type RoutedRequest,
} from './refresh-cookie';

/** What the controllers need of a request and a response, on Express and on Fastify alike. */
export type HttpRequest = RoutedRequest;
export interface HttpResponse {
  header(name: string, value: string): unknown;
}

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

  deliver(tokens: TokenPair, request: HttpRequest, response: HttpResponse): TokenResponseBody {
    const { refreshTransport } = this.options;
    if (refreshTransport === 'body') return tokens;
    response.header(
      'Set-Cookie',
      refreshCookie(tokens.refreshToken, tokens.refreshExpiresIn, this.cookieSettings(request)),
    );
    if (refreshTransport === 'both') return tokens;
    return { ...tokens, refreshToken: undefined };
  }

  /** Removes the cookie (logout). Nothing to do in body transport. */
  clear(request: HttpRequest, response: HttpResponse): void {
    if (this.options.refreshTransport === 'body') return;
    response.header('Set-Cookie', clearedRefreshCookie(this.cookieSettings(request)));
  }

  private cookieSettings(request: HttpRequest) {
    return { path: cookiePathOf(request), secure: this.options.cookieSecure };
  }
}
