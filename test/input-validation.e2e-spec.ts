import type { Response } from 'supertest';
import {
  PASSWORD,
  registerAndLogin,
  startTestApp,
  uniqueEmail,
  type TestApp,
} from './support/test-app';

/** What one request to an endpoint needs to be valid: a body and the headers (an access token). */
interface ValidRequest {
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

interface Endpoint {
  name: string;
  path: string;
  /** The string fields of the body. */
  fields: string[];
  /** The fields whose absence is refused with 400. */
  required: string[];
  /** A fresh valid request (its own user, its own tokens). */
  valid(app: TestApp): Promise<ValidRequest>;
}

const ENDPOINTS: Endpoint[] = [
  {
    name: 'register',
    path: '/auth/register',
    fields: ['email', 'password'],
    required: ['email', 'password'],
    valid: () =>
      Promise.resolve({ body: { email: uniqueEmail(), password: PASSWORD }, headers: {} }),
  },
  {
    name: 'login',
    path: '/auth/login',
    fields: ['email', 'password'],
    required: ['email', 'password'],
    valid: async (app) => {
      const email = uniqueEmail();
      await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
      return { body: { email, password: PASSWORD }, headers: {} };
    },
  },
  {
    name: 'refresh',
    path: '/auth/refresh',
    fields: ['refreshToken'],
    // The token may come in the Authorization header instead: no body field is required.
    required: [],
    valid: async (app) => {
      const user = await registerAndLogin(app);
      return { body: { refreshToken: user.refreshToken }, headers: {} };
    },
  },
  {
    name: 'password',
    path: '/auth/password',
    fields: ['currentPassword', 'newPassword'],
    required: ['currentPassword', 'newPassword'],
    valid: async (app) => {
      const user = await registerAndLogin(app);
      return {
        body: { currentPassword: PASSWORD, newPassword: 'a brand new password' },
        headers: { Authorization: `Bearer ${user.accessToken}` },
      };
    },
  },
];

const BY_NAME = Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint]));
const endpointNames = ENDPOINTS.map((endpoint) => [endpoint.name]);

/** The messages of a Nest error body, whether it carries one string or a list. */
function messages(body: { message?: unknown }): string[] {
  return Array.isArray(body.message) ? body.message.map(String) : [String(body.message)];
}

function expectNestError(response: Response, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(response.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
  expect(response.body.statusCode).toBe(status);
  expect(typeof response.body.error).toBe('string');
  expect(messages(response.body).every((message) => message.length > 0)).toBe(true);
}

function expectClientError(response: Response): void {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
}

function expectMessageNaming(response: Response, field: string): void {
  expect(messages(response.body)).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
}

describe('input validation of the JSON endpoints', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Many requests from one client: keep the rate limits (docs/operations.md: Abuse limits) out of the way.
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '10000' });
  });
  afterAll(() => app.close());

  /** Sends a raw body with a content type, plus the endpoint's valid headers (its access token). */
  async function sendRaw(
    endpoint: Endpoint,
    raw: string,
    contentType = 'application/json',
  ): Promise<Response> {
    const { headers } = await endpoint.valid(app);
    return app.http().post(endpoint.path).set(headers).set('Content-Type', contentType).send(raw);
  }

  /** Sends the raw body `build` makes from the endpoint's valid body, with the endpoint's valid headers. */
  async function sendBuilt(
    endpoint: Endpoint,
    build: (body: Record<string, unknown>) => string,
    contentType = 'application/json',
  ): Promise<Response> {
    const { body, headers } = await endpoint.valid(app);
    return app
      .http()
      .post(endpoint.path)
      .set(headers)
      .set('Content-Type', contentType)
      .send(build(body));
  }

  function sendJson(
    endpoint: Endpoint,
    change: (body: Record<string, unknown>) => unknown,
  ): Promise<Response> {
    return sendBuilt(endpoint, (body) => JSON.stringify(change(body)));
  }

  describe('the valid requests of this table', () => {
    it.each([
      ['register', 201],
      ['login', 200],
      ['refresh', 200],
      ['password', 204],
    ])(
      'are accepted by %s (%i), so every refusal below is due to the one change made',
      async (name, status) => {
        const response = await sendJson(BY_NAME[name], (body) => body);

        expect(response.status).toBe(status);
      },
    );
  });

  describe('malformed JSON', () => {
    const malformed = [
      ['a truncated object', '{"email": '],
      ['single quotes', "{'email': 'a@example.com'}"],
      ['a trailing comma', '{"email": "a@example.com",}'],
      ['bare words', 'email=a@example.com'],
    ];
    const cases = ENDPOINTS.flatMap((endpoint) =>
      malformed.map(([label, raw]) => [endpoint.name, label, raw]),
    );

    it.each(cases)('%s answers 400 in Nest error shape for %s', async (name, _label, raw) => {
      const response = await sendRaw(BY_NAME[name], raw);

      expectNestError(response, 400);
      expect(response.body.error).toBe('Bad Request');
    });
  });

  describe('unknown fields', () => {
    const unknown: [string, unknown][] = [
      ['isAdmin', true],
      ['roles', ['admin']],
      ['id', '00000000-0000-4000-8000-000000000000'],
    ];
    const cases = ENDPOINTS.flatMap((endpoint) =>
      unknown.map(([field, value]) => [endpoint.name, field, value] as const),
    );

    it.each(cases)('%s answers 400 naming an unknown field %s', async (name, field, value) => {
      const response = await sendJson(BY_NAME[name], (body) => ({ ...body, [field]: value }));

      expectNestError(response, 400);
      expectMessageNaming(response, field);
    });

    it.each(ENDPOINTS.map((endpoint) => endpoint.name))(
      '%s lists at most 20 problems for a body of a thousand unknown fields, and says how many more',
      async (name) => {
        const many = Object.fromEntries(
          Array.from({ length: 1000 }, (_, index) => [`f${index}`, 1]),
        );
        const response = await sendJson(BY_NAME[name], (body) => ({ ...body, ...many }));

        expectNestError(response, 400);
        const messages = response.body.message as string[];
        expect(messages).toHaveLength(20);
        expect(messages[0]).toBe('property f0 should not exist');
        expect(messages[19]).toBe('and 981 more problems');
        expect(JSON.stringify(response.body).length).toBeLessThan(2048);
      },
    );
  });

  describe('wrong types', () => {
    const wrongValues: [string, unknown][] = [
      ['a number', 12345678],
      ['null', null],
      ['a boolean', true],
      ['an array', ['a string in an array']],
      ['an object', { value: 'a string in an object' }],
    ];
    const cases = ENDPOINTS.flatMap((endpoint) =>
      endpoint.fields.flatMap((field) =>
        wrongValues.map(([label, value]) => [endpoint.name, field, label, value] as const),
      ),
    );

    it.each(cases)('%s answers 400 naming %s when it is %s', async (name, field, _label, value) => {
      const response = await sendJson(BY_NAME[name], (body) => ({ ...body, [field]: value }));

      expectNestError(response, 400);
      expectMessageNaming(response, field);
    });
  });

  describe('missing fields', () => {
    const cases = ENDPOINTS.flatMap((endpoint) =>
      endpoint.required.map((field) => [endpoint.name, field]),
    );

    it.each(cases)('%s answers 400 naming %s when it is missing', async (name, field) => {
      const response = await sendJson(BY_NAME[name], (body) => {
        const rest = { ...body };
        delete rest[field];
        return rest;
      });

      expectNestError(response, 400);
      expectMessageNaming(response, field);
    });

    it.each(ENDPOINTS.filter((endpoint) => endpoint.required.length > 0).map(({ name }) => [name]))(
      '%s answers an empty body with "<field> is required" once per field, and nothing else',
      async (name) => {
        const endpoint = BY_NAME[name];
        const response = await sendJson(endpoint, () => ({}));

        expectNestError(response, 400);
        expect((response.body as { message: unknown }).message).toEqual(
          endpoint.required.map((field) => `${field} is required`),
        );
      },
    );
  });

  describe('bodies that are not an object', () => {
    const notObjects = [
      ['a JSON array', '[]'],
      ['an array of the fields', '[{"email":"a@example.com","password":"correct horse battery"}]'],
      ['null', 'null'],
      ['a string', '"a string"'],
      ['a number', '42'],
      ['true', 'true'],
    ];
    const cases = ENDPOINTS.flatMap((endpoint) =>
      notObjects.map(([label, raw]) => [endpoint.name, label, raw]),
    );

    it.each(cases)('%s answers 4xx to %s as the whole body', async (name, _label, raw) => {
      const response = await sendRaw(BY_NAME[name], raw);

      expectClientError(response);
      expect(Object.keys(response.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
    });
  });

  describe('body size', () => {
    it.each(endpointNames)(
      '%s answers 413 in Nest error shape to a body over 16 KiB',
      async (name) => {
        const endpoint = BY_NAME[name];
        const response = await sendJson(endpoint, (body) => ({
          ...body,
          [endpoint.fields[0]]: 'x'.repeat(17 * 1024),
        }));

        expectNestError(response, 413);
      },
    );

    it.each(endpointNames)('%s does not answer 413 to a body just under 16 KiB', async (name) => {
      const endpoint = BY_NAME[name];
      const response = await sendJson(endpoint, (body) => ({
        ...body,
        [endpoint.fields[endpoint.fields.length - 1]]: 'x'.repeat(15 * 1024),
      }));

      expectClientError(response);
      expect(response.status).not.toBe(413);
    });
  });

  describe('content types other than JSON', () => {
    const others = [
      ['text/plain', 'hello'],
      [
        'application/x-www-form-urlencoded',
        `email=a%40example.com&password=${encodeURIComponent(PASSWORD)}`,
      ],
      ['application/xml', '<login><email>a@example.com</email></login>'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n--x--',
      ],
    ];
    const cases = ENDPOINTS.flatMap((endpoint) =>
      others.map(([contentType, raw]) => [endpoint.name, contentType, raw]),
    );

    it.each(cases)('%s answers 4xx to a %s body', async (name, contentType, raw) => {
      const response = await sendRaw(BY_NAME[name], raw, contentType);

      expectClientError(response);
    });

    it.each(endpointNames)('%s answers 4xx to JSON sent as text/plain', async (name) => {
      const response = await sendBuilt(BY_NAME[name], (body) => JSON.stringify(body), 'text/plain');

      expectClientError(response);
    });
  });

  describe('odd but well-formed JSON', () => {
    const odd: [string, (body: Record<string, unknown>) => string][] = [
      [
        'a deeply nested value',
        (body) => JSON.stringify({ ...body, [Object.keys(body)[0]]: nest(500) }),
      ],
      [
        'a duplicate unknown key',
        (body) => JSON.stringify(body).replace(/^\{/, '{"unexpected":1,"unexpected":2,'),
      ],
    ];
    const cases = ENDPOINTS.flatMap((endpoint) =>
      odd.map(([label, build]) => [endpoint.name, label, build] as const),
    );

    it.each(cases)('%s answers 400 to a body with %s', async (name, _label, build) => {
      const response = await sendBuilt(BY_NAME[name], build);

      expectNestError(response, 400);
    });
  });

  describe('keys named after Object.prototype members', () => {
    const keys: [string, (body: Record<string, unknown>) => string][] = [
      [
        '__proto__',
        (body) => JSON.stringify(body).replace(/^\{/, '{"__proto__":{"roles":["admin"]},'),
      ],
      [
        'constructor',
        (body) => JSON.stringify({ ...body, constructor: { prototype: { roles: ['admin'] } } }),
      ],
    ];
    const cases = ENDPOINTS.flatMap((endpoint) =>
      keys.map(([key, build]) => [endpoint.name, key, build] as const),
    );

    it.each(cases)('%s refuses a %s key as an unknown field (400)', async (name, key, build) => {
      const response = await sendBuilt(BY_NAME[name], build);

      expectNestError(response, 400);
      expectMessageNaming(response, key);
    });

    it.each(keys)(
      'register grants no role and pollutes no prototype through a %s key',
      async (_key, build) => {
        const response = await app
          .http()
          .post('/auth/register')
          .set('Content-Type', 'application/json')
          .send(build({ email: uniqueEmail(), password: PASSWORD }));

        expectClientErrorOrCreatedPlainUser(response);
        expect(({} as Record<string, unknown>).roles).toBeUndefined();
      },
    );
  });
});

/** Refused (4xx), or at the very least created with the default role only. */
function expectClientErrorOrCreatedPlainUser(response: Response): void {
  const outcome = response.status === 201 ? response.body.roles : response.status;
  expect([['user'], 400]).toContainEqual(outcome);
}

function nest(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}
