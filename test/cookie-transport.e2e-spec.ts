import type { Response } from 'supertest';
import {
  bearer,
  E2E_HTTP_ADAPTER,
  PASSWORD,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';
import { claimsOf } from './support/mail-env';
import {
  refreshCookieOf,
  registerAndLoginWithCookie,
  sentBack,
  setCookies,
} from './support/cookies';

const NO_THROTTLE = { THROTTLE_AUTH_LIMIT: '100000' };
const APP_ORIGIN = 'https://app.example.com';

describe('cookie transport (AUTH_REFRESH_TRANSPORT=cookie)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      ...NO_THROTTLE,
      AUTH_REFRESH_TRANSPORT: 'cookie',
      CORS_ORIGINS: APP_ORIGIN,
    });
  });
  afterAll(() => app.close());

  it('sets the refresh token as an HttpOnly, SameSite=Strict cookie limited to /auth, and keeps it out of the body', async () => {
    const { login } = await registerAndLoginWithCookie(app);
    const cookie = refreshCookieOf(login);

    expect(cookie).toMatch(/^refresh_token=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/auth');
    expect(cookie).toContain('Max-Age=604800');
    expect(cookie).not.toContain('Secure'); // COOKIE_SECURE defaults to false outside production
    expect(login.body.refreshToken).toBeUndefined();
    expect(login.body.accessToken).toEqual(expect.any(String));
    expect(login.headers['cache-control']).toBe('no-store');
  });

  it.each(['/AUTH/LOGIN', '/auth/login/', '/Auth/Login/'])(
    'scopes the cookie to the configured prefix, not to the URL as spelled (%s)',
    async (spelling) => {
      const email = uniqueEmail('cookie-path');
      await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
      const login = await app.http().post(spelling).send({ email, password: PASSWORD });

      // Express routes these spellings to the login handler (case-insensitive, non-strict routing); Fastify
      // does not route them at all. Wherever one is routed, the cookie must reach /auth/refresh.
      if (E2E_HTTP_ADAPTER === 'express') expect(login.status).toBe(200);
      if (login.status !== 200) return expect(login.status).toBe(404);
      const cookie = refreshCookieOf(login);
      expect(cookie).toMatch(/; Path=\/auth;/);
      await app
        .http()
        .post('/auth/refresh')
        .set('Cookie', sentBack(cookie))
        .set('X-Requested-With', '1')
        .expect(200);
    },
  );

  it('refreshes from the cookie alone, with X-Requested-With, and rotates the cookie', async () => {
    const { cookie } = await registerAndLoginWithCookie(app);

    const refreshed = await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'XMLHttpRequest')
      .expect(200);

    const rotated = sentBack(refreshCookieOf(refreshed));
    expect(rotated).not.toBe(cookie);
    expect(refreshed.body.refreshToken).toBeUndefined();
    await app
      .http()
      .get('/protected')
      .set(...bearer(refreshed.body.accessToken))
      .expect(200);
  });

  it('refuses a request that presents the cookie without X-Requested-With or a trusted Origin (403)', async () => {
    const { cookie } = await registerAndLoginWithCookie(app);

    const refused = await app.http().post('/auth/refresh').set('Cookie', cookie).expect(403);
    expect(refused.body.statusCode).toBe(403);
    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example.com')
      .expect(403);
    // The refused requests did not spend the token.
    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('X-Requested-With', '1')
      .expect(200);
  });

  it('accepts the cookie from an Origin listed in CORS_ORIGINS without X-Requested-With', async () => {
    const { cookie } = await registerAndLoginWithCookie(app);

    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('Origin', APP_ORIGIN)
      .expect(200);
  });

  it('answers CORS preflights of a listed origin with credentials allowed', async () => {
    const preflight = await app
      .http()
      .options('/auth/refresh')
      .set('Origin', APP_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-requested-with,content-type');

    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
  });

  it('treats a reused cookie after the grace as theft', async () => {
    const { cookie } = await registerAndLoginWithCookie(app);
    const first = await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('X-Requested-With', '1');
    expect(first.status).toBe(200);
    app.clock.advanceSeconds(11);

    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('X-Requested-With', '1')
      .expect(401);
    const successor = sentBack(refreshCookieOf(first));
    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', successor)
      .set('X-Requested-With', '1')
      .expect(401);
  });

  describe('planted cookies (docs/sessions.md: Browser clients)', () => {
    const refresh = (cookieHeader: string) =>
      app.http().post('/auth/refresh').set('Cookie', cookieHeader).set('X-Requested-With', '1');
    /** A refresh token of the right shape signed with another key: a sibling app's, say. */
    const foreign =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6InJlZnJlc2grand0In0.eyJzdWIiOiJ4In0.c2lnbmVkLWVsc2V3aGVyZS1zaWduZWQtZWxzZXdoZXJl';

    it.each([
      ['garbage', () => 'refresh_token=garbage'],
      ['a token signed elsewhere', () => `refresh_token=${foreign}`],
      ['an empty value', () => 'refresh_token='],
    ])('uses the valid cookie beside %s, in either order', async (_label, planted) => {
      for (const order of ['planted first', 'planted last']) {
        const { cookie } = await registerAndLoginWithCookie(app);
        const header =
          order === 'planted first' ? `${planted()}; ${cookie}` : `${cookie}; ${planted()}`;

        const response = await refresh(header);

        expect([order, response.status]).toEqual([order, 200]);
      }
    });

    it('does not take a planted spent token beside the current one for theft, after the grace', async () => {
      const { cookie: spent } = await registerAndLoginWithCookie(app);
      // A refresh follows its login by more than a second (`iat` has one-second steps; see chooseRefreshCookie).
      app.clock.advanceSeconds(1);
      const first = await refresh(spent).expect(200);
      const current = sentBack(refreshCookieOf(first));
      app.clock.advanceSeconds(11);

      const response = await refresh(`${spent}; ${current}`);

      expect(response.status).toBe(200);
      // The session lives on: its newest token refreshes again.
      await refresh(sentBack(refreshCookieOf(response))).expect(200);
    });

    describe('a spent token and its successor issued within the same second (CONTRACT 4.9)', () => {
      /** A login and refreshes in one second of the clock: the chain's tokens, oldest first, all of one `iat`. */
      async function chainInOneSecond(length: number): Promise<string[]> {
        const { cookie } = await registerAndLoginWithCookie(app);
        const chain = [cookie];
        while (chain.length < length) {
          const rotated = await refresh(chain[chain.length - 1]).expect(200);
          chain.push(sentBack(refreshCookieOf(rotated)));
        }
        const iats = chain.map((value) => claimsOf(value.slice('refresh_token='.length)).iat);
        expect(new Set(iats).size).toBe(1);
        return chain;
      }

      it.each([
        ['spent first', (spent: string, current: string) => `${spent}; ${current}`],
        ['successor first', (spent: string, current: string) => `${current}; ${spent}`],
      ])('refreshes with the successor, %s, after the grace: no reuse', async (_order, header) => {
        const [, spent, current] = await chainInOneSecond(3);
        app.clock.advanceSeconds(11);

        const response = await refresh(header(spent, current));

        expect(response.status).toBe(200);
        // The session lives on: what it answered was a rotation of the current token.
        await refresh(sentBack(refreshCookieOf(response))).expect(200);
      });

      it('logs out with the successor beside a spent token of the same second', async () => {
        const [spent, current] = await chainInOneSecond(2);
        app.clock.advanceSeconds(11);

        await app
          .http()
          .post('/auth/logout')
          .set('Cookie', `${spent}; ${current}`)
          .set('X-Requested-With', '1')
          .expect(204);

        await refresh(current).expect(401);
      });
    });

    it('still refuses a spent token presented alone after the grace (theft)', async () => {
      const { cookie: spent } = await registerAndLoginWithCookie(app);
      await refresh(spent).expect(200);
      app.clock.advanceSeconds(11);

      await refresh(`${spent}; refresh_token=garbage`).expect(401);
    });
  });

  it('clears the cookie on logout', async () => {
    const { login, cookie } = await registerAndLoginWithCookie(app);

    const logout = await app
      .http()
      .post('/auth/logout')
      .set(...bearer(login.body.accessToken))
      .set('Cookie', cookie)
      .set('X-Requested-With', '1')
      .expect(204);

    const cleared = refreshCookieOf(logout);
    expect(cleared).toMatch(/^refresh_token=;/);
    expect(cleared).toContain('Max-Age=0');
    expect(cleared).toContain('Path=/auth');
    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', cookie)
      .set('X-Requested-With', '1')
      .expect(401);
  });
});

describe('cookie transport with COOKIE_SECURE=true', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      ...NO_THROTTLE,
      AUTH_REFRESH_TRANSPORT: 'cookie',
      COOKIE_SECURE: 'true',
    });
  });
  afterAll(() => app.close());

  it('marks the cookie Secure', async () => {
    const { login } = await registerAndLoginWithCookie(app);
    expect(refreshCookieOf(login)).toMatch(/; Secure$|; Secure;/);
  });
});

describe('both transports (AUTH_REFRESH_TRANSPORT=both)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ...NO_THROTTLE, AUTH_REFRESH_TRANSPORT: 'both' });
  });
  afterAll(() => app.close());

  it('puts the same refresh token in the body and in the cookie', async () => {
    const { login, cookie } = await registerAndLoginWithCookie(app);
    expect(cookie).toBe(`refresh_token=${login.body.refreshToken}`);
  });

  it('refreshes from the body as well as from the cookie', async () => {
    const { login } = await registerAndLoginWithCookie(app);
    const fromBody = await app
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(200);
    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', sentBack(refreshCookieOf(fromBody)))
      .set('X-Requested-With', '1')
      .expect(200);
  });
});

describe('body transport (the default)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(NO_THROTTLE);
  });
  afterAll(() => app.close());

  it('sets no cookie and ignores one sent', async () => {
    const email = uniqueEmail('body');
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    const login = await app
      .http()
      .post('/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);

    expect(setCookies(login)).toEqual([]);
    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', `refresh_token=${login.body.refreshToken}`)
      .expect(401);
  });
});
