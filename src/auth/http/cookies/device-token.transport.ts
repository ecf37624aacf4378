import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../../core/options/auth.options';
import { addSetCookie, readCookies, serializeCookie } from './refresh-cookie';
import {
  type HttpRequest,
  type HttpResponse,
  RefreshTokenTransport,
} from './refresh-token.transport';

/**
 * The cookie of a remembered device (CONTRACT 4.15): what a second-factor check with `rememberDevice` answers, in
 * cookie and `both` transport. Host-only, HttpOnly, SameSite=Strict, limited to the module's routes as the refresh
 * cookie is, so that it reaches `<base>/login` and no script reads it.
 */
export const DEVICE_COOKIE = 'device_token';

/** A request of which the `Cookie` header is read. */
export type RequestWithCookies = HttpRequest & { headers: { cookie?: string | string[] } };

/**
 * Carries the `deviceToken` of a remembered device where the refresh token goes (`refreshTransport`): the JSON body
 * in `body` transport; an HttpOnly cookie in `cookie` transport (never in the body, where a script could read it);
 * both in `both` transport, so that a browser holds it the cookie way and another client reads the body. Login
 * takes it from the body, or else from the cookie; the routes after which the server forgets the user's devices
 * (password change and reset, factor removal, `logout?scope=global`, account deletion) clear the cookie the request
 * carried.
 */
@Injectable()
export class DeviceTokenTransport {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly refresh: RefreshTokenTransport,
  ) {}

  /**
   * Hands a newly remembered device's token to the client.
   * @param maxAgeSeconds how long the device is remembered (the cookie's `Max-Age`).
   * @param depth the route's depth below the module's base (`cookiePathOf`).
   * @returns the value for the body's `deviceToken`, or undefined when the cookie alone carries it.
   */
  deliver(
    deviceToken: string,
    maxAgeSeconds: number,
    request: HttpRequest,
    response: HttpResponse,
    depth: number,
  ): string | undefined {
    const { refreshTransport } = this.options;
    if (refreshTransport === 'body') return deviceToken;
    const settings = this.refresh.cookieSettings(request, depth);
    addSetCookie(response, serializeCookie(DEVICE_COOKIE, deviceToken, maxAgeSeconds, settings));
    return refreshTransport === 'both' ? deviceToken : undefined;
  }

  /**
   * The device token of a login: the body's, else (cookie or `both` transport) the first device cookie sent. One of
   * another user, or an unknown one, is the feature's to ignore: a planted cookie can at most make the login ask
   * for the second factor, never skip it.
   */
  read(request: RequestWithCookies, fromBody: string | undefined): string | undefined {
    if (fromBody !== undefined || this.options.refreshTransport === 'body') return fromBody;
    return readCookies(request.headers.cookie, DEVICE_COOKIE)[0];
  }

  /** Clears the device cookie the request carried (the server forgot the device). Nothing in body transport. */
  forget(request: RequestWithCookies, response: HttpResponse, depth: number): void {
    if (this.options.refreshTransport === 'body') return;
    if (readCookies(request.headers.cookie, DEVICE_COOKIE).length === 0) return;
    const settings = this.refresh.cookieSettings(request, depth);
    addSetCookie(response, serializeCookie(DEVICE_COOKIE, '', 0, settings));
  }
}
