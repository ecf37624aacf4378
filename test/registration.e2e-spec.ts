import { PASSWORD, startTestApp, uniqueEmail, type TestApp, sql } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The messages of a Nest error body, whether it carries one string or a list. */
function messages(body: { message?: unknown }): string[] {
  return Array.isArray(body.message) ? body.message.map(String) : [String(body.message)];
}

describe('POST /auth/register', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Many registrations from one client: keep the per-IP limit (docs/operations.md: Abuse limits) out of the way.
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '1000' });
  });
  afterAll(() => app.close());

  const register = (email: string, password: string) =>
    app.http().post('/auth/register').send({ email, password });
  const login = (email: string, password: string) =>
    app.http().post('/auth/login').send({ email, password });

  describe('on success', () => {
    it('answers 201 with exactly { id, email, emailVerified, roles, createdAt }', async () => {
      const email = uniqueEmail();
      const response = await register(email, PASSWORD).expect(201);

      expect(Object.keys(response.body).sort()).toEqual([
        'createdAt',
        'email',
        'emailVerified',
        'id',
        'roles',
      ]);
      expect(response.body.emailVerified).toBe(false);
      expect(response.body.id).toMatch(UUID);
      expect(response.body.email).toBe(email);
      expect(response.body.roles).toEqual(['user']);
    });

    it('gives createdAt as an ISO 8601 timestamp taken from the clock', async () => {
      const response = await register(uniqueEmail(), PASSWORD).expect(201);

      expect(typeof response.body.createdAt).toBe('string');
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
      expect(response.body.createdAt).toBe(new Date(app.clock.now()).toISOString());
    });

    it('gives every user a distinct id', async () => {
      const first = await register(uniqueEmail(), PASSWORD).expect(201);
      const second = await register(uniqueEmail(), PASSWORD).expect(201);

      expect(first.body.id).not.toBe(second.body.id);
    });

    it('never returns the password or its hash', async () => {
      const response = await register(uniqueEmail(), PASSWORD).expect(201);

      expect(response.body).not.toHaveProperty('password');
      expect(response.body).not.toHaveProperty('passwordHash');
      expect(response.text).not.toContain(PASSWORD);
      expect(response.text).not.toMatch(/\$2[aby]\$/);
      expect(response.text.toLowerCase()).not.toContain('hash');
    });

    it('stores a bcrypt hash of a pre-hash of the password, not the password', async () => {
      const response = await register(uniqueEmail(), PASSWORD).expect(201);
      const rows: { password_hash: string }[] = await sql(
        app,
        'SELECT password_hash FROM auth_users WHERE id = ?',
        [response.body.id],
      );

      expect(rows).toHaveLength(1);
      expect(rows[0].password_hash).toMatch(/^\$bcrypt-sha256\$v1\$2b\$\d\d\$/);
      expect(rows[0].password_hash).not.toContain(PASSWORD);
    });
  });

  describe('email', () => {
    it('trims and lower-cases the email before storing it', async () => {
      const email = uniqueEmail('MiXeD');
      const response = await register(`  ${email.toUpperCase()}\t `, PASSWORD).expect(201);

      expect(response.body.email).toBe(email.toLowerCase());
      const rows: { email: string }[] = await sql(
        app,
        'SELECT email FROM auth_users WHERE id = ?',
        [response.body.id],
      );
      expect(rows[0].email).toBe(email.toLowerCase());
    });

    it('answers 409 when the email is taken', async () => {
      const email = uniqueEmail();
      await register(email, PASSWORD).expect(201);

      const response = await register(email, 'another password').expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    });

    it.each([
      ['upper case', (email: string) => email.toUpperCase()],
      ['surrounding spaces', (email: string) => `  ${email}  `],
      ['both', (email: string) => ` ${email.toUpperCase()} `],
    ])('answers 409 for a variant of a taken email (%s)', async (_variant, vary) => {
      const email = uniqueEmail();
      await register(email, PASSWORD).expect(201);

      await register(vary(email), PASSWORD).expect(409);
    });

    it('keeps the first registration intact when a duplicate is refused', async () => {
      const email = uniqueEmail();
      await register(email, PASSWORD).expect(201);
      await register(email.toUpperCase(), 'an intruder password').expect(409);

      await login(email, PASSWORD).expect(200);
      await login(email, 'an intruder password').expect(401);
    });

    it.each([
      ['no @', 'not-an-email'],
      ['no domain', 'user@'],
      ['no local part', '@example.com'],
      ['a space inside', 'us er@example.com'],
      ['empty', ''],
      ['only spaces', '   '],
      ['too long', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`],
    ])('answers 400 naming the email for a bad email (%s)', async (_case, email) => {
      const response = await register(email, PASSWORD).expect(400);

      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(messages(response.body)).toEqual(
        expect.arrayContaining([expect.stringContaining('email')]),
      );
    });
  });

  describe('password policy', () => {
    const expectPasswordRefused = async (password: string) => {
      const email = uniqueEmail();
      const response = await register(email, password).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(messages(response.body)).toEqual(
        expect.arrayContaining([expect.stringContaining('password')]),
      );
      // Nothing was created: the email is still free.
      await register(email, PASSWORD).expect(201);
    };

    it('refuses a password shorter than 8 characters', async () => {
      await expectPasswordRefused('1234567');
    });

    it('refuses an empty password', async () => {
      await expectPasswordRefused('');
    });

    it('accepts a password of exactly 8 characters', async () => {
      await register(uniqueEmail(), 'k7#x9Q2m').expect(201);
    });

    it('counts characters, not bytes, for the minimum length', async () => {
      // 7 characters, 21 bytes.
      await expectPasswordRefused('日本語のパスワ');
    });

    it('refuses a password longer than 128 characters', async () => {
      await expectPasswordRefused('k7#x'.repeat(32) + 'q');
    });

    it('refuses 129 characters of any script, and names the limit in the message', async () => {
      const response = await register(uniqueEmail(), 'ж'.repeat(129)).expect(400);

      expect(messages(response.body)).toEqual(
        expect.arrayContaining(['password must be at most 128 characters long']),
      );
    });

    it.each([
      ['ASCII', 'k7#x'.repeat(32)],
      ['two-byte characters', 'é'.repeat(128)],
      ['four-byte characters', '😀'.repeat(128)],
    ])(
      'accepts a password of exactly 128 characters (%s), which then logs in',
      async (_c, password) => {
        expect([...password]).toHaveLength(128);
        const email = uniqueEmail();

        await register(email, password).expect(201);
        await login(email, password).expect(200);
      },
    );

    it.each([
      ['in the middle', 'password\u0000123'],
      ['at the end', 'password123\u0000'],
      ['at the start', '\u0000password123'],
    ])('refuses a password with a NUL character (%s)', async (_where, password) => {
      await expectPasswordRefused(password);
    });

    it('normalizes with NFKC: registered full-width, logs in with ASCII', async () => {
      const email = uniqueEmail();
      await register(email, 'ｚｅｂｒａｆｉｓｈ４７').expect(201);

      await login(email, 'zebrafish47').expect(200);
    });

    it('normalizes with NFKC: registered in ASCII, logs in full-width', async () => {
      const email = uniqueEmail();
      await register(email, 'zebrafish47').expect(201);

      await login(email, 'ｚｅｂｒａｆｉｓｈ４７').expect(200);
    });

    it('normalizes with NFKC: a precomposed accent matches a combining one', async () => {
      const email = uniqueEmail();
      await register(email, 'caf\u00e9 au lait').expect(201);

      await login(email, 'cafe\u0301 au lait').expect(200);
      await login(email, 'cafe au lait').expect(401);
    });
  });
});
