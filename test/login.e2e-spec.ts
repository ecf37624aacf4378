import * as jwt from 'jsonwebtoken';
import { decodeJwt } from './support/jwt-forge';
import {
  bearer,
  PASSWORD,
  startTestApp,
  TEST_SECRETS,
  uniqueEmail,
  type TestApp,
} from './support/test-app';

describe('POST /auth/login', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Many logins from one client: keep the rate limits (docs/operations.md: Abuse limits) out of the way.
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '1000' });
  });
  afterAll(() => app.close());

  const login = (email: string, password: string) =>
    app.http().post('/auth/login').send({ email, password });

  /** Registers a fresh user; returns its email and id. */
  async function newUser(password = PASSWORD): Promise<{ email: string; id: string }> {
    const email = uniqueEmail();
    const response = await app.http().post('/auth/register').send({ email, password }).expect(201);
    return { email, id: response.body.id as string };
  }

  describe('with the right credentials', () => {
    it('answers 200 with exactly { accessToken, refreshToken, tokenType, expiresIn, refreshExpiresIn }', async () => {
      const user = await newUser();
      const response = await login(user.email, PASSWORD).expect(200);

      expect(Object.keys(response.body).sort()).toEqual([
        'accessToken',
        'expiresIn',
        'refreshExpiresIn',
        'refreshToken',
        'tokenType',
      ]);
      expect(response.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshExpiresIn: 604800,
      });
      expect(typeof response.body.accessToken).toBe('string');
      expect(typeof response.body.refreshToken).toBe('string');
    });

    it('sends Cache-Control: no-store', async () => {
      const user = await newUser();
      const response = await login(user.email, PASSWORD).expect(200);

      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('issues an access token typed at+jwt with iss, aud, sub, sid, jti, iat, exp and roles', async () => {
      const user = await newUser();
      const now = Math.floor(app.clock.now() / 1000);
      const response = await login(user.email, PASSWORD).expect(200);
      const { header, payload } = decodeJwt(response.body.accessToken);

      expect(header).toMatchObject({ typ: 'at+jwt', alg: 'HS256' });
      expect(payload).toMatchObject({
        iss: 'nest-auth',
        aud: 'nest-auth',
        sub: user.id,
        roles: ['user'],
        iat: now,
        exp: now + 900,
      });
      expect(payload.sid).toEqual(expect.any(String));
      expect(payload.jti).toEqual(expect.any(String));
    });

    it('signs the access token with JWT_SECRET', async () => {
      const user = await newUser();
      const response = await login(user.email, PASSWORD).expect(200);
      const verify = (secret: string) =>
        jwt.verify(response.body.accessToken, secret, {
          algorithms: ['HS256'],
          clockTimestamp: Math.floor(app.clock.now() / 1000),
        });

      expect(verify(TEST_SECRETS.JWT_SECRET)).toMatchObject({ sub: user.id });
      expect(() => verify(TEST_SECRETS.JWT_REFRESH_SECRET)).toThrow();
    });

    it('issues a refresh token typed refresh+jwt, of the same session, signed with JWT_REFRESH_SECRET', async () => {
      const user = await newUser();
      const now = Math.floor(app.clock.now() / 1000);
      const response = await login(user.email, PASSWORD).expect(200);
      const access = decodeJwt(response.body.accessToken);
      const refresh = decodeJwt(response.body.refreshToken);

      expect(refresh.header).toMatchObject({ typ: 'refresh+jwt', alg: 'HS256' });
      expect(refresh.payload).toMatchObject({
        iss: 'nest-auth',
        aud: 'nest-auth',
        sub: user.id,
        sid: access.payload.sid,
        iat: now,
        exp: now + 604800,
      });
      expect(refresh.payload.jti).toEqual(expect.any(String));
      expect(refresh.payload.jti).not.toBe(access.payload.jti);
      expect(() =>
        jwt.verify(response.body.refreshToken, TEST_SECRETS.JWT_REFRESH_SECRET, {
          algorithms: ['HS256'],
          clockTimestamp: now,
        }),
      ).not.toThrow();
    });

    it('starts a new session at each login, with unique token ids', async () => {
      const user = await newUser();
      const first = await login(user.email, PASSWORD).expect(200);
      const second = await login(user.email, PASSWORD).expect(200);
      const a = decodeJwt(first.body.accessToken).payload;
      const b = decodeJwt(second.body.accessToken).payload;

      expect(a.sid).not.toBe(b.sid);
      expect(a.jti).not.toBe(b.jti);
      expect(decodeJwt(first.body.refreshToken).payload.jti).not.toBe(
        decodeJwt(second.body.refreshToken).payload.jti,
      );
    });

    it('issues an access token that opens a protected route as that user', async () => {
      const user = await newUser();
      const response = await login(user.email, PASSWORD).expect(200);

      const me = await app
        .http()
        .get('/auth/me')
        .set(...bearer(response.body.accessToken))
        .expect(200);
      expect(me.body).toMatchObject({ id: user.id, email: user.email });
    });

    it.each([
      ['upper case', (email: string) => email.toUpperCase()],
      ['surrounding spaces', (email: string) => `  ${email} `],
      ['mixed case and spaces', (email: string) => ` ${email[0].toUpperCase()}${email.slice(1)}`],
    ])('accepts the email in another form (%s)', async (_form, vary) => {
      const user = await newUser();
      const response = await login(vary(user.email), PASSWORD).expect(200);

      expect(decodeJwt(response.body.accessToken).payload.sub).toBe(user.id);
    });
  });

  describe('session record', () => {
    it('records the user agent and the IP of the login', async () => {
      const user = await newUser();
      const response = await app
        .http()
        .post('/auth/login')
        .set('User-Agent', 'LoginSpec/1.0 (e2e)')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
      const sid = decodeJwt(response.body.accessToken).payload.sid;

      const sessions = await app
        .http()
        .get('/auth/sessions')
        .set(...bearer(response.body.accessToken))
        .expect(200);
      expect(sessions.body).toHaveLength(1);
      expect(sessions.body[0]).toMatchObject({
        id: sid,
        userAgent: 'LoginSpec/1.0 (e2e)',
        current: true,
      });
      expect(sessions.body[0].ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    });

    it('lists one session per login', async () => {
      const user = await newUser();
      await app
        .http()
        .post('/auth/login')
        .set('User-Agent', 'first-device')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
      const second = await app
        .http()
        .post('/auth/login')
        .set('User-Agent', 'second-device')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);

      const sessions = await app
        .http()
        .get('/auth/sessions')
        .set(...bearer(second.body.accessToken))
        .expect(200);
      const agents = (sessions.body as { userAgent: string }[]).map((s) => s.userAgent).sort();
      expect(agents).toEqual(['first-device', 'second-device']);
    });
  });

  describe('with wrong credentials', () => {
    it('answers 401 Invalid credentials for an unknown email', async () => {
      const response = await login(uniqueEmail('nobody'), PASSWORD).expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        message: 'Invalid credentials',
        error: 'Unauthorized',
        code: 'INVALID_CREDENTIALS',
      });
    });

    it('answers 401 Invalid credentials for a wrong password', async () => {
      const user = await newUser();
      const response = await login(user.email, `${PASSWORD}!`).expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        message: 'Invalid credentials',
        error: 'Unauthorized',
        code: 'INVALID_CREDENTIALS',
      });
    });

    it('answers an unknown email and a wrong password with byte-identical bodies', async () => {
      const user = await newUser();
      const unknown = await login(uniqueEmail('nobody'), PASSWORD).expect(401);
      const wrong = await login(user.email, 'wrong password').expect(401);

      expect(wrong.text).toBe(unknown.text);
      expect(wrong.headers['content-type']).toBe(unknown.headers['content-type']);
      expect(wrong.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
    });

    it('refuses a password that differs only in case', async () => {
      const user = await newUser();

      await login(user.email, PASSWORD.toUpperCase()).expect(401);
    });

    it('refuses a password whose first 72 bytes are the real password, followed by more', async () => {
      const password = 'p'.repeat(72);
      const user = await newUser(password);

      await login(user.email, password).expect(200);
      await login(user.email, `${password}x`).expect(401);
      await login(user.email, `${password}${'y'.repeat(100)}`).expect(401);
    });

    it('refuses a password that matches the real one up to a NUL character', async () => {
      const user = await newUser('zebrafish47');

      await login(user.email, 'zebrafish47\u0000extra').expect(401);
    });

    it('refuses an email holding a NUL character like any unknown email', async () => {
      const user = await newUser();

      const response = await login(`${user.email}\u0000`, PASSWORD).expect(401);
      expect(response.body.message).toBe('Invalid credentials');
    });

    it('starts no session on a failed login', async () => {
      const user = await newUser();
      await login(user.email, 'wrong password').expect(401);
      const ok = await login(user.email, PASSWORD).expect(200);

      const sessions = await app
        .http()
        .get('/auth/sessions')
        .set(...bearer(ok.body.accessToken))
        .expect(200);
      expect(sessions.body).toHaveLength(1);
    });

    it('carries no token on a 401', async () => {
      const user = await newUser();
      const response = await login(user.email, 'wrong password').expect(401);

      expect(response.body).not.toHaveProperty('accessToken');
      expect(response.body).not.toHaveProperty('refreshToken');
    });
  });
});
