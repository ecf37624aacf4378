import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, forgeJwt } from './support/jwt-forge';
import {
  bearer,
  PASSWORD,
  startTestApp,
  TEST_SECRETS,
  uniqueEmail,
  type TestApp,
  sql,
} from './support/test-app';

interface SignedIn {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

async function login(app: TestApp, email: string, password: string): Promise<SignedIn> {
  const response = await app.http().post('/auth/login').send({ email, password }).expect(200);
  const { accessToken, refreshToken } = response.body as SignedIn;
  return { id: decodeJwt(accessToken).payload.sub as string, email, accessToken, refreshToken };
}

async function registerAndSignIn(app: TestApp, email = uniqueEmail()): Promise<SignedIn> {
  const registered = await app
    .http()
    .post('/auth/register')
    .send({ email, password: PASSWORD })
    .expect(201);
  const signedIn = await login(app, email, PASSWORD);
  expect(signedIn.id).toBe(registered.body.id);
  return signedIn;
}

async function countUsers(app: TestApp, email: string): Promise<number> {
  const rows: { n: number }[] = await sql(
    app,
    'SELECT COUNT(*) AS n FROM auth_users WHERE email = ?',
    [email],
  );
  return Number(rows[0].n);
}

const ADMIN_PASSWORD = 'admin password 0123';

describe('example routes', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '1000' });
  });
  afterAll(() => app.close());

  describe('GET /public', () => {
    it('answers 200 { message } without a token', async () => {
      const response = await app.http().get('/public').expect(200);

      expect(Object.keys(response.body)).toEqual(['message']);
      expect(typeof response.body.message).toBe('string');
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('answers 200 with a token too', async () => {
      const user = await registerAndSignIn(app);

      await app
        .http()
        .get('/public')
        .set(...bearer(user.accessToken))
        .expect(200);
    });
  });

  describe('GET /protected', () => {
    it('answers 200 { message, user: { id, email, roles } } for a signed-in user', async () => {
      const user = await registerAndSignIn(app);
      const response = await app
        .http()
        .get('/protected')
        .set(...bearer(user.accessToken))
        .expect(200);

      expect(Object.keys(response.body).sort()).toEqual(['message', 'user']);
      expect(typeof response.body.message).toBe('string');
      expect(response.body.user).toEqual({ id: user.id, email: user.email, roles: ['user'] });
    });

    it('answers 401 with a bare `WWW-Authenticate: Bearer` without a token', async () => {
      const response = await app.http().get('/protected').expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });

    it.each([
      ['garbage', () => 'garbage'],
      ['three garbage segments', () => 'a.b.c'],
      [
        'a bad signature',
        () =>
          forgeJwt(
            { alg: 'HS256', typ: 'at+jwt' },
            claims({ roles: ['admin'] }),
            'not-the-secret-0123456789abcdefghijkl',
          ),
      ],
      ['alg none', () => forgeJwt({ alg: 'none', typ: 'at+jwt' }, claims({ roles: ['user'] }))],
      [
        'a wrong typ',
        () =>
          forgeJwt(
            { alg: 'HS256', typ: 'JWT' },
            claims({ roles: ['user'] }),
            TEST_SECRETS.JWT_SECRET,
          ),
      ],
      [
        'a wrong audience',
        () =>
          forgeJwt(
            { alg: 'HS256', typ: 'at+jwt' },
            claims({ roles: ['user'], aud: 'someone-else' }),
            TEST_SECRETS.JWT_SECRET,
          ),
      ],
    ])('answers 401 `Bearer error="invalid_token"` with %s as token', async (_case, token) => {
      const response = await app
        .http()
        .get('/protected')
        .set(...bearer(token()))
        .expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('accepts a token built with the right key and claims (the control of the cases above)', async () => {
      const token = forgeJwt(
        { alg: 'HS256', typ: 'at+jwt' },
        claims({ roles: ['user'] }),
        TEST_SECRETS.JWT_SECRET,
      );

      const response = await app
        .http()
        .get('/protected')
        .set(...bearer(token))
        .expect(200);
      expect(response.body.user.email).toBe('forged@example.com');
    });

    it('answers 401 `Bearer error="invalid_token"` to a refresh token', async () => {
      const user = await registerAndSignIn(app);
      const response = await app
        .http()
        .get('/protected')
        .set(...bearer(user.refreshToken))
        .expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('answers 401 `Bearer error="invalid_token"` to an expired access token', async () => {
      const user = await registerAndSignIn(app);
      await app
        .http()
        .get('/protected')
        .set(...bearer(user.accessToken))
        .expect(200);

      app.clock.advanceSeconds(900 + 31);
      const response = await app
        .http()
        .get('/protected')
        .set(...bearer(user.accessToken))
        .expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    /** Claims that would be valid but for what the case changes. */
    function claims(overrides: Record<string, unknown>): Record<string, unknown> {
      const now = Math.floor(app.clock.now() / 1000);
      return {
        iss: 'nest-auth',
        aud: 'nest-auth',
        sub: '00000000-0000-4000-8000-000000000000',
        sid: '00000000-0000-4000-8000-000000000001',
        jti: '00000000-0000-4000-8000-000000000002',
        email: 'forged@example.com',
        iat: now,
        exp: now + 900,
        ...overrides,
      };
    }
  });

  describe('GET /admin', () => {
    it('answers 403 with `WWW-Authenticate: Bearer error="insufficient_scope"` to a normal user', async () => {
      const user = await registerAndSignIn(app);
      const response = await app
        .http()
        .get('/admin')
        .set(...bearer(user.accessToken))
        .expect(403);

      expect(response.headers['www-authenticate']).toBe('Bearer error="insufficient_scope"');
      expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    });

    it('answers 401 with a bare `WWW-Authenticate: Bearer` without a token', async () => {
      const response = await app.http().get('/admin').expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer');
    });
  });
});

describe('admin seeding from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  const adminEmail = uniqueEmail('admin');
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD,
      THROTTLE_AUTH_LIMIT: '1000',
    });
  });
  afterAll(() => app.close());

  it('creates the admin at boot: it logs in and GET /admin answers 200', async () => {
    const admin = await login(app, adminEmail, ADMIN_PASSWORD);

    const response = await app
      .http()
      .get('/admin')
      .set(...bearer(admin.accessToken))
      .expect(200);
    expect(response.body.user).toMatchObject({ id: admin.id, email: adminEmail });
    expect(response.body.user.roles).toContain('admin');
  });

  it('gives the admin the roles user and admin', async () => {
    const admin = await login(app, adminEmail, ADMIN_PASSWORD);

    const me = await app
      .http()
      .get('/auth/me')
      .set(...bearer(admin.accessToken))
      .expect(200);
    expect([...(me.body.roles as string[])].sort()).toEqual(['admin', 'user']);
  });

  it('lets the admin reach the routes of any signed-in user', async () => {
    const admin = await login(app, adminEmail, ADMIN_PASSWORD);

    await app
      .http()
      .get('/protected')
      .set(...bearer(admin.accessToken))
      .expect(200);
  });

  it('answers 409 to a registration of the admin email', async () => {
    await app
      .http()
      .post('/auth/register')
      .send({ email: adminEmail.toUpperCase(), password: PASSWORD })
      .expect(409);
  });
});

describe('admin seeding across restarts on one SQLite file', () => {
  let dir: string;
  let app: TestApp | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nest-auth-seed-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the app on `file` in the temporary directory, closing the previous one first. */
  async function boot(file: string, env: Record<string, string> = {}): Promise<TestApp> {
    await app?.close();
    app = await startTestApp({
      DATABASE_URL: `sqlite:${join(dir, file)}`,
      THROTTLE_AUTH_LIMIT: '1000',
      ...env,
    });
    return app;
  }

  it('is idempotent: the same single admin, with the same id and roles, after a restart', async () => {
    const email = uniqueEmail('admin');
    const env = { ADMIN_EMAIL: email, ADMIN_PASSWORD };

    const first = await boot('idempotent.sqlite', env);
    const before = await login(first, email, ADMIN_PASSWORD);
    expect(await countUsers(first, email)).toBe(1);

    const second = await boot('idempotent.sqlite', env);
    const after = await login(second, email, ADMIN_PASSWORD);
    const me = await second
      .http()
      .get('/auth/me')
      .set(...bearer(after.accessToken))
      .expect(200);

    expect(after.id).toBe(before.id);
    expect([...(me.body.roles as string[])].sort()).toEqual(['admin', 'user']);
    expect(await countUsers(second, email)).toBe(1);
    await second
      .http()
      .get('/admin')
      .set(...bearer(after.accessToken))
      .expect(200);
  });

  it('keeps a password changed through the API across a restart', async () => {
    const email = uniqueEmail('admin');
    const env = { ADMIN_EMAIL: email, ADMIN_PASSWORD };
    const changed = 'a changed admin password';

    const first = await boot('changed.sqlite', env);
    const admin = await login(first, email, ADMIN_PASSWORD);
    await first
      .http()
      .post('/auth/password')
      .set(...bearer(admin.accessToken))
      .send({ currentPassword: ADMIN_PASSWORD, newPassword: changed })
      .expect(204);

    const second = await boot('changed.sqlite', env);
    await login(second, email, changed);
    await second.http().post('/auth/login').send({ email, password: ADMIN_PASSWORD }).expect(401);
  });

  it('adds the role admin to an existing normal user whose password is ADMIN_PASSWORD, at the next boot', async () => {
    const email = uniqueEmail('promoted');

    const first = await boot('promote.sqlite');
    const user = await registerAndSignIn(first, email);
    await first
      .http()
      .get('/admin')
      .set(...bearer(user.accessToken))
      .expect(403);

    // Named in another case and with spaces: the same user.
    const second = await boot('promote.sqlite', {
      ADMIN_EMAIL: `  ${email.toUpperCase()} `,
      ADMIN_PASSWORD: PASSWORD,
    });
    const promoted = await login(second, email, PASSWORD);
    expect(promoted.id).toBe(user.id);
    const response = await second
      .http()
      .get('/admin')
      .set(...bearer(promoted.accessToken))
      .expect(200);
    expect([...(response.body.user.roles as string[])].sort()).toEqual(['admin', 'user']);
    expect(await countUsers(second, email)).toBe(1);
  });

  it('never makes admin an existing account whose password is not ADMIN_PASSWORD (a squatted address)', async () => {
    const email = uniqueEmail('squatted');

    const first = await boot('squat.sqlite');
    // Someone registered the address, with their own password, before the operator named it.
    await registerAndSignIn(first, email);

    const second = await boot('squat.sqlite', { ADMIN_EMAIL: email, ADMIN_PASSWORD });
    const squatter = await login(second, email, PASSWORD);
    await second
      .http()
      .get('/admin')
      .set(...bearer(squatter.accessToken))
      .expect(403);
    const me = await second
      .http()
      .get('/auth/me')
      .set(...bearer(squatter.accessToken))
      .expect(200);
    expect(me.body.roles).toEqual(['user']);
    await second.http().post('/auth/login').send({ email, password: ADMIN_PASSWORD }).expect(401);
    expect(await countUsers(second, email)).toBe(1);
  });
});
