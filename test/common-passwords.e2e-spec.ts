import { USER_STORE, type UserStore } from '../src/auth';
import { PasswordService } from '../src/auth/settings';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

const COMMON = 'is one of the most commonly used passwords';

/** docs/sessions.md: Behaviour in detail, Passwords: a password on the published list of the most common ones is refused wherever one is chosen. */
describe('common passwords', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const register = (email: string, password: string) =>
    app.http().post('/auth/register').send({ email, password });

  it.each(['Password1', '12345678', 'qwertyuiop', 'ｐａｓｓｗｏｒｄ１'])(
    'refuses to register with %s: 400 with a message that says why, and no account',
    async (password) => {
      const email = uniqueEmail();
      const response = await register(email, password).expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        message: [`password ${COMMON}: choose a longer, less guessable one`],
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
      });
      await app.http().post('/auth/login').send({ email, password }).expect(401);
    },
  );

  it('accepts a long passphrase of common words', async () => {
    await register(uniqueEmail(), 'correct horse battery staple').expect(201);
  });

  it('refuses a common new password at a password change, and the old one keeps working', async () => {
    const user = await registerAndLogin(app);

    const response = await app
      .http()
      .post('/auth/password')
      .set(...bearer(user.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'Password1' })
      .expect(400);

    expect(JSON.stringify(response.body.message)).toContain(`newPassword ${COMMON}`);
    await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
  });

  it('still signs in an account whose password was set before it was on the list', async () => {
    const email = uniqueEmail();
    const passwordHash = await app.app.get(PasswordService).hash('password1');
    await app.app.get<UserStore>(USER_STORE).create({
      email,
      passwordHash,
      roles: ['user'],
      createdAt: new Date(app.clock.now()),
    });

    await app.http().post('/auth/login').send({ email, password: 'password1' }).expect(200);
  });
});
