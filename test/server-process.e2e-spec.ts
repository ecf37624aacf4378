import { existsSync } from 'node:fs';
import request from 'supertest';
import { runServerToExit, type ServerProcess, startServer } from './support/server-process';

/** The built server (`node dist/main.js`), started as the README says: configuration, boot rules and logs. */
describe('the reference server process', () => {
  describe('on a fresh machine with no .env', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer({ BCRYPT_ROUNDS: '4', LOG_LEVEL: 'info' });
    });
    afterAll(() => server.stop());

    it('starts on the embedded SQLite default and answers /health', async () => {
      const response = await request(server.url).get('/health').expect(200);
      expect(response.body.status).toBe('ok');
      expect(existsSync(`${server.cwd}/data/auth.sqlite`)).toBe(true);
    });

    it('warns loudly that random secrets will not survive a restart', () => {
      expect(server.output()).toContain('JWT_SECRET is not set');
      expect(server.output()).toContain('JWT_REFRESH_SECRET is not set');
    });

    it('writes JSON log lines that never contain a password, a token or a hash', async () => {
      const email = 'logs@example.com';
      const password = 'a very secret passphrase';
      await request(server.url).post('/auth/register').send({ email, password }).expect(201);
      await request(server.url)
        .post('/auth/login')
        .send({ email, password: 'wrong password!' })
        .expect(401);
      const login = await request(server.url)
        .post('/auth/login')
        .send({ email, password })
        .expect(200);
      const { accessToken, refreshToken } = login.body as {
        accessToken: string;
        refreshToken: string;
      };
      await request(server.url)
        .get('/protected')
        .set('Authorization', `Bearer ${accessToken}`)
        .expect(200);
      await request(server.url).post('/auth/refresh').send({ refreshToken }).expect(200);
      await request(server.url)
        .post('/auth/refresh')
        .send({ refreshToken: `${refreshToken}x` })
        .expect(401);

      const lines = server.output().trim().split('\n');
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
      const logs = server.output();
      expect(logs).toContain('"url":"/auth/login"');
      // A request line says what was asked and how it ended, and carries no header at all.
      const requestLines = lines
        .map((line) => JSON.parse(line) as { req?: Record<string, unknown>; res?: object })
        .filter((line) => line.req !== undefined);
      // The last responses' lines may still be on their way from the child process.
      expect(requestLines.length).toBeGreaterThanOrEqual(4);
      for (const { req, res } of requestLines) {
        expect(Object.keys(req ?? {}).sort()).toEqual(['id', 'method', 'remoteAddress', 'url']);
        expect(Object.keys(res ?? {})).toEqual(['statusCode']);
      }
      for (const secret of [
        password,
        'wrong password!',
        accessToken,
        refreshToken,
        accessToken.split('.')[2],
      ]) {
        expect(logs).not.toContain(secret);
      }
      expect(logs).not.toMatch(/\$2[aby]\$/);
      expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ/);
    });
  });

  it('creates the SQLite file where DATABASE_URL says, relative to the working directory', async () => {
    const server = await startServer({
      BCRYPT_ROUNDS: '4',
      DATABASE_URL: 'sqlite:nested/dir/auth.sqlite',
    });
    try {
      await request(server.url).get('/health').expect(200);
      expect(existsSync(`${server.cwd}/nested/dir/auth.sqlite`)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  describe('refuses to start, with one line naming the variable', () => {
    const strong = {
      JWT_SECRET: 'process-access-secret-0123456789abcdefghij',
      JWT_REFRESH_SECRET: 'process-refresh-secret-0123456789abcdefghij',
    };
    it.each([
      [
        'a missing secret in production',
        { NODE_ENV: 'production', JWT_REFRESH_SECRET: strong.JWT_REFRESH_SECRET },
        'JWT_SECRET',
      ],
      [
        'a short secret in production',
        { NODE_ENV: 'production', ...strong, JWT_SECRET: 'short' },
        'JWT_SECRET',
      ],
      ['equal secrets', { ...strong, JWT_REFRESH_SECRET: strong.JWT_SECRET }, 'JWT_REFRESH_SECRET'],
      [
        'a bcrypt cost under 10 in production',
        { NODE_ENV: 'production', ...strong, BCRYPT_ROUNDS: '8' },
        'BCRYPT_ROUNDS',
      ],
      ['no SMTP_URL in production', { NODE_ENV: 'production', ...strong }, 'SMTP_URL'],
      ['a non-numeric lifetime', { JWT_EXPIRATION: 'abc' }, 'JWT_EXPIRATION'],
      ['an unknown database scheme', { DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
      ['an unknown NODE_ENV', { NODE_ENV: 'staging' }, 'NODE_ENV'],
    ])('%s', async (_case, env, variable) => {
      const { code, output } = await runServerToExit(env);
      expect(code).toBe(1);
      expect(output).toContain(variable);
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    });
  });
});
