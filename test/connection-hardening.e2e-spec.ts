import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import {
  ask,
  connected,
  disconnected,
  graphqlWsClient,
  holdSubscription,
  listen,
  socketClient,
  subscribeOnce,
} from './support/realtime-clients';
import { registerAndLogin, startTestApp, type TestApp } from './support/test-app';

/**
 * CONTRACT §4.14 and docs/security.md: both GraphQL drivers hardened alike (no introspection in production; a
 * second `connection_init` closes the socket with 4429), budgets for long-lived connections (a socket.io
 * connection's events, a GraphQL WebSocket's messages), and HTTP requests bounded in time.
 */
const HEADERS_TIMEOUT_MS = 300;
const REQUEST_TIMEOUT_MS = 600;

/** A raw `graphql-transport-ws` socket to `/graphql`, open, with what it received and how it closed. */
async function rawGraphqlSocket(baseUrl: string) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: string[] = [];
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.on('message', (data: Buffer) => messages.push(data.toString()));
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, messages, closed };
}

/** Resolves once `predicate` holds, polling every 10 ms (at most 5 s). */
async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(predicate()).toBe(true);
}

/**
 * Opens a TCP connection to `baseUrl`, writes `first`, then `drip` every `everyMs` until the server ends the
 * connection: resolves with what it answered (empty when it only closed) and how long it took.
 */
function trickle(baseUrl: string, first: string, drip: string, everyMs: number) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise<{ answer: string; ms: number }>((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(Number(port), hostname);
    let answer = '';
    socket.write(first);
    const timer = setInterval(() => socket.write(drip), everyMs);
    socket.on('data', (data) => (answer += data.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: Date.now() - started });
    });
  });
}
describe('hardening of connections', () => {
  describe('a development server', () => {
    let app: TestApp;
    let baseUrl: string;
    beforeAll(async () => {
      app = await startTestApp({
        THROTTLE_AUTH_LIMIT: '100000',
        // Short, so that a trickling client is cut off within a second.
        HTTP_HEADERS_TIMEOUT: String(HEADERS_TIMEOUT_MS),
        HTTP_REQUEST_TIMEOUT: String(REQUEST_TIMEOUT_MS),
      });
      baseUrl = await listen(app.app);
    });
    afterAll(() => app.close());

    it('closes a GraphQL socket that sends connection_init twice with 4429', async () => {
      const user = await registerAndLogin(app);
      const { socket, messages, closed } = await rawGraphqlSocket(baseUrl);
      const init = JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${user.accessToken}` },
      });

      socket.send(init);
      await until(() => messages.some((message) => message.includes('connection_ack')));
      socket.send(init);

      expect(await closed).toBe(4429);
    });

    it('answers introspection outside production (the schema is no secret while developing)', async () => {
      const response = await app
        .http()
        .post('/graphql')
        .send({ query: '{ __schema { queryType { name } } }' });

      expect(response.body.data?.__schema?.queryType?.name).toBe('Query');
    });

    it("disconnects a socket that bursts 20,000 events, and the others' events are answered meanwhile", async () => {
      const user = await registerAndLogin(app);
      const flooder = await connected(socketClient(baseUrl, user.accessToken));
      const bystander = await connected(socketClient(baseUrl, user.accessToken));

      const started = Date.now();
      for (let event = 0; event < 20_000; event += 1) flooder.emit('whoami');
      const answer = await ask(bystander, 'whoami');

      expect(answer).toMatchObject({ email: user.email });
      expect(await disconnected(flooder)).toBe('io server disconnect');
      expect(Date.now() - started).toBeLessThan(5000);
      // A socket within its budget keeps being served.
      for (let event = 0; event < 20; event += 1) {
        expect(await ask(bystander, 'whoami')).toMatchObject({ email: user.email });
      }
      bystander.disconnect();
    });

    it('closes a GraphQL WebSocket that bursts messages with 1008, before connection_init and after; an ordinary client is untouched', async () => {
      const user = await registerAndLogin(app);
      const bystander = graphqlWsClient(baseUrl, user.accessToken);
      let bystanderClosed = false;
      void bystander.closed.then(() => (bystanderClosed = true));
      // A running subscription keeps the client's socket open (graphql-ws closes an idle one).
      await holdSubscription(bystander.client, 'subscription { sessionEvents { type } }');
      const init = JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${user.accessToken}` },
      });
      const ping = JSON.stringify({ type: 'ping' });
      const authenticated = await rawGraphqlSocket(baseUrl);
      authenticated.socket.send(init);
      await until(() => authenticated.messages.some((m) => m.includes('connection_ack')));
      // Within the budget (a burst of 100, then 50 a second) every message is served...
      for (let message = 0; message < 50; message += 1) authenticated.socket.send(ping);
      await until(() => authenticated.messages.filter((m) => m.includes('pong')).length === 50);
      // ...past it the socket is closed.
      for (let message = 0; message < 2000; message += 1) authenticated.socket.send(ping);
      expect(await authenticated.closed).toBe(1008);
      // Before connection_init too: Mercurius would answer such pings for as long as the socket stays open.
      const anonymous = await rawGraphqlSocket(baseUrl);
      for (let message = 0; message < 2000; message += 1) anonymous.socket.send(ping);
      expect(await anonymous.closed).toBe(1008);
      // Meanwhile the ordinary client, on its own budget, is served as before.
      expect(await subscribeOnce(bystander.client, '{ me { email } }')).toEqual({
        data: { me: { email: user.email } },
      });
      expect(bystanderClosed).toBe(false);
      await bystander.client.dispose();
    });

    it('closes a connection trickling its headers past the headers timeout, with 408 or at once', async () => {
      const { answer, ms } = await trickle(
        baseUrl,
        'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n',
        'X-Slow: 1\r\n',
        50,
      );

      expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS * 5);
    });

    it('closes a connection trickling its body past the request timeout, with 408 or at once', async () => {
      const { answer, ms } = await trickle(
        baseUrl,
        'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          'Content-Length: 1000\r\n\r\n{"email":"',
        'a',
        50,
      );

      expect(answer === '' || answer.startsWith('HTTP/1.1 408') ? '408 or closed' : answer).toBe(
        '408 or closed',
      );
      expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS * 5);
    });

    it('answers a request whose body arrives in pieces within the timeouts', async () => {
      const { hostname, port } = new URL(baseUrl);
      const body = JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' });
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(Number(port), hostname);
        let received = '';
        socket.on('data', (data) => {
          received += data.toString();
          if (received.includes('\r\n\r\n')) socket.end();
        });
        socket.on('close', () => resolve(received));
        socket.write(
          'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
        );
        setTimeout(() => socket.write(body.slice(10)), 100);
      });

      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    });
  });

  describe('a production server', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({
        NODE_ENV: 'production',
        BCRYPT_ROUNDS: '10',
        // Required in production; nothing listens there and no test here sends mail.
        SMTP_URL: 'smtp://127.0.0.1:9',
        // Required in production while the second factor is on.
        MFA_ENCRYPTION_KEY: 'hardening-mfa-encryption-key-0123456789abcdef',
      });
    });
    afterAll(() => app.close());

    it('refuses introspection on either driver, and still answers queries', async () => {
      for (const query of [
        '{ __schema { queryType { name } } }',
        '{ __type(name: "Query") { name } }',
      ]) {
        const response = await app.http().post('/graphql').send({ query });
        expect(response.status).toBeLessThan(500);
        expect(response.body.data ?? undefined).toBeUndefined();
        expect(response.body.errors?.[0]?.message).toMatch(/introspection/i);
      }
      const ping = await app.http().post('/graphql').send({ query: '{ publicPing }' });
      expect(ping.body.data).toEqual({ publicPing: 'pong' });
    });
  });
});
