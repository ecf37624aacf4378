import Redis from 'ioredis';
import request from 'supertest';
import { eventually, type Instances, signUp, sleep, startInstances } from './support/instances';
import type { ServerProcess } from './support/server-process';
import { PASSWORD, uniqueEmail } from './support/test-app';
import { createTestDatabase, E2E_DATABASE, type TestDatabase } from './support/test-database';

/**
 * Two instances of the server on one PostgreSQL database and one Redis behave as one (issue 3): rotation races
 * across them, the grace, theft, logout, and the limits. Only in the PostgreSQL projects: SQLite is not shared.
 */
const describeOnPostgres = E2E_DATABASE === 'postgres' ? describe : describe.skip;

/** How long a revocation may take to reach the other instance (docs/sessions.md: Routes). */
const PROPAGATION_MS = 1000;
const ADMIN = { email: uniqueEmail('instances-admin'), password: 'instances admin passphrase 7' };

const refresh = (server: ServerProcess, refreshToken: string) =>
  request(server.url).post('/auth/refresh').send({ refreshToken });
const isRefusedOn = async (server: ServerProcess, accessToken: string) =>
  (await request(server.url).get('/protected').set('Authorization', `Bearer ${accessToken}`))
    .status === 401;

describeOnPostgres('two instances sharing PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let instances: Instances;

  beforeAll(async () => {
    database = await createTestDatabase();
    instances = await startInstances(database, {
      REFRESH_REUSE_GRACE: '1',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(async () => {
    await instances?.stop();
    await database?.drop();
  });

  it('lets one of many refreshes racing on both instances win, and answers the others with its successor', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => refresh(index % 2 === 0 ? a : b, user.refreshToken)),
    );

    for (const response of responses) expect([200, 401]).toContain(response.status);
    const successors = new Set(
      responses.filter((r) => r.status === 200).map((r) => r.body.refreshToken as string),
    );
    expect(successors.size).toBe(1);
    await refresh(b, [...successors][0]).expect(200);
  });

  it('gives the same successor within the grace, whichever instance answers', async () => {
    const user = await signUp(instances.a);
    const first = await refresh(instances.a, user.refreshToken).expect(200);
    const again = await refresh(instances.b, user.refreshToken).expect(200);

    expect(again.body.refreshToken).toBe(first.body.refreshToken);
  });

  it('revokes a stolen session on every instance when the theft is seen on one', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    const rotated = await refresh(a, user.refreshToken).expect(200);
    expect(await isRefusedOn(a, rotated.body.accessToken)).toBe(false);
    await sleep(1100); // past the 1 s grace

    await refresh(b, user.refreshToken).expect(401);

    const took = await eventually(() => isRefusedOn(a, rotated.body.accessToken), PROPAGATION_MS);
    expect(took).toBeLessThan(PROPAGATION_MS);
    await refresh(a, rotated.body.refreshToken).expect(401);
  });

  it('refuses on the other instance, within a second, the access token of a session logged out on one', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    expect(await isRefusedOn(b, user.accessToken)).toBe(false);

    await request(a.url)
      .post('/auth/logout')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .expect(204);

    const took = await eventually(() => isRefusedOn(b, user.accessToken), PROPAGATION_MS);
    expect(took).toBeLessThan(PROPAGATION_MS);
  });

  /** The id of the user of `accessToken`, and an admin's access token from instance `server`. */
  async function adminOn(server: ServerProcess): Promise<string> {
    const login = await request(server.url).post('/auth/login').send(ADMIN).expect(200);
    return login.body.accessToken as string;
  }
  const userIdOf = (accessToken: string) =>
    JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sub as string;

  it('refuses on the other instance, within a second, the access tokens issued before a role change; a refresh there carries the new roles', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    expect(await isRefusedOn(b, user.accessToken)).toBe(false);

    await request(a.url)
      .patch(`/auth/admin/users/${userIdOf(user.accessToken)}`)
      .set('Authorization', `Bearer ${await adminOn(a)}`)
      .send({ roles: ['user', 'editor'] })
      .expect(200);

    const took = await eventually(() => isRefusedOn(b, user.accessToken), PROPAGATION_MS);
    expect(took).toBeLessThan(PROPAGATION_MS);
    const refreshed = await refresh(b, user.refreshToken).expect(200);
    for (const server of [a, b]) {
      const me = await request(server.url)
        .get('/auth/me')
        .set('Authorization', `Bearer ${refreshed.body.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body.roles).toEqual(['user', 'editor']);
    }
  });

  it('refuses a user disabled on one instance everywhere: old tokens within a second, login at once', async () => {
    const { a, b } = instances;
    const user = await signUp(a);

    await request(a.url)
      .patch(`/auth/admin/users/${userIdOf(user.accessToken)}`)
      .set('Authorization', `Bearer ${await adminOn(a)}`)
      .send({ disabled: true })
      .expect(200);

    const took = await eventually(() => isRefusedOn(b, user.accessToken), PROPAGATION_MS);
    expect(took).toBeLessThan(PROPAGATION_MS);
    const login = await request(b.url)
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD });
    expect(login.status).toBe(403);
    await refresh(b, user.refreshToken).expect(401);
  });

  it('slows an account down across instances', async () => {
    const { a, b } = instances;
    const email = uniqueEmail('shared');
    await request(a.url).post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    for (let failure = 0; failure < 6; failure += 1) {
      await request((failure % 2 === 0 ? a : b).url)
        .post('/auth/login')
        .send({ email, password: 'wrong password' });
    }
    const waiting = await request(b.url).post('/auth/login').send({ email, password: PASSWORD });
    expect(waiting.status).toBe(429);
    expect(waiting.headers['retry-after']).toBe('1');
    // The shared counters are keyed by a keyed hash of the address: Redis holds no personal data.
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${instances.redisKeyPrefix}failed-logins:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => key.includes('@'))).toEqual([]);
    } finally {
      redis.disconnect();
    }
    await sleep(1100);
    await request(a.url).post('/auth/login').send({ email, password: PASSWORD }).expect(200);
  });
});

describeOnPostgres('two instances with a per-client limit', () => {
  let database: TestDatabase;
  let instances: Instances;

  beforeAll(async () => {
    database = await createTestDatabase();
    instances = await startInstances(database, {
      THROTTLE_AUTH_LIMIT: '3',
      THROTTLE_AUTH_TTL: '60',
    });
  });
  afterAll(async () => {
    await instances?.stop();
    await database?.drop();
  });

  it("counts a client's requests on both instances against one limit", async () => {
    const { a, b } = instances;
    const statuses: number[] = [];
    for (const server of [a, b, a, b]) {
      statuses.push(
        (
          await request(server.url)
            .post('/auth/login')
            .send({ email: uniqueEmail(), password: 'x' })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
