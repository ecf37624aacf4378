import type { RefreshTransport } from '../../core/options/auth.options';

export type { RefreshTransport };

/** The refresh token's cookie (docs/sessions.md: Browser clients). Parsed and written here: no cookie middleware to install. */
export const REFRESH_COOKIE = 'refresh_token';

export interface CookieSettings {
  /** The module's route base, e.g. `/auth`: the cookie goes only to the module's routes. */
  path: string;
  secure: boolean;
}

/**
 * Every non-empty value of a refresh cookie in a `Cookie` header, in the order sent. Usually one; more when a
 * sibling app or subdomain set a cookie of the same name (see `chooseRefreshCookie`).
 */
export function readRefreshCookies(cookieHeader: string | string[] | undefined): string[] {
  return readCookies(cookieHeader, REFRESH_COOKIE);
}

/** Every non-empty value of the cookie `name` in a `Cookie` header, in the order sent. */
export function readCookies(cookieHeader: string | string[] | undefined, name: string): string[] {
  const header = Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader;
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) {
      const value = pair.slice(separator + 1).trim();
      if (value !== '') values.push(value);
    }
  }
  return values;
}

/** `Set-Cookie` for a refresh token living `maxAgeSeconds`. A JWT needs no escaping: base64url and dots only. */
export function refreshCookie(
  token: string,
  maxAgeSeconds: number,
  settings: CookieSettings,
): string {
  return serializeCookie(REFRESH_COOKIE, token, maxAgeSeconds, settings);
}

/** `Set-Cookie` that removes the refresh cookie (logout). */
export function clearedRefreshCookie(settings: CookieSettings): string {
  return serializeCookie(REFRESH_COOKIE, '', 0, settings);
}

/**
 * `Set-Cookie` of one of the module's cookies: HttpOnly (no script reads it), SameSite=Strict (no other site sends
 * it), limited to the module's routes, Secure as configured. `value` must need no escaping (base64url, dots).
 */
export function serializeCookie(
  name: string,
  value: string,
  maxAgeSeconds: number,
  { path, secure }: CookieSettings,
): string {
  const attributes = [
    `${name}=${value}`,
    'HttpOnly',
    'SameSite=Strict',
    `Path=${path}`,
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** What the cookie path is read from: the route the request matched, on Express (`route`) or Fastify (`routeOptions`). */
export interface RoutedRequest {
  url: string;
  route?: { path?: unknown };
  routeOptions?: { url?: unknown };
}

/**
 * The cookie path for a request to one of the module's routes: `<base>`, whatever global prefix or route prefix the
 * host chose, for a route `<base>/<one>/<two>` of `depth` 2 (`<base>/login`, `/refresh`, `/logout` are of depth 1;
 * `<base>/mfa/verify` of depth 2). It is read from the route the request matched, as the app declared it, never from
 * the URL as the client spelled it: `POST /AUTH/LOGIN` or `/auth/login/` (which Express routes to the same handler)
 * must not scope the cookie to `/AUTH` or `/auth/login`, where it would never reach `/auth/refresh` and logout could
 * not clear it.
 */
export function cookiePathOf(request: RoutedRequest, depth = 1): string {
  const declared = request.route?.path ?? request.routeOptions?.url;
  const path = typeof declared === 'string' ? declared : request.url.split('?')[0];
  const base = path.split('/').slice(0, -depth).join('/');
  return base === '' ? '/' : base;
}

/** What the cookie writers need of a response, on Express (`append`, which keeps earlier cookies) and Fastify. */
export interface CookieResponse {
  header(name: string, value: string): unknown;
  append?(name: string, value: string): unknown;
}

/**
 * Adds a `Set-Cookie` to `response`, keeping those set before (a second-factor check sets the refresh cookie and the
 * device cookie): Express's `header()` would replace them, Fastify's `header()` appends `Set-Cookie` by itself.
 */
export function addSetCookie(response: CookieResponse, cookie: string): void {
  if (typeof response.append === 'function') response.append('Set-Cookie', cookie);
  else response.header('Set-Cookie', cookie);
}
