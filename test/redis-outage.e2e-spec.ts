import request from 'supertest';
import { eventually, type Instances, signUp, startInstances } from './support/instances';
import type { ServerProcess } from './support/server-process';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { PASSWORD, uniqueEmail } from './support/test-app';
import { createTestDatabase, E2E_DATABASE, type TestDatabase } from './support/test-database';

/**
 * Two instances while their Redis is unreachable (issue 3): a TCP proxy of the test's own stands between them and
 * the machine's Redis, which other suites share and which is never stopped. Only in the PostgreSQL projects.
 */
const describeOnPostgres = E2E_DATABASE === 'postgres' ? describe : describe.skip;

const isRefusedOn = async (server: ServerProcess, accessToken: string) =>
  (await request(server.url).get('/protected').set('Authorization', `Bearer ${accessToken}`))
    .status === 401;
const healthOf = async (server: ServerProcess) => request(server.url).get('/health');
const ADMIN = { email: uniqueEmail('outage-admin'), password: 'outage admin passphrase 9' };

describeOnPostgres('two instances while Redis is unreachable', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let instances: Instances;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    instances = await startInstances(
      database,
      { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      `redis://127.0.0.1:${proxy.port}`,
    );
  });
  afterAll(async () => {
    proxy?.restore();
    await instances?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('keeps answering from the last known revocations, logs users in, and reports Redis down on /health', async () => {
    const { a, b } = instances;
    const revoked = await signUp(a);
    const live = await signUp(a);
    await request(a.url)
      .post('/auth/logout')
      .set('Authorization', `Bearer ${revoked.accessToken}`)
      .expect(204);
    // Within a second, plus room for a loaded machine (a CI run missed 1000 ms by a little).
    await eventually(() => isRefusedOn(b, revoked.accessToken), 1500);

    proxy.cut('refuse');

    await eventually(async () => (await healthOf(b)).status === 503, 3000);
    const report = await healthOf(b);
    expect(report.body.details.redis.status).toBe('down');
    expect(report.body.details.database.status).toBe('up');
    expect(await isRefusedOn(b, revoked.accessToken)).toBe(true);
    expect(await isRefusedOn(b, live.accessToken)).toBe(false);
    // The limits let requests through rather than lock everyone out.
    const email = uniqueEmail('outage');
    await request(b.url).post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    await request(b.url).post('/auth/login').send({ email, password: PASSWORD }).expect(200);

    proxy.restore();
    await eventually(async () => (await healthOf(b)).status === 200, 3000);
  });

  it('refuses a revocation made during the outage on every instance within about a second, by polling the database', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    expect(await isRefusedOn(b, user.accessToken)).toBe(false);
    proxy.cut('refuse');
    await eventually(async () => (await healthOf(b)).status === 503, 3000);

    // Revoked in the database and on A; no message can reach B while Redis is away, but B reads the database.
    await request(a.url)
      .post('/auth/logout')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .expect(204);
    expect(await isRefusedOn(a, user.accessToken)).toBe(true);
    // A poll every 0.5 s: within a second, plus room for a loaded machine.
    await eventually(() => isRefusedOn(b, user.accessToken), 1500);

    proxy.restore();
    await eventually(async () => (await healthOf(b)).status === 200, 3000);
    expect(await isRefusedOn(b, user.accessToken)).toBe(true);
  });

  it('refuses a revocation made on either instance during the outage on the other one', async () => {
    const { a, b } = instances;
    const users = [await signUp(a), await signUp(b)];
    proxy.cut('refuse');
    await eventually(async () => (await healthOf(a)).status === 503, 3000);

    for (const [user, on] of [
      [users[0], b],
      [users[1], a],
    ] as const) {
      await request(on.url)
        .post('/auth/logout')
        .set('Authorization', `Bearer ${user.accessToken}`)
        .expect(204);
    }
    await eventually(() => isRefusedOn(a, users[0].accessToken), 1500);
    await eventually(() => isRefusedOn(b, users[1].accessToken), 1500);
    proxy.restore();
    await eventually(async () => (await healthOf(a)).status === 200, 3000);
  });

  it('refuses on the other instance, by polling, the access tokens issued before a role change made during the outage', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    const admin = await request(a.url).post('/auth/login').send(ADMIN).expect(200);
    const userId = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString())
      .sub as string;
    proxy.cut('refuse');
    await eventually(async () => (await healthOf(b)).status === 503, 3000);

    await request(a.url)
      .patch(`/auth/admin/users/${userId}`)
      .set('Authorization', `Bearer ${admin.body.accessToken as string}`)
      .send({ roles: ['user', 'editor'] })
      .expect(200);

    await eventually(() => isRefusedOn(b, user.accessToken), 1500);
    // The session lives on: a refresh on B carries the new roles, and B takes its token.
    const refreshed = await request(b.url)
      .post('/auth/refresh')
      .send({ refreshToken: user.refreshToken })
      .expect(200);
    expect(await isRefusedOn(b, refreshed.body.accessToken as string)).toBe(false);
    proxy.restore();
    await eventually(async () => (await healthOf(b)).status === 200, 3000);
  });
});
