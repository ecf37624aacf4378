import assert from 'node:assert/strict';

/**
 * What every host checks over real HTTP, in order: the module's own input validation (no global pipe is set up,
 * so these 400s are the module's), then a user's whole life: register, login, a route of the host's own that
 * reads @CurrentUser(), refresh, logout, and the access token refused after it.
 * Framework-free (node:assert and fetch) so that the Vitest and the Jest hosts run the very same checks.
 */
export interface HostCheck {
  name: string;
  run(baseUrl: string): Promise<void>;
}

interface Reply {
  status: number;
  body: Record<string, unknown> | undefined;
}

async function call(
  baseUrl: string,
  path: string,
  options: { method?: string; body?: unknown; token?: string } = {},
): Promise<Reply> {
  const response = await fetch(baseUrl + path, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

function token(reply: Reply, field: 'accessToken' | 'refreshToken'): string {
  const value = reply.body?.[field];
  assert.equal(typeof value, 'string', `expected ${field} in ${JSON.stringify(reply.body)}`);
  return value as string;
}

/** A fresh sequence of checks (they share the signed-in user's tokens, so run them in order). */
export function hostChecks(): HostCheck[] {
  const email = 'host.user@example.com';
  const password = 'correct horse battery';
  let firstAccess = '';
  let access = '';
  let refresh = '';

  // Another address than the user's: a body the module wrongly accepted must not make the register check a 409.
  const other = 'bad.body@example.com';
  const badRegistrations: Array<[string, unknown]> = [
    ['an email that is not one', { email: 'not-an-email', password }],
    ['a missing password', { email: other }],
    ['a numeric password', { email: other, password: 12345678901234 }],
    ['an unknown field', { email: other, password, roles: ['admin'] }],
  ];

  return [
    ...badRegistrations.map(([what, body]): HostCheck => ({
      name: `register with ${what} is 400 (the module validates its own input, no global pipe)`,
      async run(baseUrl) {
        const reply = await call(baseUrl, '/auth/register', { method: 'POST', body });
        assert.equal(
          reply.status,
          400,
          `POST /auth/register ${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`,
        );
      },
    })),
    {
      name: 'register is 201 with the normalized email',
      async run(baseUrl) {
        const reply = await call(baseUrl, '/auth/register', {
          method: 'POST',
          body: { email: '  Host.User@Example.com ', password },
        });
        assert.equal(reply.status, 201, JSON.stringify(reply.body));
        assert.equal(reply.body?.email, email);
      },
    },
    {
      name: 'login is 200 with a token pair',
      async run(baseUrl) {
        const reply = await call(baseUrl, '/auth/login', {
          method: 'POST',
          body: { email, password },
        });
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        firstAccess = access = token(reply, 'accessToken');
        refresh = token(reply, 'refreshToken');
      },
    },
    {
      name: "the host's own route refuses a request without a token (401)",
      async run(baseUrl) {
        assert.equal((await call(baseUrl, '/profile')).status, 401);
      },
    },
    {
      name: "the host's own route gets the caller from @CurrentUser()",
      async run(baseUrl) {
        const reply = await call(baseUrl, '/profile', { token: access });
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        assert.equal(reply.body?.email, email);
        assert.deepEqual(reply.body?.roles, ['user']);
        assert.equal(
          reply.body?.greeting,
          `Hello ${email}`,
          'the host route lost its injected service',
        );
      },
    },
    {
      name: 'refresh rotates the refresh token',
      async run(baseUrl) {
        const reply = await call(baseUrl, '/auth/refresh', {
          method: 'POST',
          body: { refreshToken: refresh },
        });
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        assert.notEqual(token(reply, 'refreshToken'), refresh);
        access = token(reply, 'accessToken');
        refresh = token(reply, 'refreshToken');
      },
    },
    {
      name: 'logout is 204',
      async run(baseUrl) {
        const reply = await call(baseUrl, '/auth/logout', { method: 'POST', token: access });
        assert.equal(reply.status, 204, JSON.stringify(reply.body));
      },
    },
    {
      name: 'after logout the access tokens of that session are refused (401)',
      async run(baseUrl) {
        assert.equal((await call(baseUrl, '/profile', { token: access })).status, 401);
        assert.equal((await call(baseUrl, '/profile', { token: firstAccess })).status, 401);
      },
    },
  ];
}
