import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  type ExecutionContext,
  HttpException,
  type HttpServer,
} from '@nestjs/common';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import {
  AccessTokenGuard,
  type AuthEvent,
  type AuthEventOf,
  type AuthEventType,
  AuthEvents,
  AuthService,
  type AuthUser,
  SESSION_STORE,
  USER_STORE,
} from '../src/auth';
import { SessionEntity, UserEntity } from '../src/auth/adapters/typeorm';
import { PasswordService } from '../src/auth/settings';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { InMemoryUserStore } from '../src/auth/testing/in-memory-user.store';
import { type HostApp, startHostApp, STRICT_HOST_PIPES } from './host-app/start-host-app';

/**
 * docs/host-guide.md: Use it in your Nest app: the module in a host app, used only through its public entry (`src/auth`), with the host's own
 * stores, another route prefix, route groups and the global guard turned off, and typed events.
 */

const PASSWORD = 'correct horse battery';
const INVALID_TOKEN = 'Bearer error="invalid_token"';
const INSUFFICIENT_SCOPE = 'Bearer error="insufficient_scope"';
/** supertest connects over loopback: IPv4, or IPv4-mapped IPv6 on Express. */
const LOOPBACK = expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/);

let counter = 0;
function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}@example.com`;
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  refreshExpiresIn: number;
}

function bearer(token: string): [string, string] {
  return ['Authorization', `Bearer ${token}`];
}

function claimsOf(token: string): { sub: string; sid: string; jti: string; iat: number } {
  const payload = token.split('.')[1];
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    sub: string;
    sid: string;
    jti: string;
    iat: number;
  };
}

function expectChallenge(response: Response, status: number, challenge: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['www-authenticate']).toBe(challenge);
}

/**
 * docs/host-guide.md: Use it in your Nest app, Errors: the module installs no global filter, so a host route's own errors are
 * answered as the host (here: Nest's defaults) answers them, whatever they look like.
 */
function itLeavesTheHostsOwnErrorsAlone(current: () => HostApp): void {
  it("answers a host route whose own call is refused (ECONNREFUSED) with Nest's 500, not the module's 503", async () => {
    const response = await current().http().get('/own-errors/upstream-refused');

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    expect(response.headers['retry-after']).toBeUndefined();
  });

  it("adds no WWW-Authenticate to the host's own UnauthorizedException", async () => {
    const response = await current().http().get('/own-errors/unauthorized');

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      message: 'Sign in to the partner site first',
      error: 'Unauthorized',
    });
    expect(response.headers['www-authenticate']).toBeUndefined();
  });
}

const EVENT_TYPES: AuthEventType[] = [
  'user.registered',
  'login.succeeded',
  'login.failed',
  'session.revoked',
  'refresh_token.reused',
  'password.changed',
];

/** Subscribes, as a host would, to every event of the module; returns what has been heard so far. */
function listen(app: HostApp): <T extends AuthEventType>(type: T) => AuthEventOf<T>[] {
  const heard: AuthEvent[] = [];
  const events = app.app.get(AuthEvents);
  for (const type of EVENT_TYPES) events.on(type, (event) => void heard.push(event));
  return <T extends AuthEventType>(type: T) =>
    heard.filter((event): event is AuthEventOf<T> => event.type === type);
}

describe('a host app with its own user store, TypeORM sessions and routes under /identity', () => {
  let host: HostApp;
  let heard: ReturnType<typeof listen>;
  let users: InMemoryUserStore;

  beforeAll(async () => {
    host = await startHostApp('custom-users');
    heard = listen(host);
    users = host.app.get(InMemoryUserStore);
  });
  afterAll(() => host.close());

  async function register(email = uniqueEmail()): Promise<{ id: string; email: string }> {
    const response = await host
      .http()
      .post('/identity/register')
      .send({ email, password: PASSWORD })
      .expect(201);
    return response.body as { id: string; email: string };
  }

  async function login(email: string): Promise<TokenPair> {
    const response = await host
      .http()
      .post('/identity/login')
      .send({ email, password: PASSWORD })
      .expect(200);
    return response.body as TokenPair;
  }

  function refresh(refreshToken: string) {
    return host.http().post('/identity/refresh').send({ refreshToken });
  }

  function meToo(accessToken: string) {
    return host
      .http()
      .get('/me-too')
      .set(...bearer(accessToken));
  }

  describe('routes under the prefix', () => {
    it.each([['/auth/register'], ['/auth/login'], ['/auth/refresh'], ['/auth/logout']])(
      'does not mount %s: the prefix is /identity',
      async (path) => {
        await host.http().post(path).send({}).expect(404);
      },
    );

    it('registers, logs in, refreshes and logs out under /identity', async () => {
      const email = uniqueEmail();

      const registered = await host
        .http()
        .post('/identity/register')
        .send({ email, password: PASSWORD })
        .expect(201);
      expect(registered.body).toEqual({
        id: expect.any(String),
        email,
        emailVerified: false,
        roles: ['user'],
        createdAt: expect.any(String),
      });

      const pair = await login(email);
      expect(pair).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshExpiresIn: 604_800,
      });

      const refreshed = await refresh(pair.refreshToken).expect(200);
      expect(refreshed.body.refreshToken).not.toBe(pair.refreshToken);
      await meToo(refreshed.body.accessToken).expect(200);

      await host
        .http()
        .post('/identity/logout')
        .set(...bearer(refreshed.body.accessToken))
        .expect(204);
      expectChallenge(await meToo(refreshed.body.accessToken), 401, INVALID_TOKEN);
      expectChallenge(await refresh(refreshed.body.refreshToken), 401, INVALID_TOKEN);
    });
  });

  describe("the host's user store", () => {
    it('is the store the module uses', () => {
      expect(host.app.get(USER_STORE)).toBe(users);
    });

    it('holds the registered user, normalized; the TypeORM users table stays empty', async () => {
      const email = uniqueEmail('Mixed.Case');

      const registered = await register(`  ${email.toUpperCase()} `);

      expect(registered.email).toBe(email.toLowerCase());
      const stored = await users.findByEmail(email.toLowerCase());
      expect(stored).toEqual({
        id: registered.id,
        email: email.toLowerCase(),
        passwordHash: expect.stringMatching(/^\$bcrypt-sha256\$v1\$2b\$04\$/),
        roles: ['user'],
        disabled: false,
        createdAt: expect.any(Date),
        emailVerified: false,
      });
      expect(await host.app.get(DataSource).getRepository(UserEntity).count()).toBe(0);
    });

    it('refuses a second registration of the same email, whatever its case, with 409', async () => {
      const email = uniqueEmail();
      await register(email);

      await host
        .http()
        .post('/identity/register')
        .send({ email: email.toUpperCase(), password: PASSWORD })
        .expect(409);
    });

    it("keeps the sessions of the host's users in the TypeORM session store", async () => {
      const { id, email } = await register();

      const { accessToken } = await login(email);

      const sessions = await host.app
        .get(DataSource)
        .getRepository(SessionEntity)
        .findBy({ userId: id });
      expect(sessions.map((session) => session.id)).toEqual([claimsOf(accessToken).sid]);
    });
  });

  describe('host routes behind the global guard', () => {
    it('serves @Public() /hello without a token', async () => {
      const response = await host.http().get('/hello').expect(200);
      expect(response.body).toEqual({ message: 'hello' });
    });

    it('refuses /me-too without a token with a bare Bearer challenge', async () => {
      expectChallenge(await host.http().get('/me-too'), 401, 'Bearer');
    });

    it('gives /me-too the signed-in caller through @CurrentUser()', async () => {
      const { id, email } = await register();
      const { accessToken } = await login(email);

      const response = await meToo(accessToken).expect(200);

      expect(response.body).toEqual({
        id,
        email,
        roles: ['user'],
        // Registration mailed a verification link; nobody opened it.
        emailVerified: false,
        sessionId: claimsOf(accessToken).sid,
        // How the session authenticated (CONTRACT 4.15): a password, now.
        authTime: claimsOf(accessToken).iat,
        amr: ['pwd'],
        acr: 'aal1',
      });
    });

    it("refuses @Roles('auditor') /reports to a user without the role, and serves it once the host's store grants it and the user signs in again", async () => {
      const { id, email } = await register();
      const before = await login(email);
      expectChallenge(
        await host
          .http()
          .get('/reports')
          .set(...bearer(before.accessToken)),
        403,
        INSUFFICIENT_SCOPE,
      );

      await users.setRoles(id, ['user', 'auditor']);
      const after = await login(email);

      const reports = await host
        .http()
        .get('/reports')
        .set(...bearer(after.accessToken))
        .expect(200);
      expect(reports.body).toEqual({ reports: ['q1'], for: id });
      // Roles travel in the access token: one issued before the change still lacks the role.
      await host
        .http()
        .get('/reports')
        .set(...bearer(before.accessToken))
        .expect(403);
    });
  });

  describe("the host's own errors, behind the global guard", () => {
    itLeavesTheHostsOwnErrorsAlone(() => host);
  });

  describe('refresh rotation', () => {
    it('answers a just-spent token, within the grace, with the same successor and a working access token', async () => {
      const { email } = await register();
      const first = await login(email);

      const rotated = await refresh(first.refreshToken).expect(200);
      const again = await refresh(first.refreshToken).expect(200);

      expect(rotated.body.refreshToken).not.toBe(first.refreshToken);
      expect(again.body.refreshToken).toBe(rotated.body.refreshToken);
      await meToo(again.body.accessToken).expect(200);
      await refresh(again.body.refreshToken).expect(200);
    });

    it('takes an older ancestor presented again as theft: 401, and the whole session is revoked', async () => {
      const { email } = await register();
      const first = await login(email);
      const second = (await refresh(first.refreshToken).expect(200)).body as TokenPair;
      const third = (await refresh(second.refreshToken).expect(200)).body as TokenPair;

      expectChallenge(await refresh(first.refreshToken), 401, INVALID_TOKEN);

      expectChallenge(await refresh(third.refreshToken), 401, INVALID_TOKEN);
      expectChallenge(await meToo(third.accessToken), 401, INVALID_TOKEN);
    });
  });

  describe('AuthEvents', () => {
    it("emits 'user.registered' and 'login.succeeded'", async () => {
      const { id, email } = await register();
      const { accessToken } = await login(email);

      expect(heard('user.registered')).toContainEqual({
        type: 'user.registered',
        userId: id,
        email,
      });
      expect(heard('login.succeeded')).toContainEqual(
        expect.objectContaining({
          type: 'login.succeeded',
          userId: id,
          sessionId: claimsOf(accessToken).sid,
          ip: LOOPBACK,
        }),
      );
    });

    it("emits 'login.failed' with the email, the user and the ip, for a wrong password", async () => {
      const { id, email } = await register();

      await host
        .http()
        .post('/identity/login')
        .send({ email, password: 'wrong password!' })
        .expect(401);

      expect(heard('login.failed')).toContainEqual(
        expect.objectContaining({ type: 'login.failed', email, userId: id, ip: LOOPBACK }),
      );
    });

    it("emits 'login.failed' without a user for an unknown email", async () => {
      const email = uniqueEmail('nobody');

      await host.http().post('/identity/login').send({ email, password: PASSWORD }).expect(401);

      const failed = heard('login.failed').filter((event) => event.email === email);
      expect(failed).toEqual([expect.objectContaining({ email, ip: LOOPBACK })]);
      expect(failed[0].userId).toBeUndefined();
    });

    it("emits 'refresh_token.reused' with the session and the ip, then 'session.revoked'", async () => {
      const { id, email } = await register();
      const first = await login(email);
      const sessionId = claimsOf(first.refreshToken).sid;
      const second = (await refresh(first.refreshToken).expect(200)).body as TokenPair;
      await refresh(second.refreshToken).expect(200);

      await refresh(first.refreshToken).expect(401);

      expect(heard('refresh_token.reused')).toContainEqual(
        expect.objectContaining({
          type: 'refresh_token.reused',
          userId: id,
          sessionId,
          ip: LOOPBACK,
        }),
      );
      expect(heard('session.revoked')).toContainEqual({
        type: 'session.revoked',
        userId: id,
        sessionId,
        reason: 'refresh_token_reuse',
      });
    });

    it("emits 'session.revoked' on logout, once", async () => {
      const { id, email } = await register();
      const { accessToken } = await login(email);
      const sessionId = claimsOf(accessToken).sid;

      await host
        .http()
        .post('/identity/logout')
        .set(...bearer(accessToken))
        .expect(204);
      await host
        .http()
        .post('/identity/logout')
        .set(...bearer(accessToken))
        .expect(204);

      const revoked = heard('session.revoked').filter((event) => event.sessionId === sessionId);
      expect(revoked).toEqual([
        { type: 'session.revoked', userId: id, sessionId, reason: 'logout' },
      ]);
    });
  });

  describe('AuthService.startSession', () => {
    it('signs a known user in without HTTP: its tokens work on host routes and refresh', async () => {
      const { id, email } = await register();

      const pair = await host.app.get(AuthService).startSession(id);

      const response = await meToo(pair.accessToken).expect(200);
      expect(response.body).toMatchObject({ id, email, sessionId: claimsOf(pair.accessToken).sid });
      await refresh(pair.refreshToken).expect(200);
    });

    it('refuses an unknown user', async () => {
      await expect(
        host.app.get(AuthService).startSession('00000000-0000-4000-8000-000000000000'),
      ).rejects.toThrow('User not found');
    });
  });
});

/**
 * How a host's tests switch authentication off: override the module's `AccessTokenGuard` provider. The global guard
 * is registered as `{ provide: APP_GUARD, useExisting: AccessTokenGuard }`, so the override replaces it everywhere.
 *
 *   Test.createTestingModule({ imports: [AppModule] })
 *     .overrideProvider(AccessTokenGuard)
 *     .useValue({ canActivate: () => true })
 *
 * A stub that also sets `request.user` gives the routes a caller for `@CurrentUser()` and `@Roles()`.
 */
describe('a host test that replaces the global guard', () => {
  it('reaches a signed-in route without a token with overrideProvider(AccessTokenGuard)', async () => {
    const host = await startHostApp('custom-users', (builder) =>
      builder.overrideProvider(AccessTokenGuard).useValue({ canActivate: () => true }),
    );
    try {
      await host.http().get('/me-too').expect(200);
    } finally {
      await host.close();
    }
  });

  it('gives routes a caller of its choosing when the stub sets request.user', async () => {
    const caller: AuthUser = {
      id: '11111111-1111-4111-8111-111111111111',
      email: 'auditor@example.com',
      roles: ['auditor'],
      sessionId: '22222222-2222-4222-8222-222222222222',
    };
    const host = await startHostApp('custom-users', (builder) =>
      builder.overrideProvider(AccessTokenGuard).useValue({
        canActivate: (context: ExecutionContext) => {
          context.switchToHttp().getRequest<{ user?: AuthUser }>().user = caller;
          return true;
        },
      }),
    );
    try {
      expect((await host.http().get('/me-too').expect(200)).body).toEqual(caller);
      await host.http().get('/reports').expect(200);
    } finally {
      await host.close();
    }
  });
});

describe('a host app without TypeORM, global guard or registration', () => {
  let host: HostApp;
  let users: InMemoryUserStore;
  let sessions: InMemorySessionStore;

  beforeAll(async () => {
    host = await startHostApp('no-typeorm');
    users = host.app.get(InMemoryUserStore);
    sessions = host.app.get(InMemorySessionStore);
  });
  afterAll(() => host.close());

  /** Users come from the host (an invitation, an admin): straight into its store, hashed by the module's service. */
  async function createUser(roles = ['user']): Promise<{ id: string; email: string }> {
    const passwordHash = await host.app.get(PasswordService).hash(PASSWORD);
    return users.create({ email: uniqueEmail(), passwordHash, roles, createdAt: new Date() });
  }

  async function login(email: string): Promise<TokenPair> {
    const response = await host
      .http()
      .post('/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);
    return response.body as TokenPair;
  }

  function refresh(refreshToken: string) {
    return host.http().post('/auth/refresh').send({ refreshToken });
  }

  function listSessions(accessToken: string) {
    return host
      .http()
      .get('/auth/sessions')
      .set(...bearer(accessToken));
  }

  it("uses the host's stores", () => {
    expect(host.app.get(USER_STORE)).toBe(users);
    expect(host.app.get(SESSION_STORE)).toBe(sessions);
  });

  it('does not mount registration: POST /auth/register is 404', async () => {
    await host
      .http()
      .post('/auth/register')
      .send({ email: uniqueEmail(), password: PASSWORD })
      .expect(404);
  });

  it('logs in a user the host created in its store, and refuses a wrong password', async () => {
    const { id, email } = await createUser();

    const pair = await login(email);

    expect(claimsOf(pair.accessToken).sub).toBe(id);
    const me = await host
      .http()
      .get('/auth/me')
      .set(...bearer(pair.accessToken))
      .expect(200);
    expect(me.body).toEqual({
      id,
      email,
      emailVerified: false,
      roles: ['user'],
      createdAt: expect.any(String),
    });
    await host.http().post('/auth/login').send({ email, password: 'wrong password!' }).expect(401);
  });

  it("refreshes: the presented token is spent in the host's store and its successor works", async () => {
    const { email } = await createUser();
    const first = await login(email);

    const rotated = (await refresh(first.refreshToken).expect(200)).body as TokenPair;

    const spent = await sessions.findRefreshToken(claimsOf(first.refreshToken).jti);
    expect(spent).toMatchObject({
      spentAt: expect.any(Number),
      successorId: claimsOf(rotated.refreshToken).jti,
    });
    await listSessions(rotated.accessToken).expect(200);
    await refresh(rotated.refreshToken).expect(200);
  });

  it('logs out: the access and refresh tokens of the session stop working', async () => {
    const { email } = await createUser();
    const pair = await login(email);

    await host
      .http()
      .post('/auth/logout')
      .set(...bearer(pair.accessToken))
      .expect(204);

    expectChallenge(await listSessions(pair.accessToken), 401, INVALID_TOKEN);
    expectChallenge(await refresh(pair.refreshToken), 401, INVALID_TOKEN);
    expect(await sessions.findSession(claimsOf(pair.accessToken).sid)).toMatchObject({
      revokedAt: expect.any(Number),
    });
  });

  it.each([
    ['GET', '/auth/sessions'],
    ['DELETE', '/auth/sessions/00000000-0000-4000-8000-000000000000'],
    ['GET', '/auth/me'],
    ['POST', '/auth/logout'],
  ])("keeps the module's own route %s %s guarded: 401 without a token", async (method, path) => {
    const agent = host.http();
    const response = await (method === 'GET'
      ? agent.get(path)
      : method === 'DELETE'
        ? agent.delete(path)
        : agent.post(path));
    expectChallenge(response, 401, 'Bearer');
  });

  it("lists the caller's sessions and revokes another one", async () => {
    const { email } = await createUser();
    const older = await login(email);
    const current = await login(email);

    const listed = await listSessions(current.accessToken).expect(200);
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: claimsOf(current.accessToken).sid,
        current: true,
        ip: LOOPBACK,
      }),
      expect.objectContaining({ id: claimsOf(older.accessToken).sid, current: false }),
    ]);

    await host
      .http()
      .delete(`/auth/sessions/${claimsOf(older.accessToken).sid}`)
      .set(...bearer(current.accessToken))
      .expect(204);

    expectChallenge(await listSessions(older.accessToken), 401, INVALID_TOKEN);
    const after = await listSessions(current.accessToken).expect(200);
    expect(after.body).toEqual([
      expect.objectContaining({ id: claimsOf(current.accessToken).sid, current: true }),
    ]);
  });

  describe('host routes, with no global guard', () => {
    it('serves the unguarded route without a token: nothing is global', async () => {
      const response = await host.http().get('/open').expect(200);
      expect(response.body).toEqual({ message: 'open to all' });
    });

    it('refuses the route under @UseGuards(AccessTokenGuard, RolesGuard) without a token', async () => {
      expectChallenge(await host.http().get('/guarded'), 401, 'Bearer');
    });

    it('serves the explicitly guarded route to a signed-in user with the role', async () => {
      const { id, email } = await createUser();
      const { accessToken } = await login(email);

      const response = await host
        .http()
        .get('/guarded')
        .set(...bearer(accessToken))
        .expect(200);

      expect(response.body).toEqual({ userId: id });
    });

    it('applies @Roles through the explicit RolesGuard: 403 insufficient_scope without the role', async () => {
      const { email } = await createUser(['guest']);
      const { accessToken } = await login(email);

      expectChallenge(
        await host
          .http()
          .get('/guarded')
          .set(...bearer(accessToken)),
        403,
        INSUFFICIENT_SCOPE,
      );
    });
  });

  describe("a host route under passport's AuthGuard('jwt') (the module's strategy)", () => {
    it('serves a signed-in user, as the module authenticates the token', async () => {
      const { id, email } = await createUser();
      const { accessToken } = await login(email);

      const response = await host
        .http()
        .get('/passport-guarded')
        .set(...bearer(accessToken))
        .expect(200);

      expect(response.body).toEqual({ userId: id, sessionId: claimsOf(accessToken).sid });
    });

    it('answers 401 without a token, with a bad one, and with the token of a session logged out', async () => {
      const { email } = await createUser();
      const { accessToken } = await login(email);
      await host
        .http()
        .get('/passport-guarded')
        .set(...bearer(accessToken))
        .expect(200);

      await host.http().get('/passport-guarded').expect(401);
      await host
        .http()
        .get('/passport-guarded')
        .set(...bearer(`${accessToken}x`))
        .expect(401);
      await host
        .http()
        .post('/auth/logout')
        .set(...bearer(accessToken))
        .expect(204);
      // The token is cached as verified by now: the revocation is checked all the same.
      await host
        .http()
        .get('/passport-guarded')
        .set(...bearer(accessToken))
        .expect(401);
    });
  });

  describe("the host's own errors, with no global guard", () => {
    itLeavesTheHostsOwnErrorsAlone(() => host);
  });

  it("of 20 concurrent refreshes with one token, one wins: the host's store records a single successor", async () => {
    const { email } = await createUser();
    const { refreshToken } = await login(email);
    const { sid, jti } = claimsOf(refreshToken);

    const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(refreshToken)));

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    const successors = new Set(responses.map((response) => response.body.refreshToken as string));
    expect(successors.size).toBe(1);
    const [successor] = successors;
    const chain = sessions.refreshTokensOf(sid);
    expect(chain).toHaveLength(2);
    expect(chain.find((token) => token.id === jti)).toMatchObject({
      spentAt: expect.any(Number),
      successorId: claimsOf(successor).jti,
    });
    await refresh(successor).expect(200);
  });
});

/** A host's own global filter: answers every HTTP exception in the host's own shape, with a header of its own. */
@Catch(HttpException)
class HostErrorShape implements ExceptionFilter {
  constructor(private readonly adapter: HttpServer) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    const response: unknown = host.switchToHttp().getResponse();
    this.adapter.setHeader(response, 'X-Host-Filter', 'yes');
    this.adapter.reply(response, { hostError: exception.getStatus() }, exception.getStatus());
  }
}

/**
 * docs/host-guide.md: Use it in your Nest app, Errors: the module's own routes answer through the host's global filters too
 * (the module rethrows, it does not answer in their place), still with the headers the module's refusals carry.
 */
describe('a host with a global exception filter of its own', () => {
  let host: HostApp;

  beforeAll(async () => {
    host = await startHostApp('custom-users', undefined, STRICT_HOST_PIPES, (app) => [
      new HostErrorShape(app.getHttpAdapter()),
    ]);
  });
  afterAll(() => host.close());

  it("answers a wrong password on the module's login route through the host's filter", async () => {
    const email = uniqueEmail();
    await host.http().post('/identity/register').send({ email, password: PASSWORD }).expect(201);

    const response = await host
      .http()
      .post('/identity/login')
      .send({ email, password: 'wrong password!' });

    expect([response.status, response.body, response.headers['x-host-filter']]).toEqual([
      401,
      { hostError: 401 },
      'yes',
    ]);
  });

  it("answers a bad refresh token through the host's filter, with the module's WWW-Authenticate", async () => {
    const response = await host
      .http()
      .post('/identity/refresh')
      .send({ refreshToken: 'not.a.token' });

    expect([response.status, response.body, response.headers['x-host-filter']]).toEqual([
      401,
      { hostError: 401 },
      'yes',
    ]);
    expect(response.headers['www-authenticate']).toBe(INVALID_TOKEN);
  });

  it("answers a module validation error through the host's filter", async () => {
    const response = await host.http().post('/identity/register').send({ email: 'nope' });

    expect([response.status, response.body]).toEqual([400, { hostError: 400 }]);
  });
});
