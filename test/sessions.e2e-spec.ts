import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import { decodeJwt, forgeJwt } from './support/jwt-forge';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  TEST_SECRETS,
  type LoggedIn,
  type TestApp,
  uniqueEmail,
} from './support/test-app';
import { expectInvalidToken } from './support/challenges';

/**
 * docs/sessions.md: Routes: logout scopes, /auth/me, the session list, revoking one session, and changing the password.
 * Many logins happen here: the per-IP limit is raised so that it never decides an outcome.
 */
const ENV = { THROTTLE_AUTH_LIMIT: '100000' };

const NEW_PASSWORD = 'a brand new passphrase';
const SESSION_FIELDS = [
  'createdAt',
  'current',
  'expiresAt',
  'id',
  'ip',
  'lastIp',
  'lastUsedAt',
  'lastUserAgent',
  'userAgent',
];

interface SessionView {
  id: string;
  current: boolean;
  userAgent: string | null;
}

/** The session ids of a `GET /auth/sessions` response, in its order. */
function idsOf(response: Response): string[] {
  return (response.body as SessionView[]).map((view) => view.id);
}

function sessionIdOf(token: string): string {
  const sid = decodeJwt(token).payload.sid;
  if (typeof sid !== 'string') throw new Error('token without sid');
  return sid;
}

describe('sessions', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(ENV);
  });
  afterAll(() => app.close());

  /** Another session of an existing user, as a second device would start it. */
  async function login(email: string, password = PASSWORD, userAgent = 'jest'): Promise<LoggedIn> {
    const response = await app
      .http()
      .post('/auth/login')
      .set('User-Agent', userAgent)
      .send({ email, password })
      .expect(200);
    return {
      email,
      accessToken: response.body.accessToken,
      refreshToken: response.body.refreshToken,
    };
  }

  function me(accessToken: string) {
    return app
      .http()
      .get('/auth/me')
      .set(...bearer(accessToken));
  }

  function refresh(refreshToken: string) {
    return app.http().post('/auth/refresh').send({ refreshToken });
  }

  function logout(accessToken: string, scope?: string) {
    const request = app
      .http()
      .post('/auth/logout')
      .set(...bearer(accessToken));
    return scope === undefined ? request : request.query({ scope });
  }

  function listSessions(accessToken: string) {
    return app
      .http()
      .get('/auth/sessions')
      .set(...bearer(accessToken));
  }

  function deleteSession(accessToken: string, id: string) {
    return app
      .http()
      .delete(`/auth/sessions/${encodeURIComponent(id)}`)
      .set(...bearer(accessToken));
  }

  function changePassword(accessToken: string, body: Record<string, unknown>) {
    return app
      .http()
      .post('/auth/password')
      .set(...bearer(accessToken))
      .send(body);
  }

  /** Both tokens of the session are refused, the access token with the `invalid_token` challenge. */
  async function expectSessionDead(session: LoggedIn): Promise<void> {
    expectInvalidToken(await me(session.accessToken));
    expectInvalidToken(await refresh(session.refreshToken));
  }

  async function expectSessionAlive(session: LoggedIn): Promise<void> {
    await me(session.accessToken).expect(200);
  }

  describe('POST /auth/logout', () => {
    it('revokes only the current session by default', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email);

      await logout(first.accessToken).expect(204);

      expectInvalidToken(await me(first.accessToken));
      expectInvalidToken(await refresh(first.refreshToken));
      await expectSessionAlive(second);
      await refresh(second.refreshToken).expect(200);
    });

    it('refuses the logged-out access token on the very next request', async () => {
      const session = await registerAndLogin(app);
      const getProtected = () =>
        app
          .http()
          .get('/protected')
          .set(...bearer(session.accessToken));
      // Accepted first: the guard has verified this token already (and remembers it verified).
      await getProtected().expect(200);
      await logout(session.accessToken, 'local').expect(204);

      expectInvalidToken(await getProtected());
    });

    it('revokes every session of the user with scope=global', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email);
      const third = await login(first.email);
      const stranger = await registerAndLogin(app);

      await logout(second.accessToken, 'global').expect(204);

      for (const session of [first, second, third]) await expectSessionDead(session);
      await expectSessionAlive(stranger);
    });

    it('revokes every session but the current one with scope=others', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email);
      const third = await login(first.email);

      await logout(second.accessToken, 'others').expect(204);

      await expectSessionDead(first);
      await expectSessionDead(third);
      await expectSessionAlive(second);
      await refresh(second.refreshToken).expect(200);
    });

    it.each([
      ['an unknown scope', '/auth/logout?scope=everything'],
      ['a scope in the wrong case', '/auth/logout?scope=GLOBAL'],
      ['a repeated scope', '/auth/logout?scope=local&scope=global'],
    ])('refuses %s with 400 and revokes nothing', async (_case, url) => {
      const session = await registerAndLogin(app);
      const other = await login(session.email);

      const response = await app
        .http()
        .post(url)
        .set(...bearer(session.accessToken));

      expect(response.status).toBe(400);
      expect(response.body.statusCode).toBe(400);
      await expectSessionAlive(session);
      await expectSessionAlive(other);
    });

    // "Logging out twice is not an error" (§4.4), as the README pins it: a still unexpired access token of an
    // already revoked session gets 204 from /auth/logout and changes nothing, whatever the scope, so that a revoked
    // (possibly stolen) token can never sign the user out elsewhere. Every other route keeps refusing it (401).
    it('answers 204 to a second logout with the same token: logging out twice is not an error', async () => {
      const session = await registerAndLogin(app);
      await logout(session.accessToken).expect(204);

      await logout(session.accessToken).expect(204);
      await logout(session.accessToken, 'local').expect(204);

      expectInvalidToken(await me(session.accessToken));
      expectInvalidToken(await refresh(session.refreshToken));
    });

    it('lets the token of a revoked session sign no other session out, whatever the scope', async () => {
      const revoked = await registerAndLogin(app);
      const other = await login(revoked.email);
      await logout(revoked.accessToken).expect(204);

      await logout(revoked.accessToken, 'global').expect(204);
      await logout(revoked.accessToken, 'others').expect(204);

      await expectSessionAlive(other);
      await refresh(other.refreshToken).expect(200);
    });

    it.each([undefined, 'global', 'others'])(
      "refuses a token whose sid is another user's session, and changes nothing (scope %s)",
      async (scope) => {
        const attacker = await registerAndLogin(app);
        const victim = await registerAndLogin(app);
        // Only a holder of the signing key could make this token: the check is defence in depth.
        const forged = forgeJwt(
          { alg: 'HS256', typ: 'at+jwt' },
          {
            ...decodeJwt(attacker.accessToken).payload,
            sid: sessionIdOf(victim.accessToken),
            jti: randomUUID(),
          },
          TEST_SECRETS.JWT_SECRET,
        );

        expectInvalidToken(await logout(forged, scope));

        await expectSessionAlive(victim);
        await expectSessionAlive(attacker);
        await refresh(victim.refreshToken).expect(200);
      },
    );

    it("refuses a password change through a token whose sid is another user's session", async () => {
      const attacker = await registerAndLogin(app);
      const victim = await registerAndLogin(app);
      const forged = forgeJwt(
        { alg: 'HS256', typ: 'at+jwt' },
        { ...decodeJwt(attacker.accessToken).payload, sid: sessionIdOf(victim.accessToken) },
        TEST_SECRETS.JWT_SECRET,
      );

      expectInvalidToken(
        await changePassword(forged, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
      );
      await expectSessionAlive(attacker);
    });

    it('answers 204 to a global logout from a session that a global logout already revoked, and spares newer sessions', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email);
      await logout(first.accessToken, 'global').expect(204);
      const newer = await login(first.email);

      await logout(second.accessToken, 'global').expect(204);

      expectInvalidToken(await me(second.accessToken));
      await expectSessionAlive(newer);
    });

    it('answers 204 to a logout from a session revoked through DELETE /auth/sessions/:id', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email);
      await deleteSession(first.accessToken, sessionIdOf(second.accessToken)).expect(204);

      await logout(second.accessToken).expect(204);

      expectInvalidToken(await me(second.accessToken));
      await expectSessionAlive(first);
    });
  });

  describe('GET /auth/me', () => {
    it('returns exactly the id, email, verification state, roles and creation time of the caller', async () => {
      const email = uniqueEmail('me');
      const session = await registerAndLogin(app, email);

      const response = await me(session.accessToken).expect(200);

      expect(Object.keys(response.body).sort()).toEqual([
        'createdAt',
        'email',
        'emailVerified',
        'id',
        'roles',
      ]);
      expect(response.body.emailVerified).toBe(false);
      expect(response.body.id).toBe(decodeJwt(session.accessToken).payload.sub);
      expect(response.body.email).toBe(email);
      expect(response.body.roles).toEqual(['user']);
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
    });
  });

  describe('GET /auth/sessions', () => {
    it('lists the live sessions of the caller with exactly the documented fields', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email, PASSWORD, 'second-device/1.0');

      const response = await listSessions(second.accessToken).expect(200);

      expect(response.body).toHaveLength(2);
      for (const view of response.body) {
        expect(Object.keys(view).sort()).toEqual(SESSION_FIELDS);
        for (const field of ['createdAt', 'lastUsedAt', 'expiresAt']) {
          expect(new Date(view[field]).toISOString()).toBe(view[field]);
        }
        expect(typeof view.ip).toBe('string');
        expect(typeof view.current).toBe('boolean');
      }
      expect(idsOf(response).sort()).toEqual(
        [sessionIdOf(first.accessToken), sessionIdOf(second.accessToken)].sort(),
      );
    });

    it('marks exactly one session as current: the one of the access token that asked', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email, PASSWORD, 'second-device/1.0');

      const response = await listSessions(second.accessToken).expect(200);

      const current = (response.body as SessionView[]).filter((view) => view.current);
      expect(current).toHaveLength(1);
      expect(current[0].id).toBe(sessionIdOf(second.accessToken));
      expect(current[0].userAgent).toBe('second-device/1.0');
    });

    it('leaves out revoked sessions', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email);
      await logout(first.accessToken).expect(204);

      const response = await listSessions(second.accessToken).expect(200);

      expect(idsOf(response)).toEqual([sessionIdOf(second.accessToken)]);
    });

    it("never lists another user's sessions", async () => {
      const mine = await registerAndLogin(app);
      const theirs = await registerAndLogin(app);
      await login(theirs.email);

      const response = await listSessions(mine.accessToken).expect(200);

      expect(idsOf(response)).toEqual([sessionIdOf(mine.accessToken)]);
    });
  });

  describe('DELETE /auth/sessions/:id', () => {
    it('revokes that session: 204, then its access and refresh tokens are refused', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email);

      await deleteSession(first.accessToken, sessionIdOf(second.accessToken)).expect(204);

      await expectSessionDead(second);
      await expectSessionAlive(first);
    });

    it("revokes the caller's own current session too, which then logs the caller out", async () => {
      const session = await registerAndLogin(app);

      await deleteSession(session.accessToken, sessionIdOf(session.accessToken)).expect(204);

      await expectSessionDead(session);
    });

    it("answers 404 for another user's session and leaves it alive", async () => {
      const mine = await registerAndLogin(app);
      const theirs = await registerAndLogin(app);

      const response = await deleteSession(mine.accessToken, sessionIdOf(theirs.accessToken));

      expect(response.status).toBe(404);
      await expectSessionAlive(theirs);
      await refresh(theirs.refreshToken).expect(200);
    });

    it('answers 404 for an unknown uuid', async () => {
      const session = await registerAndLogin(app);

      await deleteSession(session.accessToken, '00000000-0000-4000-8000-000000000000').expect(404);
    });

    it('answers 404 for an id that is not a uuid', async () => {
      const session = await registerAndLogin(app);

      await deleteSession(session.accessToken, 'not-a-uuid').expect(404);
      await deleteSession(session.accessToken, "' OR 1=1 --").expect(404);
      await deleteSession(session.accessToken, 'nul\u0000byte').expect(404);
      // Fastify refuses path parameters over 1024 characters itself (414); Express lets them through to the 404.
      const overlong = await deleteSession(session.accessToken, 'x'.repeat(2000));
      expect([404, 414]).toContain(overlong.status);
    });

    it('answers 404 for a session already revoked', async () => {
      const first = await registerAndLogin(app);
      const second = await login(first.email);
      await deleteSession(first.accessToken, sessionIdOf(second.accessToken)).expect(204);

      await deleteSession(first.accessToken, sessionIdOf(second.accessToken)).expect(404);
    });
  });

  describe('POST /auth/password', () => {
    it('revokes every other session when the password changes', async () => {
      const current = await registerAndLogin(app);
      const other = await login(current.email);
      const another = await login(current.email);

      await changePassword(current.accessToken, {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      }).expect(204);

      await expectSessionDead(other);
      await expectSessionDead(another);
    });

    it('keeps the session that changed the password working', async () => {
      const current = await registerAndLogin(app);

      await changePassword(current.accessToken, {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      }).expect(204);

      await expectSessionAlive(current);
      await refresh(current.refreshToken).expect(200);
    });

    it('lets the user log in with the new password and no longer with the old one', async () => {
      const current = await registerAndLogin(app);
      await changePassword(current.accessToken, {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      }).expect(204);

      await login(current.email, NEW_PASSWORD);
      const old = await app
        .http()
        .post('/auth/login')
        .send({ email: current.email, password: PASSWORD });
      expect(old.status).toBe(401);
      expect(old.body.message).toBe('Invalid credentials');
    });

    it('answers 403, not 401, to a wrong current password and changes nothing', async () => {
      const current = await registerAndLogin(app);
      const other = await login(current.email);

      const response = await changePassword(current.accessToken, {
        currentPassword: 'not the password',
        newPassword: NEW_PASSWORD,
      });

      expect(response.status).toBe(403);
      await expectSessionAlive(current);
      await expectSessionAlive(other);
      await login(current.email, PASSWORD);
    });

    it.each([
      ['only 7 characters', 'abcdefg'],
      ['129 characters', 'k7#x'.repeat(32) + 'q'],
      ['a NUL character', 'abcdefgh\u0000ijk'],
    ])(
      'refuses a new password with %s with 400 and keeps the old one',
      async (_case, newPassword) => {
        const current = await registerAndLogin(app);

        const response = await changePassword(current.accessToken, {
          currentPassword: PASSWORD,
          newPassword,
        });

        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body.message)).toContain('newPassword');
        await login(current.email, PASSWORD);
      },
    );

    it.each([
      ['currentPassword', { newPassword: NEW_PASSWORD }],
      ['newPassword', { currentPassword: PASSWORD }],
      ['both fields', {}],
    ])('refuses a body missing %s with 400', async (_case, body) => {
      const current = await registerAndLogin(app);

      const response = await changePassword(current.accessToken, body);

      expect(response.status).toBe(400);
      await login(current.email, PASSWORD);
    });
  });
});

describe('sessions over time', () => {
  let app: TestApp;

  beforeAll(async () => {
    // A short idle lifetime (10 min), so that a session expires without a refresh in between.
    app = await startTestApp({ ...ENV, JWT_REFRESH_EXPIRATION: '600' });
  });
  afterAll(() => app.close());

  it('leaves out sessions past their idle lifetime', async () => {
    const old = await registerAndLogin(app);
    app.clock.advance(601_000);
    const login = await app
      .http()
      .post('/auth/login')
      .send({ email: old.email, password: PASSWORD })
      .expect(200);

    const response = await app
      .http()
      .get('/auth/sessions')
      .set(...bearer(login.body.accessToken))
      .expect(200);

    expect(idsOf(response)).toEqual([sessionIdOf(login.body.accessToken)]);
  });
});

describe('the cap on live sessions per user (SESSIONS_PER_USER)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ...ENV, SESSIONS_PER_USER: '3' });
  });
  afterAll(() => app.close());

  async function login(email: string): Promise<LoggedIn> {
    const response = await app
      .http()
      .post('/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);
    return { email, ...(response.body as { accessToken: string; refreshToken: string }) };
  }

  it('retires the least recently used session when a login goes past the cap', async () => {
    const first = await registerAndLogin(app);
    app.clock.advanceSeconds(1);
    const second = await login(first.email);
    app.clock.advanceSeconds(1);
    const third = await login(first.email);
    app.clock.advanceSeconds(1);
    // The first session is the oldest but used lately: the second is now the least recently used.
    const firstAgain = await app
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: first.refreshToken })
      .expect(200);
    app.clock.advanceSeconds(1);

    const fourth = await login(first.email);

    const listed = await app
      .http()
      .get('/auth/sessions')
      .set(...bearer(fourth.accessToken))
      .expect(200);
    expect(idsOf(listed).sort()).toEqual(
      [first, third, fourth].map((session) => sessionIdOf(session.accessToken)).sort(),
    );
    // The retired session is revoked as by a logout: its tokens die at once.
    expectInvalidToken(
      await app
        .http()
        .get('/auth/me')
        .set(...bearer(second.accessToken)),
    );
    expectInvalidToken(
      await app.http().post('/auth/refresh').send({ refreshToken: second.refreshToken }),
    );
    await app
      .http()
      .get('/auth/me')
      .set(...bearer(firstAgain.body.accessToken))
      .expect(200);
  });

  it("never retires another user's sessions", async () => {
    const other = await registerAndLogin(app);
    const user = await registerAndLogin(app);
    for (let index = 0; index < 4; index += 1) await login(user.email);

    await app
      .http()
      .get('/auth/me')
      .set(...bearer(other.accessToken))
      .expect(200);
  });
});
