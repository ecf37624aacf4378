import type { Response } from 'supertest';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/**
 * docs/sessions.md: Behaviour in detail, Abuse limits: a body nested more than 32 levels deep is refused with 400 before any
 * validation, whatever its shape (arrays, objects, both) and wherever the nesting sits (a known field, an unknown
 * one, the body itself); a few kilobytes nested 2,000 levels deep once answered 500 (a stack overflow in
 * validation).
 */
const TOO_DEEP = {
  statusCode: 400,
  message: 'Request body is nested more than 32 levels deep',
  error: 'Bad Request',
  code: 'VALIDATION_FAILED',
};

type Shape = 'arrays' | 'objects' | 'mixed';

/** A value `levels` levels of objects/arrays deep (0: a string). */
function nested(shape: Shape, levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level += 1) {
    const asArray = shape === 'arrays' || (shape === 'mixed' && level % 2 === 0);
    value = asArray ? [value] : { a: value };
  }
  return value;
}

interface Route {
  name: string;
  path: string;
  /** A valid body and headers for a fresh user. */
  valid(app: TestApp): Promise<{ body: Record<string, unknown>; headers: [string, string][] }>;
}

const ROUTES: Route[] = [
  {
    name: 'register',
    path: '/auth/register',
    valid: () =>
      Promise.resolve({ body: { email: uniqueEmail(), password: PASSWORD }, headers: [] }),
  },
  {
    name: 'login',
    path: '/auth/login',
    valid: () =>
      Promise.resolve({ body: { email: uniqueEmail(), password: PASSWORD }, headers: [] }),
  },
  {
    name: 'refresh',
    path: '/auth/refresh',
    valid: async (app) => {
      const user = await registerAndLogin(app);
      return { body: { refreshToken: user.refreshToken }, headers: [] };
    },
  },
  {
    name: 'password',
    path: '/auth/password',
    valid: async (app) => {
      const user = await registerAndLogin(app);
      return {
        body: { currentPassword: PASSWORD, newPassword: 'a brand new password' },
        headers: [bearer(user.accessToken)],
      };
    },
  },
];

/** Where the nesting goes; each builds a body whose total depth is `depth` (the body object itself is level 1). */
const PLACES: [string, (valid: Record<string, unknown>, shape: Shape, depth: number) => unknown][] =
  [
    [
      'a known field',
      (valid, shape, depth) => ({ ...valid, [Object.keys(valid)[0]]: nested(shape, depth - 1) }),
    ],
    ['an unknown field', (valid, shape, depth) => ({ ...valid, extra: nested(shape, depth - 1) })],
    ['the body itself', (_valid, shape, depth) => nested(shape, depth)],
  ];

describe('request nesting', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '10000' });
  });
  afterAll(() => app.close());

  async function send(route: Route, build: (valid: Record<string, unknown>) => unknown) {
    const { body, headers } = await route.valid(app);
    let request = app.http().post(route.path).set('Content-Type', 'application/json');
    for (const [name, value] of headers) request = request.set(name, value);
    return request.send(JSON.stringify(build(body)));
  }

  const cases = ROUTES.flatMap((route) =>
    PLACES.flatMap(([place, build]) =>
      (['arrays', 'objects', 'mixed'] as const).flatMap((shape) =>
        [33, 2000].map((depth) => [route.name, depth, shape, place, route, build] as const),
      ),
    ),
  );

  it.each(cases)(
    '%s refuses %i levels of %s in %s with 400, before validation',
    async (_name, depth, shape, _place, route, build) => {
      const response = await send(route, (valid) => build(valid, shape, depth));

      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: TOO_DEEP,
      });
    },
  );

  it.each(ROUTES.map((route) => [route.name, route] as const))(
    '%s takes 32 levels to validation, which judges the field instead',
    async (_name, route) => {
      const response: Response = await send(route, (valid) => ({
        ...valid,
        extra: nested('mixed', 31),
      }));

      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(['property extra should not exist']);
    },
  );

  it('refuses deep brackets in the logout query string with a 4xx, never a 5xx', async () => {
    const user = await registerAndLogin(app);
    const brackets = '[a]'.repeat(2000);

    const response = await app
      .http()
      .post(`/auth/logout?scope${brackets}=local`)
      .set(...bearer(user.accessToken));

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
