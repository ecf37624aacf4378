import { AuthService } from '../src/auth';
import { mailTestApp } from './support/mail-env';
import { tokenOf } from './support/smtp-sink';
import { bearer, type LoggedIn, PASSWORD, registerAndLogin, uniqueEmail } from './support/test-app';

const NEW_PASSWORD = 'a brand new passphrase';
const INVALID_MAIL_TOKEN = {
  statusCode: 400,
  message: 'Invalid or expired token',
  code: 'INVALID_MAIL_TOKEN',
};

/**
 * docs/security.md: a pending change dies with the credential that authorized it, and a mailed token proves the
 * mailbox it went to (CONTRACT 4.12), over a real SMTP server.
 */
describe('mail tokens bound to the credential and the address they were sent with', () => {
  const app = mailTestApp({ EMAIL_VERIFICATION: 'optional' });
  const { sink } = app;

  const http = () => app.http();
  /** Asks for an email change of `user` to a fresh address: the token of the link mailed there. */
  async function emailChangeLink(user: LoggedIn): Promise<{ token: string; newEmail: string }> {
    const newEmail = uniqueEmail('moved');
    await http()
      .post('/auth/email')
      .set(...bearer(user.accessToken))
      .send({ newEmail, currentPassword: PASSWORD })
      .expect(202);
    return { token: tokenOf(await sink.waitFor(newEmail), 'confirm-email'), newEmail };
  }
  /** The token of the `count`-th link to `page` mailed to `address`, once it has come. */
  async function nthLink(address: string, page: string, count: number): Promise<string> {
    const links = () =>
      sink.to(address).filter((mail) => mail.raw.replace(/=\r?\n/g, '').includes(`/${page}?token`));
    const deadline = Date.now() + 10_000;
    while (links().length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return tokenOf(links()[count - 1], page);
  }
  const linksSoFar = (address: string, page: string) =>
    sink.to(address).filter((mail) => mail.raw.replace(/=\r?\n/g, '').includes(`/${page}?token`))
      .length;
  /** Asks for a reset of `email`'s password: the token of the reset link mailed for it. */
  async function resetLink(email: string): Promise<string> {
    const count = linksSoFar(email, 'reset-password') + 1;
    await http().post('/auth/password/forgot').send({ email }).expect(202);
    return nthLink(email, 'reset-password', count);
  }
  const confirm = (token: string) => http().post('/auth/email/confirm').send({ token });
  const reset = (token: string) =>
    http().post('/auth/password/reset').send({ token, newPassword: NEW_PASSWORD });

  describe('a pending change dies with the credential that authorized it', () => {
    const ENDINGS: [string, (user: LoggedIn, userId: string) => Promise<unknown>][] = [
      [
        'a password change',
        (user) =>
          http()
            .post('/auth/password')
            .set(...bearer(user.accessToken))
            .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
            .expect(204),
      ],
      [
        'a password reset',
        async (user) => {
          // A reset link of its own, asked for after the pending one, and used.
          await reset(await resetLink(user.email)).expect(204);
        },
      ],
      [
        'a global logout',
        (user) =>
          http()
            .post('/auth/logout?scope=global')
            .set(...bearer(user.accessToken))
            .expect(204),
      ],
      [
        'a disabling (and enabling again)',
        async (_user, userId) => {
          const auth = app.app.get(AuthService);
          await auth.setDisabled(userId, true);
          await auth.setDisabled(userId, false);
        },
      ],
    ];

    it.each(ENDINGS)('refuses an email-change link issued before %s', async (_ending, end) => {
      const user = await registerAndLogin(app);
      const me = await http()
        .get('/auth/me')
        .set(...bearer(user.accessToken))
        .expect(200);
      const { token } = await emailChangeLink(user);

      await end(user, me.body.id as string);

      const refused = await confirm(token).expect(400);
      expect(refused.body).toMatchObject(INVALID_MAIL_TOKEN);
    });

    it.each(ENDINGS.filter(([ending]) => ending !== 'a password reset'))(
      'refuses a reset link issued before %s',
      async (_ending, end) => {
        const user = await registerAndLogin(app);
        const me = await http()
          .get('/auth/me')
          .set(...bearer(user.accessToken))
          .expect(200);
        const token = await resetLink(user.email);

        await end(user, me.body.id as string);

        expect((await reset(token).expect(400)).body).toMatchObject(INVALID_MAIL_TOKEN);
      },
    );

    it('lets a link asked for after the change work', async () => {
      const user = await registerAndLogin(app);
      await http()
        .post('/auth/password')
        .set(...bearer(user.accessToken))
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
        .expect(204);
      const login = await http()
        .post('/auth/login')
        .send({ email: user.email, password: NEW_PASSWORD })
        .expect(200);
      const newEmail = uniqueEmail('after');
      await http()
        .post('/auth/email')
        .set(...bearer(login.body.accessToken))
        .send({ newEmail, currentPassword: NEW_PASSWORD })
        .expect(202);

      await confirm(tokenOf(await sink.waitFor(newEmail), 'confirm-email')).expect(204);
    });
  });

  describe('a mailed token proves the mailbox it went to', () => {
    it('refuses a reset link sent to an address that is no longer the account’s', async () => {
      const user = await registerAndLogin(app);
      const token = await resetLink(user.email);
      const change = await emailChangeLink(user);
      await confirm(change.token).expect(204);

      expect((await reset(token).expect(400)).body).toMatchObject(INVALID_MAIL_TOKEN);
      // The password did not change.
      await http()
        .post('/auth/login')
        .send({ email: change.newEmail, password: PASSWORD })
        .expect(200);
    });

    it('refuses a verification link sent to the old address once the address changed', async () => {
      const user = await registerAndLogin(app);
      const verification = tokenOf(await sink.waitFor(user.email), 'verify-email');
      const change = await emailChangeLink(user);
      await confirm(change.token).expect(204);

      const refused = await http()
        .post('/auth/verify-email')
        .send({ token: verification })
        .expect(400);
      expect(refused.body).toMatchObject(INVALID_MAIL_TOKEN);
    });

    it('refuses an email-change link whose request came from an address no longer the account’s', async () => {
      const user = await registerAndLogin(app);
      const first = await emailChangeLink(user);
      // A second change asked for (voiding the first) and confirmed; then the first link must not move it again.
      const second = await emailChangeLink(user);
      await confirm(second.token).expect(204);

      expect((await confirm(first.token).expect(400)).body).toMatchObject(INVALID_MAIL_TOKEN);
    });

    it('voids the links to an address when it stops being the account’s, even should it come back', async () => {
      const user = await registerAndLogin(app);
      const token = await resetLink(user.email);
      const away = await emailChangeLink(user);
      await confirm(away.token).expect(204);
      const login = await http()
        .post('/auth/login')
        .send({ email: away.newEmail, password: PASSWORD })
        .expect(200);
      // Back to the first address.
      await http()
        .post('/auth/email')
        .set(...bearer(login.body.accessToken))
        .send({ newEmail: user.email, currentPassword: PASSWORD })
        .expect(202);
      const back = await nthLink(user.email, 'confirm-email', 1);
      await confirm(back).expect(204);

      expect((await reset(token).expect(400)).body).toMatchObject(INVALID_MAIL_TOKEN);
    });
  });
});
