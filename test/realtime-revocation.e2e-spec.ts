import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { decodeJwt } from './support/jwt-forge';
import { eventually, type Instances, signUp, sleep, startInstances } from './support/instances';
import {
  connected,
  disconnected,
  graphqlWsClient,
  holdSubscription,
  socketClient,
} from './support/realtime-clients';
import { PASSWORD } from './support/test-app';
import { createTestDatabase, E2E_DATABASE, type TestDatabase } from './support/test-database';

/**
 * Connections follow their session across instances (CONTRACT §4.14): two servers on one PostgreSQL database and
 * one Redis; a revocation made on one closes the sockets and subscriptions held on the other within one second.
 * Only in the PostgreSQL projects, as multi-instance: SQLite is not shared.
 */
const describeOnPostgres = E2E_DATABASE === 'postgres' ? describe : describe.skip;

/** The contract's second, with room for a loaded machine (as redis-outage allows). */
const CLOSE_WITHIN_MS = 1500;

function within<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  const timeout = sleep(milliseconds).then(() => {
    throw new Error(`not within ${milliseconds} ms`);
  });
  return Promise.race([promise, timeout]);
}

describeOnPostgres('connections on two instances sharing PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let instances: Instances;
  const sockets: Socket[] = [];

  const open = async (url: string, token: string) => {
    const socket = socketClient(url, token);
    sockets.push(socket);
    return connected(socket);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    instances = await startInstances(database, { REFRESH_REUSE_GRACE: '0' });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await instances?.stop();
    await database?.drop();
  });

  it('closes a socket held on instance B within a second of a logout on instance A', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    const socket = await open(b.url, user.accessToken);

    await request(a.url)
      .post('/auth/logout')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .expect(204);

    expect(await within(disconnected(socket), CLOSE_WITHIN_MS)).toBe('io server disconnect');
  });

  it('closes a subscription held on instance B with 4401 within a second of a logout on instance A', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    const { client, closed } = graphqlWsClient(b.url, user.accessToken);
    try {
      await holdSubscription(client, 'subscription { sessionEvents { type sessionId } }');

      await request(a.url)
        .post('/auth/logout')
        .set('Authorization', `Bearer ${user.accessToken}`)
        .expect(204);

      expect(await within(closed, CLOSE_WITHIN_MS)).toEqual({ code: 4401 });
    } finally {
      await client.dispose();
    }
  });

  it('delivers on sessionEvents, held on instance B, the logout of another session of the caller made on instance A', async () => {
    const { a, b } = instances;
    const user = await signUp(a);
    const other = await request(a.url)
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    const { client, closed } = graphqlWsClient(b.url, user.accessToken);
    try {
      const values = await holdSubscription(
        client,
        'subscription { sessionEvents { type sessionId } }',
      );

      await request(a.url)
        .post('/auth/logout')
        .set('Authorization', `Bearer ${other.body.accessToken as string}`)
        .expect(204);

      await eventually(() => Promise.resolve(values.length > 0), CLOSE_WITHIN_MS);
      expect(values).toEqual([
        {
          data: {
            sessionEvents: {
              type: 'revoked',
              sessionId: decodeJwt(other.body.accessToken as string).payload.sid,
            },
          },
        },
      ]);
    } finally {
      await client.dispose();
      await closed;
    }
  });

  it('closes the thief’s and the victim’s sockets, on both instances, when a stolen refresh token is reused', async () => {
    const { a, b } = instances;
    const victim = await signUp(a);
    const victimSocket = await open(a.url, victim.accessToken);
    const stolen = await request(b.url)
      .post('/auth/refresh')
      .send({ refreshToken: victim.refreshToken })
      .expect(200);
    const thiefSocket = await open(b.url, stolen.body.accessToken as string);
    // Past the grace (0 s: the spent token's second must be over).
    await sleep(1100);

    await request(a.url)
      .post('/auth/refresh')
      .send({ refreshToken: victim.refreshToken })
      .expect(401);

    expect(await within(disconnected(victimSocket), CLOSE_WITHIN_MS)).toBe('io server disconnect');
    expect(await within(disconnected(thiefSocket), CLOSE_WITHIN_MS)).toBe('io server disconnect');
  });
});
