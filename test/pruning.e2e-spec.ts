import { randomUUID } from 'node:crypto';
import { CLOCK } from '../src/auth';
import { SessionPruner } from '../src/auth/stores';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../src/auth/core/options/auth.options';
import { ManualClock } from '../src/auth/testing';
import { InMemorySessionStore } from '../src/auth/testing/in-memory-session.store';
import { type HostApp, startHostApp } from './host-app/start-host-app';
import { decodeJwt } from './support/jwt-forge';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  sql,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/**
 * Scheduled pruning: dead sessions go with their refresh tokens, live ones and sessions the revocation list still
 * needs stay, and the app works as before. The schedule itself is unit-tested (session-pruner.spec.ts); here a run
 * is started with `pruneNow()`, on the reference server's database (SQLite and PostgreSQL).
 */
const MINUTE = 60_000;
const ENV = {
  THROTTLE_AUTH_LIMIT: '100000',
  JWT_EXPIRATION: '900',
  // An idle session dies after an hour.
  JWT_REFRESH_EXPIRATION: '3600',
  PRUNE_INTERVAL: '120',
};
/** The access-token lifetime plus a minute: what pruning keeps of a dead session. */
const RETENTION = (900 + 60) * 1000;

function sessionIdOf(token: string): string {
  const sid = decodeJwt(token).payload.sid;
  if (typeof sid !== 'string') throw new Error('token without sid');
  return sid;
}

async function count(app: TestApp, text: string, parameters: unknown[] = []): Promise<number> {
  const [{ n }] = await sql<Array<{ n: number | string }>>(app, text, parameters);
  return Number(n);
}

describe('pruning of expired sessions', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(ENV);
  });
  afterAll(() => app.close());

  function login(email: string) {
    return app.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
  }

  function refresh(refreshToken: string) {
    return app.http().post('/auth/refresh').send({ refreshToken });
  }

  it('takes its interval from PRUNE_INTERVAL', () => {
    expect(app.config.pruneInterval).toBe(120);
    expect(app.app.get<ResolvedAuthOptions>(AUTH_OPTIONS).pruneInterval).toBe(120);
  });

  it('deletes the dead sessions and their refresh tokens, keeps the others, and the app works on', async () => {
    // Two sessions of a user that go idle.
    const idle = await registerAndLogin(app);
    const idleAgain = (await login(idle.email)).body.refreshToken as string;
    const [{ id: idleUserId }] = await sql<Array<{ id: string }>>(
      app,
      'SELECT id FROM auth_users WHERE email = ?',
      [idle.email],
    );
    // A session kept alive by refreshing, and one logged out long ago.
    const active = await registerAndLogin(app);
    const loggedOut = await registerAndLogin(app);
    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(loggedOut.accessToken))
      .expect(204);
    app.clock.advance(30 * MINUTE);
    const activeRefreshed = await refresh(active.refreshToken).expect(200);

    // The idle sessions died an hour after login; now that is longer ago than the retention.
    app.clock.advance(30 * MINUTE + RETENTION + 1_000);
    // Logged out just now: the revocation list still needs it.
    const justLoggedOut = await registerAndLogin(app);
    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(justLoggedOut.accessToken))
      .expect(204);
    const deadIds = [idle.refreshToken, idleAgain, loggedOut.refreshToken].map(sessionIdOf);
    expect(await count(app, 'SELECT COUNT(*) AS n FROM auth_sessions')).toBe(5);

    await expect(app.app.get(SessionPruner).pruneNow()).resolves.toBe(3);

    expect(
      await count(app, 'SELECT COUNT(*) AS n FROM auth_sessions WHERE user_id = ?', [idleUserId]),
    ).toBe(0);
    for (const id of deadIds) {
      expect(await count(app, 'SELECT COUNT(*) AS n FROM auth_sessions WHERE id = ?', [id])).toBe(
        0,
      );
      expect(
        await count(app, 'SELECT COUNT(*) AS n FROM auth_refresh_tokens WHERE session_id = ?', [
          id,
        ]),
      ).toBe(0);
    }
    expect(await count(app, 'SELECT COUNT(*) AS n FROM auth_sessions')).toBe(2);
    // The refreshed session's chain (the first token and its successor) and the logged-out one's token.
    expect(await count(app, 'SELECT COUNT(*) AS n FROM auth_refresh_tokens')).toBe(3);

    // The live session refreshes, and its new access token works; the pruned ones stay refused.
    const again = await refresh(activeRefreshed.body.refreshToken as string).expect(200);
    await app
      .http()
      .get('/auth/me')
      .set(...bearer(again.body.accessToken as string))
      .expect(200);
    await refresh(idle.refreshToken).expect(401);
    // The session logged out just now is still refused.
    await app
      .http()
      .get('/auth/me')
      .set(...bearer(justLoggedOut.accessToken))
      .expect(401);
    // Nothing more to prune; a new login works.
    await expect(app.app.get(SessionPruner).pruneNow()).resolves.toBe(0);
    await login(idle.email);
  });

  it('keeps nothing of a session logged out longer ago than the retention', async () => {
    const user = await registerAndLogin(app, uniqueEmail('late'));
    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(user.accessToken))
      .expect(204);
    const id = sessionIdOf(user.refreshToken);

    app.clock.advance(RETENTION);
    await app.app.get(SessionPruner).pruneNow();
    expect(await count(app, 'SELECT COUNT(*) AS n FROM auth_sessions WHERE id = ?', [id])).toBe(1);

    app.clock.advance(1_000);
    await app.app.get(SessionPruner).pruneNow();
    expect(await count(app, 'SELECT COUNT(*) AS n FROM auth_sessions WHERE id = ?', [id])).toBe(0);
  });
});

describe('pruning with a host app’s own session store', () => {
  const clock = new ManualClock();
  let host: HostApp;

  beforeAll(async () => {
    host = await startHostApp('no-typeorm', (builder) =>
      builder.overrideProvider(CLOCK).useValue(clock),
    );
  });
  afterAll(() => host.close());

  it('prunes through the store’s pruneExpired, its refresh tokens with it', async () => {
    const store = host.app.get(InMemorySessionStore);
    const now = clock.now();
    async function createSession(idleExpiresAt: number): Promise<string> {
      const id = randomUUID();
      await store.createSession(
        {
          id,
          userId: randomUUID(),
          createdAt: now,
          lastUsedAt: now,
          idleExpiresAt,
          absoluteExpiresAt: now + 24 * 60 * MINUTE,
          userAgent: null,
          ip: null,
          authTime: now,
          amr: ['pwd'],
          acr: 'aal1',
        },
        { id: randomUUID(), issuedAt: now, expiresAt: idleExpiresAt, generation: 0 },
      );
      return id;
    }
    const dead = await createSession(now + MINUTE);
    const live = await createSession(now + 60 * MINUTE);

    // The host's options keep the default access-token lifetime, 900 s.
    clock.advance(MINUTE + RETENTION + 1);
    await expect(host.app.get(SessionPruner).pruneNow()).resolves.toBe(1);

    await expect(store.findSession(dead)).resolves.toBeNull();
    expect(store.refreshTokensOf(dead)).toEqual([]);
    await expect(store.findSession(live)).resolves.not.toBeNull();
    expect(store.refreshTokensOf(live)).toHaveLength(1);
  });
});
