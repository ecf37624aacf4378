import { USER_STORE, type UserStore } from '../src/auth';
import { ManualClock } from '../src/auth/testing';
import { decodeJwt } from './support/jwt-forge';
import {
  graphqlWsClient,
  holdSubscription,
  listen,
  subscribeOnce,
} from './support/realtime-clients';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/**
 * GraphQL at /graphql (CONTRACT §4.14): Apollo on Express, Mercurius on Fastify, behind the same guards and
 * decorators as the REST routes; subscriptions over graphql-transport-ws follow their session.
 */
describe('GraphQL', () => {
  let app: TestApp;
  let baseUrl: string;
  const adminEmail = uniqueEmail('gql-admin');
  const ADMIN_PASSWORD = 'admin password 0123';

  beforeAll(async () => {
    app = await startTestApp({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD });
    baseUrl = await listen(app.app);
  });
  afterAll(() => app.close());

  const graphql = (query: string, token?: string) => {
    const post = app.http().post('/graphql').send({ query });
    return token === undefined ? post : post.set(...bearer(token));
  };
  const codesOf = (body: { errors?: { extensions?: { code?: string } }[] }) =>
    (body.errors ?? []).map((error) => error.extensions?.code);

  it('answers me for the bearer of an access token', async () => {
    const user = await registerAndLogin(app);

    const response = await graphql('{ me { id email roles emailVerified } }', user.accessToken);

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.me).toMatchObject({
      id: decodeJwt(user.accessToken).payload.sub,
      email: user.email,
      roles: ['user'],
    });
  });

  it('refuses me without a token, with a bad one or a revoked one: UNAUTHENTICATED, never a 5xx', async () => {
    const user = await registerAndLogin(app);
    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(user.accessToken))
      .expect(204);

    for (const token of [undefined, 'not.a.token', `${user.accessToken}x`, user.accessToken]) {
      const response = await graphql('{ me { id } }', token);
      expect(response.status).toBeLessThan(500);
      expect(codesOf(response.body)).toEqual(['UNAUTHENTICATED']);
      expect(JSON.stringify(response.body)).not.toContain(user.accessToken);
    }
  });

  it('answers a malformed query, an unknown field or a wrong variable with a 4xx or GraphQL errors, never a 5xx', async () => {
    const user = await registerAndLogin(app);
    const bodies: object[] = [
      { query: '{' },
      { query: '{ nothingHere }' },
      { query: 'query ($x: Int!) { publicPing }', variables: { x: 'text' } },
      { query: 42 },
      {},
    ];
    for (const body of bodies) {
      const response = await app
        .http()
        .post('/graphql')
        .set(...bearer(user.accessToken))
        .send(body);
      expect(response.status).toBeLessThan(500);
      expect(JSON.stringify(response.body)).not.toContain(user.accessToken);
    }
  });

  it('answers publicPing without a token', async () => {
    const response = await graphql('{ publicPing }');

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ publicPing: 'pong' });
  });

  it('signs the caller in on a @Public() query with a valid token, and is anonymous with any other', async () => {
    const user = await registerAndLogin(app);
    const revoked = await registerAndLogin(app);
    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(revoked.accessToken))
      .expect(204);

    const signedIn = await graphql('{ whoAmI }', user.accessToken);
    expect(signedIn.body).toEqual({ data: { whoAmI: decodeJwt(user.accessToken).payload.sub } });
    for (const token of [undefined, 'not.a.token', `${user.accessToken}x`, revoked.accessToken]) {
      const response = await graphql('{ whoAmI }', token);
      expect(response.body).toEqual({ data: { whoAmI: null } });
    }
  });

  it('answers adminPing to an admin, and FORBIDDEN to a user without the role', async () => {
    const user = await registerAndLogin(app);
    const admin = await app
      .http()
      .post('/auth/login')
      .send({ email: adminEmail, password: ADMIN_PASSWORD })
      .expect(200);

    const allowed = await graphql('{ adminPing }', admin.body.accessToken);
    const refused = await graphql('{ adminPing }', user.accessToken);

    expect(allowed.body.data).toEqual({ adminPing: 'pong' });
    expect(refused.status).toBeLessThan(500);
    expect(codesOf(refused.body)).toEqual(['FORBIDDEN']);
  });

  it('delivers the revocation of another session of the caller on sessionEvents', async () => {
    const user = await registerAndLogin(app);
    const other = await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    const { client, closed } = graphqlWsClient(baseUrl, user.accessToken);
    try {
      const event = subscribeOnce(client, 'subscription { sessionEvents { type sessionId } }');
      // The subscription is started once the server has acknowledged it; a query on the same socket settles that.
      await subscribeOnce(client, '{ publicPing }');

      await app
        .http()
        .post('/auth/logout')
        .set(...bearer(other.body.accessToken))
        .expect(204);

      expect(await event).toEqual({
        data: {
          sessionEvents: {
            type: 'revoked',
            sessionId: decodeJwt(other.body.accessToken).payload.sid,
          },
        },
      });
    } finally {
      await client.dispose();
      await closed;
    }
  });

  it('closes a subscription connection with a bad token with 4401', async () => {
    const { client, closed } = graphqlWsClient(baseUrl, 'not.a.token');

    expect(await closed).toEqual({ code: 4401 });
    await client.dispose();
  });

  it('closes a subscription connection with 4401 when its session is revoked', async () => {
    const user = await registerAndLogin(app);
    const { client, closed } = graphqlWsClient(baseUrl, user.accessToken);
    await holdSubscription(client, 'subscription { sessionEvents { type sessionId } }');

    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(user.accessToken))
      .expect(204);

    expect(await closed).toEqual({ code: 4401 });
    await client.dispose();
  });
  describe('cost per operation (aliases, depth), bounded before anything runs', () => {
    const aliasesOfMe = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => `m${index}: me { id }`).join(' ')} }`;
    /** Counts the user lookups while `work` runs, on the real store. */
    async function lookupsDuring(work: () => Promise<unknown>): Promise<number> {
      const users = app.app.get<UserStore>(USER_STORE);
      const spy = jest.spyOn(users, 'findById');
      try {
        await work();
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    }
    const refusedAsInvalid = (response: {
      status: number;
      body: { errors?: { message: string }[] };
    }) => {
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors?.[0]?.message).toMatch(/more than 100 selections|deeper than 10/);
    };

    it('refuses a thousand aliases of me without one lookup', async () => {
      const user = await registerAndLogin(app);
      let response: Awaited<ReturnType<typeof graphql>> | undefined;

      const lookups = await lookupsDuring(async () => {
        response = await graphql(aliasesOfMe(1000), user.accessToken);
      });

      refusedAsInvalid(response!);
      expect(response!.body.data ?? undefined).toBeUndefined();
      expect(lookups).toBe(0);
    });

    it('looks the caller up once per operation, however many aliases ask', async () => {
      const user = await registerAndLogin(app);
      const once = await lookupsDuring(() => graphql(aliasesOfMe(1), user.accessToken).expect(200));
      let response: Awaited<ReturnType<typeof graphql>> | undefined;

      const many = await lookupsDuring(async () => {
        response = await graphql(aliasesOfMe(50), user.accessToken);
      });

      expect(response!.status).toBe(200);
      expect(Object.keys(response!.body.data as object)).toHaveLength(50);
      expect(once).toBeGreaterThan(0);
      expect(many).toBe(once);
      // And again on the next operation: nothing is kept between them.
      expect(await lookupsDuring(() => graphql(aliasesOfMe(2), user.accessToken).expect(200))).toBe(
        once,
      );
    });

    it('refuses fragments that multiply selections, quickly', async () => {
      const levels = 40;
      const fragments = [`fragment F0 on Query { a: publicPing b: publicPing }`];
      for (let level = 1; level <= levels; level += 1) {
        fragments.push(
          `fragment F${level} on Query { ...F${level - 1} ... on Query { ...F${level - 1} } }`,
        );
      }
      const started = Date.now();

      const response = await graphql(`{ ...F${levels} } ${fragments.join(' ')}`);

      refusedAsInvalid(response);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('refuses an operation nested deeper than ten fields', async () => {
      let query = 'name';
      for (let level = 0; level < 10; level += 1) query = `ofType { ${query} }`;

      const response = await graphql(`{ __schema { types { fields { type { ${query} } } } } }`);

      refusedAsInvalid(response);
    });
  });
});

/**
 * Expiry: access tokens live 1 s here. The app's clock is a ManualClock standing still on a whole second (a token's
 * exp is in whole seconds), and the registry's timer runs in real time from it: 1 s after connecting.
 */
describe('GraphQL subscriptions at the access token’s expiry', () => {
  let app: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    app = await startTestApp(
      { JWT_EXPIRATION: '1' },
      new ManualClock(Math.floor(Date.now() / 1000) * 1000),
    );
    baseUrl = await listen(app.app);
  });
  afterAll(() => app.close());

  it('closes a subscription connection with 4401 at its token’s exp', async () => {
    const user = await registerAndLogin(app);
    const { client, closed } = graphqlWsClient(baseUrl, user.accessToken);
    try {
      await holdSubscription(client, 'subscription { sessionEvents { type sessionId } }');

      expect(await closed).toEqual({ code: 4401 });
    } finally {
      await client.dispose();
    }
  });
});
