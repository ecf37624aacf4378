import { io, type Socket } from 'socket.io-client';
import { AppModule } from '../src/app.module.js';
import { type RunningHost, startHost } from './support/host-app.js';
import { hostChecks } from './support/host-checks.js';

// test/support/ is test/hosts/shared/, copied in by test/hosts/run.sh. Apollo serves GraphQL on Express here.
describe('nest-session-auth in a Nest 12 app with GraphQL and socket.io, on express', () => {
  let host: RunningHost | undefined;
  const url = () => host?.url ?? 'http://app-did-not-start.invalid';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    host = await startHost(AppModule, 'express');
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await host?.stop();
  });

  for (const check of hostChecks()) {
    it(check.name, () => check.run(url()));
  }

  async function signIn(): Promise<string> {
    const email = `realtime-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const password = 'realtime host passphrase 42';
    const post = (path: string) =>
      fetch(`${url()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
    expect((await post('/auth/register')).status).toBe(201);
    const login = await post('/auth/login');
    expect(login.status).toBe(200);
    return ((await login.json()) as { accessToken: string }).accessToken;
  }

  async function graphql(query: string, token?: string) {
    const response = await fetch(`${url()}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: Array<{ extensions?: { code?: string } }>;
    };
  }

  function socket(token?: string): Socket {
    const client = io(`${url()}/ws`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(client);
    return client;
  }

  it('answers a resolver with @CurrentUser(), and UNAUTHENTICATED / FORBIDDEN in GraphQL terms', async () => {
    const token = await signIn();

    expect((await graphql('{ me { email roles } }', token)).data?.me).toMatchObject({
      roles: ['user'],
    });
    expect((await graphql('{ publicPing }')).data).toEqual({ publicPing: 'pong' });
    expect((await graphql('{ me { id } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await graphql('{ adminPing }', token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a socket.io handshake without a token, and answers whoami on one with a token', async () => {
    const refused = await new Promise<string>((resolve) =>
      socket().on('connect_error', (error) => resolve(error.message)),
    );
    expect(refused).toBe('Unauthorized');

    const token = await signIn();
    const client = socket(token);
    await new Promise<void>((resolve, reject) => {
      client.on('connect', () => resolve());
      client.on('connect_error', reject);
    });
    const caller = await client.timeout(5000).emitWithAck('whoami');
    expect(caller).toMatchObject({ roles: ['user'] });
  });

  it('closes a socket when its session logs out', async () => {
    const token = await signIn();
    const client = socket(token);
    await new Promise<void>((resolve) => client.on('connect', () => resolve()));
    const disconnected = new Promise<string>((resolve) => client.on('disconnect', resolve));

    const logout = await fetch(`${url()}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });

    expect(logout.status).toBe(204);
    expect(await disconnected).toBe('io server disconnect');
  });
});
