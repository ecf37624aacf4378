import type { Socket } from 'socket.io-client';
import type { Response } from 'supertest';
import { ask, connected, listen, socketClient } from './support/realtime-clients';
import {
  bearer,
  E2E_HTTP_ADAPTER,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/** Nest's error shape plus `code` (CONTRACT §4): exactly these four keys. */
function expectCode(response: Response, status: number, code: string): void {
  expect({ status: response.status, code: (response.body as { code?: unknown }).code }).toEqual({
    status,
    code,
  });
  expect(Object.keys(response.body as object).sort()).toEqual([
    'code',
    'error',
    'message',
    'statusCode',
  ]);
  expect((response.body as { statusCode: number }).statusCode).toBe(status);
}

/**
 * The `code` of each kind of refusal the reference server can produce (docs/errors.md), one request per code, over
 * real HTTP on this run's adapter; the same codes in GraphQL's `extensions.authCode` and socket.io acknowledgements.
 */
describe('error codes', () => {
  let app: TestApp;
  let baseUrl: string;
  const adminEmail = uniqueEmail('codes-admin');
  const ADMIN_PASSWORD = 'admin password 0123';
  let admin: LoggedIn;

  beforeAll(async () => {
    app = await startTestApp({
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD,
      REFRESH_REUSE_GRACE: '0',
      AUTH_REFRESH_TRANSPORT: 'both',
    });
    baseUrl = await listen(app.app);
    const login = await app
      .http()
      .post('/auth/login')
      .send({ email: adminEmail, password: ADMIN_PASSWORD })
      .expect(200);
    admin = { email: adminEmail, ...(login.body as Omit<LoggedIn, 'email'>) };
  });
  afterAll(() => app.close());

  describe('tokens and roles', () => {
    it('TOKEN_MISSING: no bearer token, with the bare challenge', async () => {
      const response = await app.http().get('/protected');
      expectCode(response, 401, 'TOKEN_MISSING');
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ message: 'Authentication required' });
    });

    it('TOKEN_INVALID: a malformed token, invalid_token', async () => {
      const response = await app
        .http()
        .get('/protected')
        .set(...bearer('not.a.token'));
      expectCode(response, 401, 'TOKEN_INVALID');
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(response.body).toMatchObject({ message: 'Invalid or expired token' });
    });

    it('TOKEN_EXPIRED: a token past its exp', async () => {
      const user = await registerAndLogin(app);
      app.clock.advanceSeconds(app.config.jwt.expiration);
      try {
        const response = await app
          .http()
          .get('/protected')
          .set(...bearer(user.accessToken));
        expectCode(response, 401, 'TOKEN_EXPIRED');
        expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      } finally {
        app.clock.advanceSeconds(-app.config.jwt.expiration);
      }
    });

    it('TOKEN_REVOKED: a token of a session logged out', async () => {
      const user = await registerAndLogin(app);
      await app
        .http()
        .post('/auth/logout')
        .set(...bearer(user.accessToken))
        .expect(204);
      const response = await app
        .http()
        .get('/protected')
        .set(...bearer(user.accessToken));
      expectCode(response, 401, 'TOKEN_REVOKED');
    });

    it('REFRESH_TOKEN_MISSING and REFRESH_TOKEN_REUSED on refresh', async () => {
      expectCode(await app.http().post('/auth/refresh').send({}), 401, 'REFRESH_TOKEN_MISSING');
      const user = await registerAndLogin(app);
      await app.http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      // Past the grace (0 s here) of the spent token.
      app.clock.advanceSeconds(1);
      const reused = await app
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: user.refreshToken });
      expectCode(reused, 401, 'REFRESH_TOKEN_REUSED');
      expect(reused.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('INSUFFICIENT_ROLE: signed in without the role, insufficient_scope', async () => {
      const user = await registerAndLogin(app);
      const response = await app
        .http()
        .get('/admin')
        .set(...bearer(user.accessToken));
      expectCode(response, 403, 'INSUFFICIENT_ROLE');
      expect(response.headers['www-authenticate']).toBe('Bearer error="insufficient_scope"');
    });

    it('CSRF_CHECK_FAILED: the refresh cookie without X-Requested-With or a trusted Origin', async () => {
      const response = await app
        .http()
        .post('/auth/refresh')
        .set('Cookie', 'refresh_token=anything');
      expectCode(response, 403, 'CSRF_CHECK_FAILED');
    });
  });

  describe('accounts', () => {
    it('INVALID_CREDENTIALS, then RATE_LIMITED with Retry-After after repeated failures', async () => {
      const user = await registerAndLogin(app);
      const wrong = () =>
        app.http().post('/auth/login').send({ email: user.email, password: 'not the password' });
      expectCode(await wrong(), 401, 'INVALID_CREDENTIALS');
      for (let attempt = 2; attempt <= 6; attempt += 1) await wrong().expect(401);

      const slowed = await wrong();
      expectCode(slowed, 429, 'RATE_LIMITED');
      expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('EMAIL_TAKEN: registering an address twice', async () => {
      const user = await registerAndLogin(app);
      const response = await app
        .http()
        .post('/auth/register')
        .send({ email: user.email, password: PASSWORD });
      expectCode(response, 409, 'EMAIL_TAKEN');
      expect(response.body).toMatchObject({ message: 'Email already registered' });
    });

    it('WRONG_CURRENT_PASSWORD: a password change with a wrong current password', async () => {
      const user = await registerAndLogin(app);
      const response = await app
        .http()
        .post('/auth/password')
        .set(...bearer(user.accessToken))
        .send({ currentPassword: 'not the password', newPassword: 'a brand new passphrase' });
      expectCode(response, 403, 'WRONG_CURRENT_PASSWORD');
    });

    it('ACCOUNT_DISABLED: the right password of a disabled account', async () => {
      const user = await registerAndLogin(app);
      const { sub } = JSON.parse(
        Buffer.from(user.accessToken.split('.')[1], 'base64url').toString(),
      ) as { sub: string };
      await app
        .http()
        .patch(`/auth/admin/users/${sub}`)
        .set(...bearer(admin.accessToken))
        .send({ disabled: true })
        .expect(200);
      const response = await app
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD });
      expectCode(response, 403, 'ACCOUNT_DISABLED');
    });

    it('USER_NOT_FOUND and SESSION_NOT_FOUND: unknown ids', async () => {
      expectCode(
        await app
          .http()
          .patch('/auth/admin/users/no-such-user')
          .set(...bearer(admin.accessToken))
          .send({ disabled: true }),
        404,
        'USER_NOT_FOUND',
      );
      expectCode(
        await app
          .http()
          .delete('/auth/sessions/no-such-session')
          .set(...bearer(admin.accessToken)),
        404,
        'SESSION_NOT_FOUND',
      );
    });

    it('INVALID_MAIL_TOKEN: a mail link token this server never sent', async () => {
      const response = await app.http().post('/auth/verify-email').send({ token: 'never-sent' });
      expectCode(response, 400, 'INVALID_MAIL_TOKEN');
      expect(response.body).toMatchObject({ message: 'Invalid or expired token' });
    });
  });

  describe('input', () => {
    it("VALIDATION_FAILED: the module's pipe (unknown field, wrong type, policy, depth)", async () => {
      const unknown = await app
        .http()
        .post('/auth/login')
        .send({ email: 'a@example.com', password: PASSWORD, admin: true });
      expectCode(unknown, 400, 'VALIDATION_FAILED');
      expect(unknown.body).toMatchObject({ message: ['property admin should not exist'] });

      expectCode(
        await app.http().post('/auth/refresh').send({ refreshToken: 42 }),
        400,
        'VALIDATION_FAILED',
      );
      expectCode(
        await app.http().post('/auth/register').send({ email: uniqueEmail(), password: 'short' }),
        400,
        'VALIDATION_FAILED',
      );
      let deep: unknown = 1;
      for (let level = 0; level < 40; level += 1) deep = [deep];
      expectCode(
        await app.http().post('/auth/login').send({ email: 'a@example.com', password: deep }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it("VALIDATION_FAILED: the reference server's HTTP layer (malformed JSON)", async () => {
      const response = await app
        .http()
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":');
      expectCode(response, 400, 'VALIDATION_FAILED');
    });

    it('PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE: the HTTP layer', async () => {
      expectCode(
        await app
          .http()
          .post('/auth/login')
          .send({ email: 'a@example.com', password: 'x'.repeat(17 * 1024) }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      expectCode(
        await app
          .http()
          .post('/auth/login')
          .set('Content-Type', 'text/plain')
          .send('email=a@example.com'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('NOT_FOUND: a route that does not exist', async () => {
      expectCode(await app.http().get('/no/such/route'), 404, 'NOT_FOUND');
    });

    it('URI_TOO_LONG on Fastify for a path parameter over its limit; Express reaches the 404', async () => {
      const response = await app
        .http()
        .delete(`/auth/sessions/${'x'.repeat(2000)}`)
        .set(...bearer(admin.accessToken));
      if (E2E_HTTP_ADAPTER === 'fastify') expectCode(response, 414, 'URI_TOO_LONG');
      else expectCode(response, 404, 'SESSION_NOT_FOUND');
    });
  });

  describe('GraphQL and socket.io', () => {
    const graphql = (query: string, token?: string) => {
      const post = app.http().post('/graphql').send({ query });
      return token === undefined ? post : post.set(...bearer(token));
    };
    const extensionsOf = (response: Response) =>
      ((response.body as { errors?: { extensions?: object }[] }).errors ?? []).map(
        (error) => error.extensions,
      );

    it('gives extensions.authCode beside Apollo code, in a 200', async () => {
      const user = await registerAndLogin(app);

      const anonymous = await graphql('{ me { id } }');
      const forbidden = await graphql('{ adminPing }', user.accessToken);

      expect(anonymous.status).toBe(200);
      expect(extensionsOf(anonymous)).toEqual([
        expect.objectContaining({ code: 'UNAUTHENTICATED', authCode: 'TOKEN_MISSING' }),
      ]);
      expect(forbidden.status).toBe(200);
      expect(extensionsOf(forbidden)).toEqual([
        expect.objectContaining({ code: 'FORBIDDEN', authCode: 'INSUFFICIENT_ROLE' }),
      ]);
    });

    it('acknowledges a refused socket.io event with { error: { code, message } }', async () => {
      const user = await registerAndLogin(app);
      const socket: Socket = await connected(socketClient(baseUrl, user.accessToken));
      try {
        expect(await ask(socket, 'reauth', { token: 'not.a.token' })).toEqual({
          error: { code: 'TOKEN_INVALID', message: 'Invalid or expired token' },
        });
      } finally {
        socket.disconnect();
      }
    });
  });
});

/** Limits and modes the main app does not turn on: the per-client throttle, required verification. */
describe('error codes of the limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '1', EMAIL_VERIFICATION: 'required' });
  });
  afterAll(() => app.close());

  it('EMAIL_NOT_VERIFIED, then RATE_LIMITED from the per-client throttle', async () => {
    const email = uniqueEmail();
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    const login = () => app.http().post('/auth/login').send({ email, password: PASSWORD });

    const unverified = await login();
    expectCode(unverified, 403, 'EMAIL_NOT_VERIFIED');
    expect(unverified.body).toMatchObject({ message: 'Email not verified' });

    const throttled = await login();
    expectCode(throttled, 429, 'RATE_LIMITED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });
});
