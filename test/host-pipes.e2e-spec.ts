import { type PipeTransform, ValidationPipe } from '@nestjs/common';
import type { Response } from 'supertest';
import { globalPipes } from '../src/app.setup';
import { type HostApp, startHostApp } from './host-app/start-host-app';

/**
 * docs/host-guide.md: Use it in your Nest app: the module validates its own input whatever pipes the host has (or has not) set up. The same host
 * app (its own user store, TypeORM sessions, routes under /identity) under four global-pipe setups, on this run's
 * HTTP adapter: every bad input is a 400 naming the field, never a 201 or a 5xx.
 */

const PASSWORD = 'correct horse battery';

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `pipes-${process.pid}-${counter}@example.com`;
}

/** The messages of a Nest error body, whether it carries one string or a list. */
function messages(body: { message?: unknown }): string[] {
  return Array.isArray(body.message) ? body.message.map(String) : [String(body.message)];
}

function expectBadRequestNaming(response: Response, field: string): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status: 400,
    body: {
      statusCode: 400,
      error: 'Bad Request',
      message: expect.anything(),
      code: 'VALIDATION_FAILED',
    },
  });
  expect(messages(response.body)).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
}

const SETUPS: [string, PipeTransform[]][] = [
  ['no global pipe', []],
  ["the reference server's global pipes", globalPipes()],
  ['a global ValidationPipe({ transform: true })', [new ValidationPipe({ transform: true })]],
  ['a global ValidationPipe({ whitelist: true })', [new ValidationPipe({ whitelist: true })]],
];

describe.each(SETUPS)('the module in a host with %s', (_label, pipes) => {
  let host: HostApp;

  beforeAll(async () => {
    host = await startHostApp('custom-users', undefined, pipes);
  });
  afterAll(() => host.close());

  function post(path: string, body: unknown, token?: string) {
    const request = host.http().post(`/identity${path}`);
    if (token) request.set('Authorization', `Bearer ${token}`);
    return typeof body === 'string'
      ? request.set('Content-Type', 'application/json').send(body)
      : request.send(body as object);
  }

  async function signedIn(): Promise<{ accessToken: string; refreshToken: string }> {
    const email = uniqueEmail();
    await post('/register', { email, password: PASSWORD }).expect(201);
    const login = await post('/login', { email, password: PASSWORD }).expect(200);
    return login.body as { accessToken: string; refreshToken: string };
  }

  it('registers, logs in, refreshes, changes the password and logs out with valid input', async () => {
    const { accessToken, refreshToken } = await signedIn();

    await post('/refresh', { refreshToken }).expect(200);
    await post(
      '/password',
      { currentPassword: PASSWORD, newPassword: 'a brand new password' },
      accessToken,
    ).expect(204);
    await host
      .http()
      .post('/identity/logout?scope=global')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(204);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a malformed email', { email: 'not-an-email', password: PASSWORD }, 'email'],
    ['a missing password', { email: 'x@example.com' }, 'password'],
    ['a numeric password', { email: 'x@example.com', password: 12345678 }, 'password'],
    ['a null email', { email: null, password: PASSWORD }, 'email'],
    ['a password outside the policy', { email: 'x@example.com', password: 'short' }, 'password'],
    ['an unknown field', { email: 'x@example.com', password: PASSWORD, isAdmin: true }, 'isAdmin'],
    [
      'an unknown field holding roles',
      { email: 'x@example.com', password: PASSWORD, roles: ['admin'] },
      'roles',
    ],
  ])('refuses a registration with %s: 400 naming %s', async (_case, body, field) => {
    expectBadRequestNaming(await post('/register', body), field);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a numeric email', { email: 42, password: PASSWORD }, 'email'],
    ['an array password', { email: 'x@example.com', password: ['a'] }, 'password'],
    ['a missing email', { password: PASSWORD }, 'email'],
    [
      'an unknown field',
      { email: 'x@example.com', password: PASSWORD, remember: true },
      'remember',
    ],
  ])('refuses a login with %s: 400 naming %s', async (_case, body, field) => {
    expectBadRequestNaming(await post('/login', body), field);
  });

  it('refuses a refresh body with a wrong type or an unknown field, naming it', async () => {
    // The guard reads the token before the body is validated: the unknown field comes with a valid token.
    const { refreshToken } = await signedIn();

    expectBadRequestNaming(await post('/refresh', { refreshToken: 42 }), 'refreshToken');
    expectBadRequestNaming(await post('/refresh', { refreshToken, extra: 1 }), 'extra');
  });

  it('refuses a password change with a wrong type or an unknown field, naming it', async () => {
    const { accessToken } = await signedIn();

    expectBadRequestNaming(
      await post('/password', { currentPassword: PASSWORD, newPassword: 12345678 }, accessToken),
      'newPassword',
    );
    expectBadRequestNaming(
      await post(
        '/password',
        { currentPassword: PASSWORD, newPassword: 'a brand new password', x: 1 },
        accessToken,
      ),
      'x',
    );
  });

  it('refuses a logout scope it does not know, naming the parameter', async () => {
    const { accessToken } = await signedIn();

    const response = await host
      .http()
      .post('/identity/logout?scope=everything')
      .set('Authorization', `Bearer ${accessToken}`);

    expectBadRequestNaming(response, 'scope');
  });

  it.each([
    [
      '__proto__',
      `{"__proto__":{"roles":["admin"]},"email":"p@example.com","password":"${PASSWORD}"}`,
    ],
    [
      'constructor',
      `{"constructor":{"prototype":{"roles":["admin"]}},"email":"c@example.com","password":"${PASSWORD}"}`,
    ],
  ])('refuses a %s key with 400 and pollutes no prototype', async (_key, raw) => {
    const response = await post('/register', raw);

    // The stock Fastify adapter refuses these keys itself while parsing (onProtoPoisoning: 'error'), in its own words.
    expect(response.status).toBe(400);
    expect(({} as Record<string, unknown>).roles).toBeUndefined();
  });

  it.each([
    ['[]'],
    ['null'],
    ['"a string"'],
    ['42'],
    ['true'],
    ['{"email":{"a":{"b":1}},"password":[1,2]}'],
  ])('answers 4xx, never 5xx, to the body %s', async (raw) => {
    for (const path of ['/register', '/login', '/refresh']) {
      const response = await post(path, raw);
      expect({ path, status: response.status }).toEqual({ path, status: expect.any(Number) });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
  });
});
