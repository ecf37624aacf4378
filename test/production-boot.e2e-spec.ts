import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runServerToExit, type ServerProcess, startServer } from './support/server-process';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'boot-access-secret-0123456789abcdefghij',
  JWT_REFRESH_SECRET: 'boot-refresh-secret-0123456789abcdefghij',
  BCRYPT_ROUNDS: '10',
  // Required in production; nothing listens there: mail waits in the outbox, which these tests do not look at.
  SMTP_URL: 'smtp://127.0.0.1:9',
  // Required in production while MFA is on: it seals TOTP secrets.
  MFA_ENCRYPTION_KEY: 'boot-mfa-encryption-key-0123456789abcdef',
};

/** The lines of the output that mention `text`. */
function linesWith(output: string, text: string): string[] {
  return output.split('\n').filter((line) => line.includes(text));
}

/** What production refuses or warns about at boot (docs/configuration.md: Configuration), seen from `node dist/main.js`. */
describe('production boot rules of the server process', () => {
  describe('refuses to start, with one line naming the variable and no stack', () => {
    it.each([
      [
        'a secret of one repeated character',
        { JWT_SECRET: 'x'.repeat(40) },
        'JWT_SECRET has too little entropy',
      ],
      [
        'a secret that is a short block repeated',
        { JWT_REFRESH_SECRET: 'changeme-changeme-changeme-changeme' },
        'JWT_REFRESH_SECRET is one short block repeated',
      ],
      [
        'ADMIN_PASSWORD=password',
        { ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'password' },
        'ADMIN_PASSWORD is one of the most commonly used passwords',
      ],
    ])('%s', async (_case, env, line) => {
      const { code, output } = await runServerToExit({ ...PRODUCTION, ...env });

      expect(code).toBe(1);
      expect(linesWith(output, line)).toHaveLength(1);
      expect(output).not.toMatch(/\n\s+at /);
      for (const value of Object.values(env)) expect(output).not.toContain(`=${value}`);
    });
  });

  describe('with COOKIE_SECURE=false and the cookie transport, on the default HOST', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer({
        ...PRODUCTION,
        AUTH_REFRESH_TRANSPORT: 'cookie',
        COOKIE_SECURE: 'false',
      });
    });
    afterAll(() => server.stop());

    it('starts, and warns once, at warn level, naming COOKIE_SECURE', async () => {
      await request(server.url).get('/health').expect(200);
      const warnings = linesWith(server.output(), 'COOKIE_SECURE=false');
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0])).toMatchObject({ level: 40 });
    });

    it('names the address it really binds, 0.0.0.0, in its startup line', () => {
      expect(server.output()).toMatch(/Listening on http:\/\/0\.0\.0\.0:\d+ \(production/);
      expect(server.output()).not.toMatch(/Listening on http:\/\/127\.0\.0\.1/);
    });
  });

  describe('ADMIN_EMAIL naming an account someone else registered', () => {
    const email = 'boss@example.com';
    const squatterPassword = 'the squatter own password';
    const operatorPassword = 'the operator chosen password';
    let databaseUrl: string;
    let squatterToken: string;

    beforeAll(async () => {
      databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'auth-squat-')), 'auth.sqlite')}`;
      const server = await startServer({ DATABASE_URL: databaseUrl, BCRYPT_ROUNDS: '4' });
      try {
        await request(server.url)
          .post('/auth/register')
          .send({ email, password: squatterPassword })
          .expect(201);
      } finally {
        await server.stop();
      }
    });

    it('stops a production start with one line that says what to do, and grants nothing', async () => {
      const { code, output } = await runServerToExit({
        ...PRODUCTION,
        DATABASE_URL: databaseUrl,
        ADMIN_EMAIL: email,
        ADMIN_PASSWORD: operatorPassword,
      });

      expect(code).toBe(1);
      const lines = linesWith(output, 'ADMIN_EMAIL names an existing account');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('set ADMIN_PASSWORD to its password');
      expect(output).not.toMatch(/\n\s+at /);
      expect(output).not.toContain(operatorPassword);
      expect(output).not.toMatch(/Role admin granted/);
    });

    it('in development starts with a warning, and the squatter does not get /admin', async () => {
      const server = await startServer({
        DATABASE_URL: databaseUrl,
        BCRYPT_ROUNDS: '4',
        LOG_LEVEL: 'info',
        ADMIN_EMAIL: email,
        ADMIN_PASSWORD: operatorPassword,
      });
      try {
        const warnings = linesWith(server.output(), 'ADMIN_EMAIL names an existing account');
        expect(warnings).toHaveLength(1);
        expect(JSON.parse(warnings[0])).toMatchObject({ level: 40 });
        const login = await request(server.url)
          .post('/auth/login')
          .send({ email, password: squatterPassword })
          .expect(200);
        squatterToken = (login.body as { accessToken: string }).accessToken;
        await request(server.url)
          .get('/admin')
          .set('Authorization', `Bearer ${squatterToken}`)
          .expect(403);
        await request(server.url)
          .post('/auth/login')
          .send({ email, password: operatorPassword })
          .expect(401);
      } finally {
        await server.stop();
      }
    });
  });
});

describe('a PostgreSQL database that does not exist', () => {
  it('stops the start within 5 seconds, with one line saying to create it', async () => {
    const url = new URL(
      process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    );
    const name = `missing_${process.pid}_${Date.now()}`;
    url.pathname = `/${name}`;
    const started = Date.now();

    const { code, output } = await runServerToExit({
      DATABASE_URL: url.toString(),
      JWT_SECRET: PRODUCTION.JWT_SECRET,
      JWT_REFRESH_SECRET: PRODUCTION.JWT_REFRESH_SECRET,
    });

    expect(Date.now() - started).toBeLessThan(5000);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      `Failed to start: database "${name}" does not exist. Create the database first: createdb ${name} (or CREATE DATABASE "${name}"; in psql).`,
    ]);
  });
});
