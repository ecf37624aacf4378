import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { type ServerProcess, startServer } from './support/server-process';

const SECRETS = {
  JWT_SECRET: 'http-layer-access-secret-0123456789abcdef',
  JWT_REFRESH_SECRET: 'http-layer-refresh-secret-0123456789abcdef',
};

interface RawAnswer {
  status: number;
  body: string;
}

/** A request exactly as given: supertest would re-encode a malformed URL or set its own headers. */
function send(
  server: ServerProcess,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, method, path, headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const LOGIN = JSON.stringify({ email: 'odd@example.com', password: 'correct horse battery' });

/**
 * The HTTP layer of the built server (`node dist/main.js`, LOG_LEVEL=info), on the adapter of this run: odd requests
 * get Nest's error shape naming nothing of the implementation, and the log holds no client secret and no client
 * error above info or with a stack (docs/operations.md: Abuse limits).
 */
describe('the HTTP layer of the server process', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ ...SECRETS, BCRYPT_ROUNDS: '4', LOG_LEVEL: 'info' });
  });
  afterAll(() => server.stop());

  describe('odd requests: Nest error shape, no implementation detail', () => {
    it.each([
      [
        'a gzip body that is not gzip',
        'POST',
        '/auth/login',
        { ...JSON_TYPE, 'content-encoding': 'gzip' },
        'not gzip at all',
        415,
      ],
      [
        'a real gzip body (bodies are read uncompressed only)',
        'POST',
        '/auth/login',
        { ...JSON_TYPE, 'content-encoding': 'gzip' },
        gzipSync(LOGIN),
        415,
      ],
      [
        'an unknown content-encoding',
        'POST',
        '/auth/login',
        { ...JSON_TYPE, 'content-encoding': 'x-made-up' },
        LOGIN,
        415,
      ],
      ['a URL whose percent-encoding does not decode', 'GET', '/%E0%A4%A', {}, undefined, 400],
      ['the same under a route', 'DELETE', '/auth/sessions/%E0%A4%A', {}, undefined, 400],
      ['invalid JSON', 'POST', '/auth/login', JSON_TYPE, '{"email":', 400],
      [
        'a JSON body in UTF-16',
        'POST',
        '/auth/login',
        { 'content-type': 'application/json; charset=utf-16le' },
        Buffer.from(LOGIN, 'utf16le'),
        415,
      ],
      [
        'a JSON body in Latin-1',
        'POST',
        '/auth/login',
        { 'content-type': 'application/json; charset=iso-8859-1' },
        LOGIN,
        415,
      ],
    ])('%s', async (_case, method, path, headers, body, status) => {
      const answer = await send(server, method, path, headers, body);

      expect(answer.status).toBe(status);
      const parsed = JSON.parse(answer.body) as Record<string, unknown>;
      expect(Object.keys(parsed).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
      expect(parsed.statusCode).toBe(status);
      expect(typeof parsed.message).toBe('string');
      expect(parsed.error).toBe(status === 400 ? 'Bad Request' : 'Unsupported Media Type');
      expect(answer.body).not.toMatch(/FST_|zlib|header check|fastify|express|body-parser/i);
    });

    it('still reads a plain UTF-8 JSON body, with or without charset=utf-8', async () => {
      for (const type of ['application/json', 'application/json; charset=utf-8']) {
        const answer = await send(server, 'POST', '/auth/login', { 'content-type': type }, LOGIN);
        expect(answer.status).toBe(401);
      }
    });
  });

  describe('the log', () => {
    const secrets = ['s3cret-access-token', 's3cret-password', 's3cret-refresh', 's3cret-code'];

    beforeAll(async () => {
      await send(server, 'GET', `/protected?access_token=${secrets[0]}`);
      await send(
        server,
        'GET',
        `/protected?%61ccess_token=${secrets[0]}&ACCESS_TOKEN=${secrets[0]}`,
      );
      await send(server, 'POST', `/auth/login?password=${secrets[1]}`, JSON_TYPE, LOGIN);
      await send(server, 'POST', `/auth/refresh?x=1;refresh_token=${secrets[2]}`, JSON_TYPE, '{}');
      await send(
        server,
        'GET',
        `/public?code=${secrets[3]}&token=${secrets[0]}&token=${secrets[0]}`,
      );
      await send(server, 'GET', `/public?${secrets[0]}`);
      await send(server, 'POST', '/auth/login', { ...JSON_TYPE, 'content-encoding': 'gzip' }, 'xx');
      await send(server, 'POST', '/auth/login', JSON_TYPE, '{"email":');
      await send(server, 'GET', '/%E0%A4%A');
      await send(server, 'POST', '/auth/register', JSON_TYPE, '{"email":"x","password":1}');
      // GraphQL refusals and bad queries are the client's errors too (Nest logs other resolver errors with a stack).
      await send(server, 'POST', '/graphql', JSON_TYPE, '{"query":"{ me { id } }"}');
      await send(
        server,
        'POST',
        '/graphql',
        { ...JSON_TYPE, authorization: `Bearer ${secrets[0]}` },
        '{"query":"{ me { id } adminPing }"}',
      );
      await send(server, 'POST', '/graphql', JSON_TYPE, '{"query":"{"}');
      // Lets the last lines arrive from the child process.
      await send(server, 'GET', '/public?scope=global');
      await new Promise((resolve) => setTimeout(resolve, 300));
    });

    const lines = () =>
      server
        .output()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    it('never holds a query-string secret, however the client encoded or repeated it', () => {
      for (const secret of secrets) expect(server.output()).not.toContain(secret);
      const urls = lines()
        .map((line) => (line.req as { url?: string } | undefined)?.url)
        .filter((url) => url !== undefined);
      expect(urls).toContain('/protected?access_token=[redacted]');
      expect(urls).toContain('/auth/login?password=[redacted]');
      expect(urls).toContain('/public?scope=global');
    });

    it('logs no client error above info, and no stack at all', () => {
      expect(lines().length).toBeGreaterThan(5);
      for (const line of lines()) {
        expect(line.level).toBeLessThanOrEqual(30);
        expect(JSON.stringify(line)).not.toMatch(/"stack"|\\n\s+at /);
      }
    });
  });
});
