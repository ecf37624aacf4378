import { Client } from 'pg';
import type { Response } from 'supertest';
import { type CutMode, type CutOptions, startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { createTestDatabase, E2E_DATABASE, type TestDatabase } from './support/test-database';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  uniqueEmail,
  type LoggedIn,
  type TestApp,
} from './support/test-app';

/**
 * docs/operations.md, Outages, and docs/security-decisions.md: while PostgreSQL cannot be reached, auth endpoints answer 503 quickly (not 500, not a hang),
 * routes that need no database keep working, and the server recovers by itself once the database is back, having
 * lost nothing: a rotation cut halfway leaves its session as it was.
 *
 * The outage is made by a TCP proxy of this suite's own between the app and the machine's PostgreSQL, which other
 * suites share and which must never be stopped. Only the postgres projects run it: an embedded SQLite database
 * cannot become unreachable.
 */
const describeOnPostgres = E2E_DATABASE === 'postgres' ? describe : describe.skip;

/** The suite's apps run with DATABASE_TIMEOUT=1: the pool gives up on a dead database after 1 to 1.5 s. */
const DATABASE_TIMEOUT = '1';
/** A bound on a hang (minutes, without the timeouts), not a benchmark: room for a busy machine above 1.5 s. */
const FAST_FAILURE_MS = 3000;
/** How long the app may take to find the database again once it answers. */
const RECOVERY_MS = 10_000;

/**
 * The outages: a server that is down (connections refused), a partition (new connections never answered, open ones
 * reset), and a partition that leaves open connections hanging (only the client's query timeout notices).
 */
const OUTAGES: { label: string; mode: CutMode; options?: CutOptions }[] = [
  { label: 'refuse', mode: 'refuse' },
  { label: 'blackhole', mode: 'blackhole' },
  {
    label: 'blackhole, open connections hang',
    mode: 'blackhole',
    options: { openConnections: 'hang' },
  },
];

/** What the app sends between spending a refresh token and storing its successor (and also when it logs in). */
const SUCCESSOR_INSERT = 'INSERT INTO "auth_refresh_tokens"';

const UNAVAILABLE = {
  statusCode: 503,
  message: 'The database is unavailable; try again shortly',
  error: 'Service Unavailable',
  code: 'DATABASE_UNAVAILABLE',
};

/** Prints the measured times when E2E_OUTAGE_TIMINGS is set. */
const timings: string[] = [];

async function timed(label: string, send: () => PromiseLike<Response>): Promise<Response> {
  const started = Date.now();
  const response = await send();
  const elapsed = Date.now() - started;
  timings.push(`${label}: ${response.status} in ${elapsed} ms`);
  expect(elapsed).toBeLessThan(FAST_FAILURE_MS);
  return response;
}

function expectUnavailable(response: Response): void {
  expect(response.status).toBe(503);
  expect(response.body).toEqual(UNAVAILABLE);
  expect(response.headers['retry-after']).toBe('5');
}

async function waitUntilHealthy(app: TestApp): Promise<number> {
  const started = Date.now();
  for (;;) {
    const response = await app.http().get('/health');
    if (response.status === 200) return Date.now() - started;
    if (Date.now() - started > RECOVERY_MS) {
      throw new Error(`/health still ${response.status} after ${RECOVERY_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describeOnPostgres('database outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;
  /** Straight to PostgreSQL, not through the proxy: to look at what the app left in the database. */
  let direct: Client;
  let user: LoggedIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { hostname, port } = new URL(database.url);
    proxy = await startTcpProxy({ host: hostname, port: Number(port) });
    // startTestApp drops only a database it created itself: this one is dropped in afterAll.
    app = await startTestApp({ DATABASE_URL: proxy.urlThrough(database.url), DATABASE_TIMEOUT });
    direct = new Client({ connectionString: database.url });
    await direct.connect();
    user = await registerAndLogin(app);
  });

  afterAll(async () => {
    proxy?.restore();
    await app?.close();
    await proxy?.close();
    await direct?.end();
    await database?.drop();
    if (process.env.E2E_OUTAGE_TIMINGS) console.log(timings.join('\n'));
  });

  describe.each(OUTAGES)('while PostgreSQL is cut: $label', ({ label, mode, options }) => {
    beforeAll(async () => {
      // Connections in the pool, so that the cut finds some open.
      await app.http().get('/health').expect(200);
      proxy.cut(mode, options);
    });

    it('answers 503 to login, quickly', async () => {
      const response = await timed(`${label} login`, () =>
        app.http().post('/auth/login').send({ email: user.email, password: PASSWORD }),
      );
      expectUnavailable(response);
    });

    it('answers 503 to register, quickly', async () => {
      const response = await timed(`${label} register`, () =>
        app.http().post('/auth/register').send({ email: uniqueEmail(), password: PASSWORD }),
      );
      expectUnavailable(response);
    });

    it('answers 503 to refresh, quickly', async () => {
      const response = await timed(`${label} refresh`, () =>
        app.http().post('/auth/refresh').send({ refreshToken: user.refreshToken }),
      );
      expectUnavailable(response);
    });

    it('reports itself unhealthy on /health, quickly', async () => {
      const response = await timed(`${label} health`, () => app.http().get('/health'));
      expect(response.status).toBe(503);
    });

    it('keeps serving routes that need no database: /protected with an access token', async () => {
      const response = await timed(`${label} protected`, () =>
        app
          .http()
          .get('/protected')
          .set(...bearer(user.accessToken)),
      );
      expect(response.status).toBe(200);
      expect(response.body.user.email).toBe(user.email);
      await app.http().get('/public').expect(200);
    });

    it('recovers by itself once PostgreSQL is back: /health, login, refresh of the earlier token', async () => {
      proxy.restore();
      timings.push(`${label} recovery: /health 200 after ${await waitUntilHealthy(app)} ms`);
      await app
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
      // The failed attempts spent nothing: the refresh token from before the outage still rotates.
      const refreshed = await app
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(200);
      user = { ...user, ...pick(refreshed.body) };
      await app
        .http()
        .get('/protected')
        .set(...bearer(user.accessToken))
        .expect(200);
    });
  });

  describe('a rotation cut halfway', () => {
    afterEach(async () => {
      proxy.restore();
      await waitUntilHealthy(app);
    });

    it.each(OUTAGES)(
      'is rolled back: the presented token is not spent, and rotates once PostgreSQL is back ($label)',
      async ({ label, mode, options }) => {
        const session = await registerAndLogin(app);
        // Cut between spending the presented token and storing its successor, in the same transaction.
        const cut = proxy.cutWhenSent(SUCCESSOR_INSERT, mode, options);
        const response = await timed(`${label} rotation cut halfway`, () =>
          app.http().post('/auth/refresh').send({ refreshToken: session.refreshToken }),
        );
        await cut;
        expectUnavailable(response);
        proxy.restore();
        await waitUntilHealthy(app);
        await expectConsistentTokens();

        await app
          .http()
          .post('/auth/refresh')
          .send({ refreshToken: session.refreshToken })
          .expect(200);
        await expectConsistentTokens();
      },
    );

    it.each(OUTAGES)(
      'leaves every session consistent when refreshes in flight are cut ($label)',
      async ({ label, mode, options }) => {
        const email = uniqueEmail();
        const sessions = [await registerAndLogin(app, email)];
        for (let i = 1; i < 6; i += 1) {
          const login = await app
            .http()
            .post('/auth/login')
            .send({ email, password: PASSWORD })
            .expect(200);
          sessions.push({ email, ...pick(login.body) });
        }
        // One refresh per session, and a second, racing one on two of them.
        const presented = [...sessions, sessions[0], sessions[1]].map((s) => s.refreshToken);

        const cut = proxy.cutWhenSent(SUCCESSOR_INSERT, mode, options);
        const responses = await Promise.all(
          presented.map((refreshToken) =>
            timed(`${label} refresh in flight`, () =>
              app.http().post('/auth/refresh').send({ refreshToken }),
            ),
          ),
        );
        await cut;
        for (const response of responses) expect([200, 503]).toContain(response.status);
        expect(responses.some((response) => response.status === 503)).toBe(true);

        proxy.restore();
        await waitUntilHealthy(app);
        await expectConsistentTokens();

        // Nothing lost: a client whose refresh failed tries the same token again and gets a pair (a rotation, or
        // the successor of one that committed before its answer was lost, within the reuse grace).
        for (const [index, response] of responses.entries()) {
          if (response.status !== 503) continue;
          await app
            .http()
            .post('/auth/refresh')
            .send({ refreshToken: presented[index] })
            .expect(200);
        }
        await expectConsistentTokens();
      },
    );
  });

  /** Every session has at most one unspent refresh token, and every spent token's successor exists. */
  async function expectConsistentTokens(): Promise<void> {
    const twoUnspent = await direct.query(
      `SELECT session_id, count(*) AS unspent FROM auth_refresh_tokens
       WHERE spent_at IS NULL GROUP BY session_id HAVING count(*) > 1`,
    );
    expect(twoUnspent.rows).toEqual([]);
    const orphans = await direct.query(
      `SELECT spent.id, spent.successor_id FROM auth_refresh_tokens spent
       LEFT JOIN auth_refresh_tokens successor ON successor.id = spent.successor_id
       WHERE (spent.spent_at IS NOT NULL OR spent.successor_id IS NOT NULL)
         AND (successor.id IS NULL OR spent.spent_at IS NULL)`,
    );
    expect(orphans.rows).toEqual([]);
    const withoutLiveToken = await direct.query(
      `SELECT session.id FROM auth_sessions session
       WHERE NOT EXISTS (SELECT 1 FROM auth_refresh_tokens token
                         WHERE token.session_id = session.id AND token.spent_at IS NULL)`,
    );
    expect(withoutLiveToken.rows).toEqual([]);
  }
});

function pick(body: { accessToken: string; refreshToken: string }) {
  return { accessToken: body.accessToken, refreshToken: body.refreshToken };
}
