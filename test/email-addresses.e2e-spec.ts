import { DataSource } from 'typeorm';
import { NormalizeEmails1764700000000 } from '../src/auth/adapters/typeorm/migrations/1764700000000-normalize-emails';
import { PASSWORD, startTestApp, type TestApp } from './support/test-app';

/**
 * docs/sessions.md: Behaviour in detail, Addresses: one address, one account. Every spelling of an address (Unicode NFC or
 * not, any case, a domain in Unicode or in its ASCII form) reaches the same account, and an address with a space,
 * a control or an invisible character in it is refused with 400. Stored addresses are brought to that form by a
 * migration that never merges two accounts.
 */
const INVISIBLE = 'must not contain spaces, control characters or invisible characters';

let counter = 0;
/** A fresh local part per test, so that the suite can share one app. */
const local = (name: string) => `${name}${process.pid}x${(counter += 1)}`;

describe('email addresses', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '10000' });
  });
  afterAll(() => app.close());

  const register = (email: string) =>
    app.http().post('/auth/register').send({ email, password: PASSWORD });
  const login = (email: string) =>
    app.http().post('/auth/login').send({ email, password: PASSWORD });

  it.each([
    [
      'a decomposed ü and a precomposed one',
      (n: string) => `ju\u0308rgen${n}@example.com`,
      (n: string) => `jürgen${n}@example.com`,
    ],
    ['two cases', (n: string) => `Ada.${n}@Example.COM`, (n: string) => `ada.${n}@example.com`],
    [
      'a Unicode domain and its ASCII form',
      (n: string) => `ada${n}@exämple.com`,
      (n: string) => `ada${n}@xn--exmple-cua.com`,
    ],
    [
      'a Unicode domain in two normal forms',
      (n: string) => `ada${n}@exa\u0308mple.com`,
      (n: string) => `ada${n}@EXÄMPLE.com`,
    ],
  ])(
    '%s are one account: the second registration is 409, and both spellings sign in',
    async (_label, first, second) => {
      const name = local('u');
      const created = await register(first(name)).expect(201);

      await register(second(name)).expect(409);
      await login(first(name)).expect(200);
      await login(second(name)).expect(200);
      expect(created.body.email).toBe(
        second(name).normalize('NFC').toLowerCase().replace('exämple', 'xn--exmple-cua'),
      );
    },
  );

  it.each([
    ['a zero-width space', '\u200b'],
    ['a zero-width joiner', '\u200d'],
    ['a right-to-left override', '\u202e'],
    ['a left-to-right mark', '\u200e'],
    ['a soft hyphen', '\u00ad'],
    ['a byte order mark', '\ufeff'],
    ['a no-break space', '\u00a0'],
    ['a space', ' '],
    ['a tab', '\t'],
    ['a line separator', '\u2028'],
    ['a control character', '\u0007'],
  ])(
    'refuses an address with %s inside it with 400, and creates no look-alike account',
    async (_label, character) => {
      const name = local('v');
      await register(`${name}@example.com`).expect(201);

      const response = await register(`${name}${character}@example.com`);

      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          message: [`email ${INVISIBLE}`],
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
        },
      });
    },
  );

  it('a migration brings stored spellings to the one form, and leaves two accounts that clash as they are', async () => {
    const dataSource = app.app.get(DataSource);
    const [decomposed, upper, clashA, clashB] = [local('m'), local('m'), local('c'), local('c')];
    const rows = [
      { id: `${decomposed}-id`, email: `ju\u0308rgen${decomposed}@exämple.com` },
      { id: `${upper}-id`, email: `ADA${upper}@EXAMPLE.COM` },
      // Two accounts registered under spellings of one address before this version: never merged.
      { id: `${clashA}-id`, email: `zoe${clashA}@example.com` },
      { id: `${clashB}-id`, email: `ZOE${clashA}@example.com` },
    ];
    for (const row of rows) {
      await dataSource
        .createQueryBuilder()
        .insert()
        .into('auth_users')
        .values({ ...row, passwordHash: 'x', roles: ['user'], createdAt: 0 })
        .execute();
    }
    const runner = dataSource.createQueryRunner();
    try {
      await new NormalizeEmails1764700000000().up(runner);
    } finally {
      await runner.release();
    }
    const rowsNow = await dataSource.query<{ id: string; email: string }[]>(
      'SELECT "id", "email" FROM "auth_users"',
    );
    const stored = new Map(rowsNow.map((row) => [row.id, row.email]));

    expect(stored.get(`${decomposed}-id`)).toBe(`jürgen${decomposed}@xn--exmple-cua.com`);
    expect(stored.get(`${upper}-id`)).toBe(`ada${upper}@example.com`);
    expect(stored.get(`${clashA}-id`)).toBe(`zoe${clashA}@example.com`);
    expect(stored.get(`${clashB}-id`)).toBe(`ZOE${clashA}@example.com`);
  });
});
