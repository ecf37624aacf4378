import type { Server } from 'node:http';
import WebSocket from 'ws';
import { HTTP_TIMEOUTS } from '../src/app.setup';
import { ask, connected, disconnected, listen, socketClient } from './support/realtime-clients';
import { registerAndLogin, startTestApp, type TestApp } from './support/test-app';

/**
 * CONTRACT §4.14 and docs/security.md: both GraphQL drivers hardened alike (no introspection in production; a
 * second `connection_init` closes the socket with 4429), budgets for long-lived connections (a socket.io
 * connection's events), and HTTP requests bounded in time.
 */
describe('hardening of connections', () => {
  describe('a development server', () => {
    let app: TestApp;
    let baseUrl: string;
    beforeAll(async () => {
      app = await startTestApp({ THROTTLE_AUTH_LIMIT: '100000' });
      baseUrl = await listen(app.app);
    });
    afterAll(() => app.close());

    it('closes a GraphQL socket that sends connection_init twice with 4429', async () => {
      const user = await registerAndLogin(app);
      const socket = new WebSocket(
        `${baseUrl.replace(/^http/, 'ws')}/graphql`,
        'graphql-transport-ws',
      );
      const messages: string[] = [];
      const closed = new Promise<number>((resolve) =>
        socket.once('close', (code) => resolve(code)),
      );
      socket.on('message', (data: Buffer) => messages.push(data.toString()));
      await new Promise((resolve) => socket.once('open', resolve));
      const init = JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${user.accessToken}` },
      });

      socket.send(init);
      const deadline = Date.now() + 5000;
      while (
        !messages.some((message) => message.includes('connection_ack')) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(messages.some((message) => message.includes('connection_ack'))).toBe(true);
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

    it('bounds the time a client may take to send a request (headers, then the whole request)', () => {
      const server = app.app.getHttpServer() as Server;

      expect(server.headersTimeout).toBe(HTTP_TIMEOUTS.headersMs);
      expect(server.requestTimeout).toBe(HTTP_TIMEOUTS.requestMs);
      expect(HTTP_TIMEOUTS.headersMs).toBeLessThanOrEqual(HTTP_TIMEOUTS.requestMs);
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
