import type { Response } from 'supertest';
import { PASSWORD, type TestApp, uniqueEmail } from './test-app';

/** Every `Set-Cookie` of a response (none, one or several headers). */
export function setCookies(response: Response): string[] {
  const header = response.headers['set-cookie'] as string | string[] | undefined;
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}

/** The refresh cookie's `Set-Cookie`, attributes included. @throws when the response sets none. */
export function refreshCookieOf(response: Response): string {
  const cookie = setCookies(response).find((value) => value.startsWith('refresh_token='));
  if (!cookie) throw new Error(`no refresh cookie in ${JSON.stringify(response.headers)}`);
  return cookie;
}

/** The `name=value` part of a Set-Cookie, as a browser sends it back. */
export function sentBack(setCookie: string): string {
  return setCookie.split(';')[0];
}

/**
 * Registers a fresh user and logs it in, in cookie transport: the login response, its access token, and the
 * refresh cookie as a browser sends it back.
 */
export async function registerAndLoginWithCookie(
  app: TestApp,
  prefix = 'cookie',
): Promise<{ email: string; login: Response; accessToken: string; cookie: string }> {
  const email = uniqueEmail(prefix);
  await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
  const login = await app
    .http()
    .post('/auth/login')
    .send({ email, password: PASSWORD })
    .expect(200);
  return {
    email,
    login,
    accessToken: login.body.accessToken as string,
    cookie: sentBack(refreshCookieOf(login)),
  };
}
