import { AuthEvents, type AuthEventOf } from '../src/auth';
import { mailTestApp } from './support/mail-env';
import { tokenOf } from './support/smtp-sink';
import { bearer, PASSWORD, registerAndLogin, uniqueEmail } from './support/test-app';

const NEW_PASSWORD = 'a brand new passphrase';

/** docs/mail.md: Account lifecycle and mail, password reset (CONTRACT 4.12), over a real SMTP server. */
describe('password reset', () => {
  const app = mailTestApp({ EMAIL_VERIFICATION: 'off' });
  const { sink } = app;

  async function resetToken(email: string, count = 1): Promise<string> {
    await app.http().post('/auth/password/forgot').send({ email }).expect(202);
    return tokenOf(await sink.waitFor(email, count), 'reset-password');
  }

  const reset = (token: string, newPassword = NEW_PASSWORD) =>
    app.http().post('/auth/password/reset').send({ token, newPassword });

  it('changes the password, verifies the address and revokes every session at once', async () => {
    const resets: AuthEventOf<'password.reset'>[] = [];
    const off = app.app.get(AuthEvents).on('password.reset', (event) => void resets.push(event));
    const user = await registerAndLogin(app);
    const second = await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD });

    const token = await resetToken(user.email);
    const mail = sink.to(user.email)[0];
    expect(mail.raw).toContain('Subject: Reset your password');
    expect(mail.raw).not.toContain(PASSWORD);
    await reset(token).expect(204);

    for (const accessToken of [user.accessToken, second.body.accessToken as string]) {
      await app
        .http()
        .get('/protected')
        .set(...bearer(accessToken))
        .expect(401);
    }
    await app.http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(401);
    const login = await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: NEW_PASSWORD })
      .expect(200);
    const me = await app
      .http()
      .get('/auth/me')
      .set(...bearer(login.body.accessToken))
      .expect(200);
    expect(me.body.emailVerified).toBe(true);
    expect(resets).toEqual([{ type: 'password.reset', userId: me.body.id }]);
    off();
  });

  it('answers a known and an unknown address alike, and mails only the known one', async () => {
    const known = (await registerAndLogin(app)).email;
    const unknown = uniqueEmail('nobody');
    const answers = [];
    for (const email of [unknown, known]) {
      answers.push(await app.http().post('/auth/password/forgot').send({ email }).expect(202));
    }
    expect(answers[0].body).toEqual(answers[1].body);
    expect(answers[0].headers['content-length']).toBe(answers[1].headers['content-length']);
    await sink.waitFor(known);
    // The unknown address was looked up first: by now, a mail to it would have been queued before this one.
    expect(sink.to(unknown)).toEqual([]);
  });

  it('refuses a new password outside the policy with 400 and keeps the token usable', async () => {
    const { email } = await registerAndLogin(app);
    const token = await resetToken(email);
    for (const weak of ['short', 'password1', 'k7#x'.repeat(32) + 'q']) {
      await reset(token, weak).expect(400);
    }
    await reset(token).expect(204);
  });

  it('takes a token once, and not past PASSWORD_RESET_TTL', async () => {
    const { email } = await registerAndLogin(app);
    const token = await resetToken(email);
    await reset(token).expect(204);
    expect((await reset(token, 'yet another passphrase').expect(400)).body.message).toBe(
      'Invalid or expired token',
    );

    const later = await resetToken(email, 2);
    app.clock.advance(1800 * 1000);
    expect((await reset(later).expect(400)).body.message).toBe('Invalid or expired token');
  });

  it('voids the older link when a new one is asked for', async () => {
    const { email } = await registerAndLogin(app);
    const first = await resetToken(email);
    const second = await resetToken(email, 2);
    await reset(first).expect(400);
    await reset(second).expect(204);
  });

  it.each([
    ['a malformed address', '/auth/password/forgot', { email: 'not an address' }],
    ['an unknown field', '/auth/password/forgot', { email: 'a@example.com', admin: true }],
    ['no address', '/auth/password/forgot', {}],
    ['no token', '/auth/password/reset', { newPassword: NEW_PASSWORD }],
    ['a wrong type', '/auth/password/reset', { token: ['a'], newPassword: NEW_PASSWORD }],
    ['a NUL', '/auth/password/forgot', { email: 'a\u0000b@example.com' }],
  ])('answers 400 to %s', async (_case, path, body) => {
    await app.http().post(path).send(body).expect(400);
  });
});

describe('password reset limits', () => {
  const app = mailTestApp({
    THROTTLE_AUTH_LIMIT: '3',
    THROTTLE_AUTH_TTL: '60',
    TRUST_PROXY: 'true',
  });
  const from = (ip: string) => ['X-Forwarded-For', ip] as const;

  it('limits the requests for one address, whatever client sends them', async () => {
    const email = uniqueEmail('limited');
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      await app
        .http()
        .post('/auth/password/forgot')
        .set(...from(ip))
        .send({ email })
        .expect(202);
    }
    const refused = await app
      .http()
      .post('/auth/password/forgot')
      .set(...from('198.51.100.4'))
      .send({ email: email.toUpperCase() })
      .expect(429);
    expect(refused.headers['retry-after']).toBeDefined();
    await app
      .http()
      .post('/auth/password/forgot')
      .set(...from('198.51.100.5'))
      .send({ email: uniqueEmail('other') })
      .expect(202);
  });

  it('limits the requests of one client, whatever addresses they name', async () => {
    for (let i = 0; i < 3; i += 1) {
      await app
        .http()
        .post('/auth/password/forgot')
        .set(...from('203.0.113.9'))
        .send({ email: uniqueEmail('spray') })
        .expect(202);
    }
    await app
      .http()
      .post('/auth/password/forgot')
      .set(...from('203.0.113.9'))
      .send({ email: uniqueEmail('spray') })
      .expect(429);
  });
});
