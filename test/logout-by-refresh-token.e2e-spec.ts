import type { Response } from 'supertest';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';
import { registerAndLoginWithCookie } from './support/cookies';

/**
 * docs/sessions.md: Behaviour in detail, Logout: a client whose access token has expired can still end its session with its
 * refresh token (body, or the cookie under the CSRF rule), scope `local` only; a spent, revoked, expired or foreign
 * refresh token answers 204 too and changes nothing. Before this, such a client got 401 and its cookie stayed live.
 */
const ACCESS_LIFETIME_SECONDS = 900;

describe('logout with a refresh token, in body transport', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const logout = (body: object, path = '/auth/logout') => app.http().post(path).send(body);
  const refreshes = async (refreshToken: string) =>
    (await app.http().post('/auth/refresh').send({ refreshToken })).status === 200;

  it('ends the session of the refresh token when the access token has expired: 204, and the session is gone', async () => {
    const user = await registerAndLogin(app);
    app.clock.advanceSeconds(ACCESS_LIFETIME_SECONDS + 1);
    await app
      .http()
      .get('/protected')
      .set(...bearer(user.accessToken))
      .expect(401);

    await logout({ refreshToken: user.refreshToken }).expect(204);

    expect(await refreshes(user.refreshToken)).toBe(false);
  });

  it('also with the expired access token still sent beside it', async () => {
    const user = await registerAndLogin(app);
    app.clock.advanceSeconds(ACCESS_LIFETIME_SECONDS + 1);

    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(user.accessToken))
      .send({ refreshToken: user.refreshToken })
      .expect(204);

    expect(await refreshes(user.refreshToken)).toBe(false);
  });

  it('ends that session only: another session of the user lives on', async () => {
    const email = uniqueEmail();
    const first = await registerAndLogin(app, email);
    const second = await app
      .http()
      .post('/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);

    await logout({ refreshToken: first.refreshToken }).expect(204);

    expect(await refreshes(first.refreshToken)).toBe(false);
    expect(await refreshes(second.body.refreshToken as string)).toBe(true);
  });

  it.each([
    [
      'a spent refresh token',
      async (app: TestApp) => {
        const user = await registerAndLogin(app);
        const rotated = await app
          .http()
          .post('/auth/refresh')
          .send({ refreshToken: user.refreshToken })
          .expect(200);
        return { presented: user.refreshToken, current: rotated.body.refreshToken as string };
      },
    ],
    [
      'garbage',
      async (app: TestApp) => {
        const user = await registerAndLogin(app);
        return { presented: 'not.a.token', current: user.refreshToken };
      },
    ],
    [
      'an access token in its place',
      async (app: TestApp) => {
        const user = await registerAndLogin(app);
        return { presented: user.accessToken, current: user.refreshToken };
      },
    ],
  ])('answers 204 to %s and changes nothing', async (_label, make) => {
    const { presented, current } = await make(app);
    app.clock.advanceSeconds(60);

    await logout({ refreshToken: presented }).expect(204);

    expect(await refreshes(current)).toBe(true);
  });

  it('refuses scope=global or others with a refresh token only (400): they need an access token', async () => {
    const user = await registerAndLogin(app);

    for (const scope of ['global', 'others']) {
      const response: Response = await logout(
        { refreshToken: user.refreshToken },
        `/auth/logout?scope=${scope}`,
      );
      expect([response.status, response.body.message]).toEqual([
        400,
        `scope=${scope} needs an access token; a refresh token ends its own session only`,
      ]);
    }
    expect(await refreshes(user.refreshToken)).toBe(true);
  });

  it('still answers 401 to a logout with neither token', async () => {
    const response = await app.http().post('/auth/logout');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });
});

describe('logout with the refresh cookie, in cookie transport', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ AUTH_REFRESH_TRANSPORT: 'cookie' });
  });
  afterAll(() => app.close());

  const loginWithCookie = () => registerAndLoginWithCookie(app, 'cookie-logout');

  it('ends the session and clears the cookie once the access token has expired', async () => {
    const { accessToken, cookie } = await loginWithCookie();
    app.clock.advanceSeconds(ACCESS_LIFETIME_SECONDS + 1);

    const response = await app
      .http()
      .post('/auth/logout')
      .set(...bearer(accessToken))
      .set('Cookie', cookie)
      .set('X-Requested-With', '1')
      .expect(204);

    expect([response.headers['set-cookie']].flat().join()).toMatch(/^refresh_token=;.*Max-Age=0/);
    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('X-Requested-With', '1')
      .expect(401);
  });

  it('keeps the CSRF rule: without X-Requested-With or a trusted Origin, 403 and the session lives', async () => {
    const { cookie } = await loginWithCookie();
    app.clock.advanceSeconds(ACCESS_LIFETIME_SECONDS + 1);

    await app.http().post('/auth/logout').set('Cookie', cookie).expect(403);

    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('X-Requested-With', '1')
      .expect(200);
  });
});
