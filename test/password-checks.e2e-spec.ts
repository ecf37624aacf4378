import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/**
 * docs/security.md, "Every check of a password shares login's budget": the routes that check the caller's current
 * password (`POST /auth/password`, `DELETE /auth/account`, `POST /auth/email`) count a wrong one as a failed login
 * of the account, wait as login waits, and are limited per client as login is: an access token is no unlimited
 * oracle for its user's password.
 */
type Pending = ReturnType<ReturnType<TestApp['http']>['post']>;
type Check = (app: TestApp, user: LoggedIn, currentPassword: string) => Pending;

const CHECKS: [string, Check][] = [
  [
    'POST /auth/password',
    (app, user, currentPassword) =>
      app
        .http()
        .post('/auth/password')
        .set(...bearer(user.accessToken))
        .send({ currentPassword, newPassword: 'a brand new passphrase' }),
  ],
  [
    'DELETE /auth/account',
    (app, user, currentPassword) =>
      app
        .http()
        .delete('/auth/account')
        .set(...bearer(user.accessToken))
        .send({ currentPassword }),
  ],
  [
    'POST /auth/email',
    (app, user, currentPassword) =>
      app
        .http()
        .post('/auth/email')
        .set(...bearer(user.accessToken))
        .send({ newEmail: uniqueEmail('moved'), currentPassword }),
  ],
];

const RATE_LIMITED_BODY = {
  statusCode: 429,
  message: 'Too many failed logins for this account; try again later',
  error: 'Too Many Requests',
  code: 'RATE_LIMITED',
};

describe('the per-account slowdown of failed logins, on every check of a password', () => {
  let app: TestApp;
  beforeAll(async () => {
    // No per-client limit: the account's own counter is what is tested.
    app = await startTestApp({ EMAIL_VERIFICATION: 'off' });
  });
  afterAll(() => app.close());

  const login = (email: string, password: string) =>
    app.http().post('/auth/login').send({ email, password });

  describe.each(CHECKS)('%s', (_route, check) => {
    it('lets five wrong passwords through (403), then makes the account wait: even the right one gets 429', async () => {
      const user = await registerAndLogin(app);
      for (let failure = 0; failure < 6; failure += 1) {
        await check(app, user, 'not my password').expect(403);
      }

      const waiting = await check(app, user, PASSWORD);

      expect(waiting.status).toBe(429);
      expect(waiting.headers['retry-after']).toBe('1');
      expect(waiting.body).toEqual(RATE_LIMITED_BODY);
      // The same budget as login's: signing in waits too.
      await login(user.email, PASSWORD).expect(429);
      app.clock.advanceSeconds(1);
      expect((await check(app, user, PASSWORD)).status).toBeLessThan(300);
    });

    it('shares one budget with login: failed logins and wrong current passwords add up', async () => {
      const user = await registerAndLogin(app);
      for (let failure = 0; failure < 3; failure += 1) {
        await login(user.email, 'not my password').expect(401);
      }
      for (let failure = 0; failure < 3; failure += 1) {
        await check(app, user, 'not my password').expect(403);
      }

      await check(app, user, PASSWORD).expect(429);
      await login(user.email, PASSWORD).expect(429);
      app.clock.advanceSeconds(1);
      await login(user.email, PASSWORD).expect(200);
    });
  });
});

describe('the per-client limit of login, on every check of a password', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      THROTTLE_AUTH_LIMIT: '4',
      THROTTLE_AUTH_TTL: '60',
      EMAIL_VERIFICATION: 'off',
    });
  });
  afterAll(() => app.close());

  it.each(CHECKS)(
    '%s answers 429 with Retry-After past the limit, before the account’s own slowdown',
    async (_route, check) => {
      const user = await registerAndLogin(app);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        statuses.push((await check(app, user, 'not my password')).status);
      }
      const limited = await check(app, user, PASSWORD);

      expect(statuses).toEqual([403, 403, 403, 403, 429]);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      // A fresh window for the next route's register and login.
      app.clock.advanceSeconds(61);
    },
  );
});
