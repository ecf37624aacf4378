import fc from 'fast-check';
import { AuthService } from '../src/auth';
import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
} from './support/test-app';
import { refreshCookieOf, sentBack } from './support/cookies';

/**
 * Property-based checks over HTTP (docs/sessions.md: Routes). fast-check generates the inputs; a failure prints the smallest one it found.
 */
const RUNS = 150;

/** JSON values of every shape, including the awkward ones: deep nesting, long and odd strings, big numbers. */
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uFFFF',
    'abcdefgh\uD800xyz',
    '\uDFFFabcdefgh',
    'a'.repeat(300),
    '{"$ne":null}',
    '__proto__',
    'null',
    'undefined',
  ),
);
/**
 * Arrays and objects nested up to 2,000 levels (under the 16 KiB body limit): deeper than 32 levels must be a 400
 * (docs/operations.md: Abuse limits), never a stack overflow.
 */
const deepValue = fc
  .record({
    levels: fc.integer({ min: 1, max: 2000 }),
    shape: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  })
  .map(({ levels, shape }) => {
    let value: unknown = 'leaf';
    for (let level = 0; level < levels; level += 1) {
      value = shape[level % shape.length] ? [value] : { a: value };
    }
    return value;
  });
const fieldValue = fc.oneof(jsonValue, oddString, deepValue);

/** What an HTTP header value can carry (visible Latin-1 and spaces): anything else never leaves the client. */
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((code) => code !== 0x7f)
      .map((code) => String.fromCharCode(code)),
    maxLength,
  });

/** A body of the right field names with arbitrary values, or anything at all. */
function bodyFor(fields: string[]) {
  return fc.oneof(
    fc.record(Object.fromEntries(fields.map((field) => [field, fieldValue])), { requiredKeys: [] }),
    fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 12 })), fieldValue, {
      maxKeys: 4,
    }),
    jsonValue,
    deepValue,
  );
}

/** The bytes each segment of a JWT decodes to: two tokens that differ only in padding bits are the same token. */
function decodedSegments(token: string): string {
  return token
    .split('.')
    .map((segment) => Buffer.from(segment, 'base64url').toString('hex'))
    .join('.');
}

/** A token with one character replaced, removed or added somewhere. */
function mutationOf(token: string) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
  return fc
    .record({
      at: fc.nat({ max: token.length - 1 }),
      kind: fc.constantFrom('replace', 'remove', 'insert'),
      char: fc.constantFrom(...alphabet),
    })
    .map(({ at, kind, char }) => {
      if (kind === 'remove') return token.slice(0, at) + token.slice(at + 1);
      if (kind === 'insert') return token.slice(0, at) + char + token.slice(at);
      return token.slice(0, at) + char + token.slice(at + 1);
    })
    .filter((mutated) => mutated !== token);
}

describe('fuzzing the endpoints', () => {
  let app: TestApp;
  let user: LoggedIn;

  beforeAll(async () => {
    app = await startTestApp();
    user = await registerAndLogin(app);
  });
  afterAll(() => app.close());

  const endpoints: Array<{ name: string; path: string; fields: string[]; authenticated: boolean }> =
    [
      {
        name: 'register',
        path: '/auth/register',
        fields: ['email', 'password'],
        authenticated: false,
      },
      { name: 'login', path: '/auth/login', fields: ['email', 'password'], authenticated: false },
      { name: 'refresh', path: '/auth/refresh', fields: ['refreshToken'], authenticated: false },
      {
        name: 'password',
        path: '/auth/password',
        fields: ['currentPassword', 'newPassword'],
        authenticated: true,
      },
      { name: 'verify-email', path: '/auth/verify-email', fields: ['token'], authenticated: false },
      { name: 'forgot', path: '/auth/password/forgot', fields: ['email'], authenticated: false },
      {
        name: 'reset',
        path: '/auth/password/reset',
        fields: ['token', 'newPassword'],
        authenticated: false,
      },
      {
        name: 'email change',
        path: '/auth/email',
        fields: ['newEmail', 'currentPassword'],
        authenticated: true,
      },
      {
        name: 'email confirm',
        path: '/auth/email/confirm',
        fields: ['token'],
        authenticated: false,
      },
    ];

  it.each(endpoints)(
    'never answers $name with a 5xx, whatever the JSON body',
    async ({ path, fields, authenticated }) => {
      await fc.assert(
        fc.asyncProperty(bodyFor(fields), async (body) => {
          const request = app.http().post(path).set('Content-Type', 'application/json');
          if (authenticated) request.set(...bearer(user.accessToken));
          const response = await request.send(JSON.stringify(body));
          expect(response.status).toBeLessThan(500);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('never logs anyone in with generated credentials', async () => {
    await fc.assert(
      fc.asyncProperty(bodyFor(['email', 'password']), async (body) => {
        const response = await app
          .http()
          .post('/auth/login')
          .send(JSON.stringify(body))
          .set('Content-Type', 'application/json');
        expect([400, 401, 413, 429]).toContain(response.status);
      }),
      { numRuns: RUNS },
    );
  });

  it('never opens a second account for another spelling of an address (docs/sessions.md: Addresses)', async () => {
    const email = `fuzz-${process.pid}-jürgen@exämple.com`;
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    const invisible = fc.constantFrom(
      '\u200b',
      '\u200d',
      '\u202e',
      '\u200e',
      '\u00ad',
      '\ufeff',
      '\u00a0',
      '\u0007',
    );
    const spelling = fc.oneof(
      // A character slipped in anywhere.
      fc
        .tuple(fc.nat({ max: email.length }), invisible)
        .map(([at, char]) => email.slice(0, at) + char + email.slice(at)),
      // Another normal form, case or domain form of the same address.
      fc.constantFrom('NFD', 'NFC', 'NFKD').chain((form) =>
        fc.boolean().map((upper) => {
          const cased = upper ? email.toUpperCase() : email;
          return cased.normalize(form).replace(/exa\u0308mple|exämple/i, 'xn--exmple-cua');
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(spelling, async (variant) => {
        const response = await app
          .http()
          .post('/auth/register')
          .send({ email: variant, password: PASSWORD });
        expect([400, 409]).toContain(response.status);
      }),
      { numRuns: RUNS },
    );
  });

  it('never answers a 5xx to an arbitrary path parameter or query', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.string({ maxLength: 40 }),
        async (id, scope) => {
          const remove = await app
            .http()
            .delete(`/auth/sessions/${encodeURIComponent(id)}`)
            .set(...bearer(user.accessToken));
          expect(remove.status).toBeLessThan(500);
          const logout = await app
            .http()
            .post(`/auth/logout?scope=${encodeURIComponent(scope)}`)
            .set(...bearer('not-a-token'));
          expect(logout.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('accepts no altered access token, and no arbitrary Authorization header', async () => {
    const original = decodedSegments(user.accessToken);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutationOf(user.accessToken).map((token) => `Bearer ${token}`),
          headerText(200),
          headerText(80).map((value) => `Bearer ${value}`),
        ),
        async (authorization) => {
          const response = await app.http().get('/protected').set('Authorization', authorization);
          expect(response.status).toBeLessThan(500);
          if (response.status === 200) {
            // Only the genuine token may pass: a change confined to unused padding bits leaves the same bytes.
            const token = authorization.replace(/^Bearer +/, '');
            expect(decodedSegments(token)).toBe(original);
          } else {
            expect(response.status).toBe(401);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('rotates no altered refresh token', async () => {
    // A session of its own, so that no successful rotation here spends the token being mutated.
    const own = await registerAndLogin(app);
    const original = decodedSegments(own.refreshToken);
    await fc.assert(
      fc.asyncProperty(mutationOf(own.refreshToken), async (token) => {
        const response = await app.http().post('/auth/refresh').send({ refreshToken: token });
        if (response.status === 200) expect(decodedSegments(token)).toBe(original);
        else expect([400, 401]).toContain(response.status);
      }),
      { numRuns: RUNS },
    );
  });
});

/** docs/sessions.md: Browser clients, Planted cookies: whatever else is planted beside it, the valid refresh cookie refreshes. */
describe('fuzzing duplicate refresh cookies', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ AUTH_REFRESH_TRANSPORT: 'cookie' });
  });
  afterAll(() => app.close());

  const cookieValue = fc.oneof(
    fc.string({ maxLength: 40 }).map((value) => value.replace(/[;,\s]/g, '')),
    mutationOf('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'),
  );

  it('refreshes with the valid cookie among planted ones, in any order, and never answers 5xx', async () => {
    const email = `fuzz-cookies-${process.pid}@example.com`;
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    const login = await app
      .http()
      .post('/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);
    let current = sentBack(refreshCookieOf(login));
    await fc.assert(
      fc.asyncProperty(
        fc.array(cookieValue, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        async (planted, at) => {
          const cookies = planted.map((value) => `refresh_token=${value}`);
          cookies.splice(at % (cookies.length + 1), 0, current);
          const response = await app
            .http()
            .post('/auth/refresh')
            .set('Cookie', cookies.join('; '))
            .set('X-Requested-With', '1');
          expect(response.status).toBe(200);
          current = sentBack(refreshCookieOf(response));
        },
      ),
      { numRuns: RUNS / 3 },
    );
  });
});

/** `text` with each lone surrogate replaced, as encodeURIComponent requires. */
function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/** A cursor as this server makes them (base64url of `[time, id]`), holding anything in either place. */
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const adminCursor = fc.oneof(
  fc
    .tuple(
      fc.oneof(
        fc.maxSafeInteger(),
        fc.constantFrom(0, -1, 8.64e15, 8.64e15 + 1, -8.64e15 - 1, Number.MAX_SAFE_INTEGER, 1.5),
        jsonValue,
      ),
      fc.oneof(oddString, fc.uuid(), jsonValue),
    )
    .map(cursorOf),
  fc.array(jsonValue, { maxLength: 3 }).map(cursorOf),
  oddString,
);
/** A query parameter's value: one, several (`?limit=1&limit=2`), or a number in any spelling. */
const adminQueryValue = (single: fc.Arbitrary<string>) =>
  fc.oneof(
    single,
    fc.array(single, { minLength: 2, maxLength: 3 }),
    fc.oneof(fc.integer(), fc.double()).map(String),
    fc.constantFrom('1e2', '0x10', ' 5', '5.0', '-0', '100', '101', 'Infinity', 'NaN'),
  );

/** docs/administration.md: Administration. Whatever an admin sends, the answer is a clear 4xx or a success, never a 5xx. */
describe('fuzzing the admin routes', () => {
  let app: TestApp;
  let admin: LoggedIn;
  let targetId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const registered = await registerAndLogin(app, `fuzz-admin-${process.pid}@example.com`);
    const adminId = JSON.parse(
      Buffer.from(registered.accessToken.split('.')[1], 'base64url').toString(),
    ).sub as string;
    await app.app.get(AuthService).setRoles(adminId, ['user', 'admin']);
    const login = await app
      .http()
      .post('/auth/login')
      .send({ email: registered.email, password: PASSWORD })
      .expect(200);
    admin = { ...registered, accessToken: login.body.accessToken as string };
    const target = await registerAndLogin(app, `fuzz-target-${process.pid}@example.com`);
    targetId = JSON.parse(Buffer.from(target.accessToken.split('.')[1], 'base64url').toString())
      .sub as string;
  });
  afterAll(() => app.close());

  it('never answers PATCH /auth/admin/users/:id with a 5xx, whatever the JSON body', async () => {
    await fc.assert(
      fc.asyncProperty(bodyFor(['roles', 'disabled']), async (body) => {
        const response = await app
          .http()
          .patch(`/auth/admin/users/${targetId}`)
          .set(...bearer(admin.accessToken))
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });

  it('never answers GET /auth/admin/users with a 5xx, whatever the query or the id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'email', 'x'), oddString, { maxKeys: 3 }),
        oddString,
        async (query, id) => {
          const list = await app
            .http()
            .get('/auth/admin/users')
            .query(query)
            .set(...bearer(admin.accessToken));
          expect(list.status).toBeLessThan(500);
          const one = await app
            .http()
            .delete(`/auth/admin/users/${encodeURIComponent(wellFormed(id))}`)
            .set(...bearer(admin.accessToken));
          expect(one.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers GET /auth/admin/users with 200 or 400 for any cursor, limit and email prefix, each as a list too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            limit: adminQueryValue(oddString),
            cursor: adminQueryValue(adminCursor),
            email: adminQueryValue(oddString),
          },
          { requiredKeys: [] },
        ),
        async (query) => {
          const response = await app
            .http()
            .get('/auth/admin/users')
            .query(query)
            .set(...bearer(admin.accessToken));
          expect([200, 400]).toContain(response.status);
          if (response.status === 400) expect(response.body.code).toBe('VALIDATION_FAILED');
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
