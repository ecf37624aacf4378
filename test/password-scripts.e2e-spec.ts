import { hash as bcryptHash } from '@node-rs/bcrypt';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  sql,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/**
 * docs/security.md, "Long passwords in any script" (CONTRACT §2, OWASP ASVS 5.0 6.2.9): up to 128 characters in any
 * script, every one of them counting, although bcrypt reads 72 bytes at most; hashes stored before (plain bcrypt)
 * keep verifying and are upgraded at the next successful login.
 */
describe('passwords in any script, past bcrypt’s 72 bytes', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '100000' });
  });
  afterAll(() => app.close());

  const register = (email: string, password: string) =>
    app.http().post('/auth/register').send({ email, password });
  const login = (email: string, password: string) =>
    app.http().post('/auth/login').send({ email, password });
  const storedHash = async (email: string): Promise<string> => {
    const rows = await sql<{ password_hash: string }[]>(
      app,
      'SELECT password_hash FROM auth_users WHERE email = ?',
      [email],
    );
    return rows[0].password_hash;
  };

  // 37 Cyrillic letters or 19 emoji were over 72 bytes: refused before.
  describe.each([
    ['Cyrillic', 'ж', 'щ'],
    ['Greek', 'λ', 'μ'],
    ['CJK', '語', '話'],
    ['emoji', '😀', '😁'],
  ])('64 %s characters', (_script, character, other) => {
    const password = character.repeat(64);

    it('register, sign in, and every character counts: the last one differing fails', async () => {
      const email = uniqueEmail();
      expect(Buffer.byteLength(password, 'utf8')).toBeGreaterThan(72);

      await register(email, password).expect(201);

      await login(email, password).expect(200);
      await login(email, character.repeat(63) + other).expect(401);
      await login(email, character.repeat(63)).expect(401);
      await login(email, character.repeat(65)).expect(401);
    });

    it('can be the new password of a change', async () => {
      const user = await registerAndLogin(app);

      await app
        .http()
        .post('/auth/password')
        .set(...bearer(user.accessToken))
        .send({ currentPassword: PASSWORD, newPassword: password })
        .expect(204);

      await login(user.email, password).expect(200);
      await login(user.email, other + character.repeat(63)).expect(401);
    });
  });

  describe('a plain bcrypt hash stored before the pre-hash', () => {
    /** A user whose stored hash is plain bcrypt of `password`, as every hash was before. */
    async function legacyUser(password: string): Promise<string> {
      const email = uniqueEmail('legacy');
      await register(email, PASSWORD).expect(201);
      await sql(app, 'UPDATE auth_users SET password_hash = ? WHERE email = ?', [
        await bcryptHash(password.normalize('NFKC'), 4),
        email,
      ]);
      return email;
    }

    it('signs in, and is then rewritten in the current format, which signs in too', async () => {
      const email = await legacyUser('zebrafish forty-seven');
      expect(await storedHash(email)).toMatch(/^\$2b\$04\$/);

      await login(email, 'zebrafish forty-seven').expect(200);

      const upgraded = await storedHash(email);
      expect(upgraded).toMatch(/^\$bcrypt-sha256\$v1\$2b\$04\$.{53}$/);
      await login(email, 'zebrafish forty-seven').expect(200);
      expect(await storedHash(email)).toBe(upgraded);
      await login(email, 'zebrafish forty-eight').expect(401);
    });

    it('is left as it is by a wrong password', async () => {
      const email = await legacyUser('zebrafish forty-seven');
      const before = await storedHash(email);

      await login(email, 'zebrafish forty-eight').expect(401);

      expect(await storedHash(email)).toBe(before);
    });

    it('never matches more than its 72 bytes: a longer password with the same beginning fails', async () => {
      const password = 'p'.repeat(72);
      const email = await legacyUser(password);

      await login(email, `${password}x`).expect(401);
      expect(await storedHash(email)).toMatch(/^\$2b\$/);
      await login(email, password).expect(200);
    });
  });
});
