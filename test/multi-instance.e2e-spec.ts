import { randomUUID } from 'node:crypto';
import { ManualClock } from '../src/auth';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';
import { createTestDatabase, E2E_DATABASE, type TestDatabase } from './support/test-database';

/**
 * Two instances of the app on one PostgreSQL database and one Redis behave as one (issue 3): rotation races across
 * them, the grace, theft, logout, and the limits. Only in the PostgreSQL projects: an in-memory SQLite database
 * cannot be shared.
 */
const describeOnPostgres = E2E_DATABASE === 'postgres' ? describe : describe.skip;

/** How long a revocation may take to reach the other instance (CONTRACT.md §4.4). */
const PROPAGATION_MS = 1000;

async function eventually(
  check: () => Promise<boolean>,
  withinMs = PROPAGATION_MS,
): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > withinMs) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}

describeOnPostgres('two instances sharing PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const clock = new ManualClock();

  async function startInstances(env: Record<string, string>): Promise<void> {
    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      // Keys of their own: other suites run at the same time on the same Redis.
      REDIS_KEY_PREFIX: `nest-auth-e2e:${randomUUID()}:`,
      ...env,
    };
    // One after the other: the first applies the migrations.
    a = await startTestApp(shared, clock);
    b = await startTestApp(shared, clock);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await startInstances({});
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database.drop();
  });

  const refreshOn = (app: TestApp, refreshToken: string) =>
    app.http().post('/auth/refresh').send({ refreshToken });

  it('lets one of many refreshes racing on both instances win, and answers the others with its successor', async () => {
    const user = await registerAndLogin(a);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        refreshOn(index % 2 === 0 ? a : b, user.refreshToken),
      ),
    );

    for (const response of responses) expect([200, 401]).toContain(response.status);
    const successors = new Set(
      responses.filter((r) => r.status === 200).map((r) => r.body.refreshToken as string),
    );
    expect(successors.size).toBe(1);
    await refreshOn(b, [...successors][0]).expect(200);
  });

  it('gives the same successor within the grace, whichever instance answers', async () => {
    const user = await registerAndLogin(a);
    const first = await refreshOn(a, user.refreshToken).expect(200);
    const again = await refreshOn(b, user.refreshToken).expect(200);

    expect(again.body.refreshToken).toBe(first.body.refreshToken);
  });

  it('revokes a stolen session on every instance when the theft is seen on one', async () => {
    const user = await registerAndLogin(a);
    const rotated = await refreshOn(a, user.refreshToken).expect(200);
    await a
      .http()
      .get('/protected')
      .set(...bearer(rotated.body.accessToken))
      .expect(200);
    clock.advanceSeconds(11);

    await refreshOn(b, user.refreshToken).expect(401);

    // B revoked it in the database and in Redis; A refuses the session's access token within a second.
    await eventually(
      async () =>
        (
          await a
            .http()
            .get('/protected')
            .set(...bearer(rotated.body.accessToken))
        ).status === 401,
    );
    await refreshOn(a, rotated.body.refreshToken).expect(401);
  });

  it('refuses on the other instance, within a second, the access token of a session logged out on one', async () => {
    const user = await registerAndLogin(a);
    await b
      .http()
      .get('/protected')
      .set(...bearer(user.accessToken))
      .expect(200);

    await a
      .http()
      .post('/auth/logout')
      .set(...bearer(user.accessToken))
      .expect(204);

    const took = await eventually(
      async () =>
        (
          await b
            .http()
            .get('/protected')
            .set(...bearer(user.accessToken))
        ).status === 401,
    );
    expect(took).toBeLessThan(PROPAGATION_MS);
  });

  it('slows an account down across instances', async () => {
    const email = uniqueEmail('shared');
    await a.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    for (let failure = 0; failure < 6; failure += 1) {
      await (failure % 2 === 0 ? a : b)
        .http()
        .post('/auth/login')
        .send({ email, password: 'wrong password' });
    }
    const waiting = await b.http().post('/auth/login').send({ email, password: PASSWORD });
    expect(waiting.status).toBe(429);
    expect(waiting.headers['retry-after']).toBe('1');
    clock.advanceSeconds(1);
    await a.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
  });

  describe('with a per-client limit', () => {
    beforeAll(async () => {
      await a.close();
      await b.close();
      await startInstances({ THROTTLE_AUTH_LIMIT: '3', THROTTLE_AUTH_TTL: '60' });
    });

    it("counts a client's requests on both instances against one limit", async () => {
      const statuses: number[] = [];
      for (const app of [a, b, a, b]) {
        statuses.push(
          (await app.http().post('/auth/login').send({ email: uniqueEmail(), password: 'x' }))
            .status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    });
  });
});
