import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

/**
 * docs/sessions.md: Behaviour in detail, Passwords: text that is not well-formed Unicode (a lone surrogate, which JSON's
 * `\ud800` escapes can carry) is refused with 400 wherever a password or an address is given, never replaced: once
 * encoded, "abcdefgh\ud800xyz", "abcdefgh\udfffxyz" and "abcdefgh\ufffdxyz" were the same bytes to bcrypt, so one
 * signed in for the other.
 */
const LONE = ['abcdefgh\ud800xyz', 'abcdefgh\udfffxyz', '\udc00abcdefgh', 'abcdefgh\ud800'];
const ILL_FORMED = 'must be well-formed Unicode text (it holds a lone surrogate)';

describe('ill-formed Unicode', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ THROTTLE_AUTH_LIMIT: '10000' });
  });
  afterAll(() => app.close());

  it.each(LONE.map((password) => [JSON.stringify(password), password]))(
    'refuses to register with the password %s: 400 naming the field, and no account',
    async (_shown, password) => {
      const email = uniqueEmail();
      const response = await app.http().post('/auth/register').send({ email, password });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          message: [`password ${ILL_FORMED}`],
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
        },
      });
      await app
        .http()
        .post('/auth/login')
        .send({ email, password: 'abcdefgh\ufffdxyz' })
        .expect(401);
    },
  );

  it.each(['/auth/register', '/auth/login'])(
    '%s refuses a lone surrogate in the email with 400 whatever else the body holds (it once answered 500)',
    async (path) => {
      for (const body of [
        { email: 'abcdefgh\ud800xyz' },
        { email: 'ab\udfff@example.com', password: PASSWORD },
      ]) {
        const response = await app.http().post(path).send(body);

        expect(response.status).toBe(400);
        expect(response.body.message).toContain(`email ${ILL_FORMED}`);
      }
    },
  );

  it('refuses a login whose password or email holds a lone surrogate with 400, naming the field', async () => {
    const user = await registerAndLogin(app);

    const password = await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: `${PASSWORD}\ud800` });
    const email = await app
      .http()
      .post('/auth/login')
      .send({ email: `${user.email}\udfff`, password: PASSWORD });

    expect([password.status, password.body.message]).toEqual([400, [`password ${ILL_FORMED}`]]);
    expect([email.status, email.body.message]).toEqual([400, [`email ${ILL_FORMED}`]]);
  });

  it('refuses a password change with a lone surrogate in either password, and the old one keeps working', async () => {
    const user = await registerAndLogin(app);
    const change = (body: Record<string, string>) =>
      app
        .http()
        .post('/auth/password')
        .set(...bearer(user.accessToken))
        .send(body);

    const current = await change({
      currentPassword: `${PASSWORD}\ud800`,
      newPassword: 'a brand new password',
    });
    const fresh = await change({
      currentPassword: PASSWORD,
      newPassword: 'a brand new \udc00 password',
    });

    expect([current.status, current.body.message]).toEqual([
      400,
      [`currentPassword ${ILL_FORMED}`],
    ]);
    expect([fresh.status, fresh.body.message]).toEqual([400, [`newPassword ${ILL_FORMED}`]]);
    await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
  });

  it('takes a password with characters beyond the BMP (well-formed surrogate pairs), and only that one', async () => {
    const email = uniqueEmail();
    const password = 'horse 🐎 battery 𝄞 staple';
    await app.http().post('/auth/register').send({ email, password }).expect(201);

    await app.http().post('/auth/login').send({ email, password }).expect(200);
    await app
      .http()
      .post('/auth/login')
      .send({ email, password: 'horse \ufffd battery 𝄞 staple' })
      .expect(401);
  });
});
