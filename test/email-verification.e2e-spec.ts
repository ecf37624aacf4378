import { AuthEvents, type AuthEventOf } from '../src/auth';
import { claimsOf, mailTestApp } from './support/mail-env';
import { tokenOf } from './support/smtp-sink';
import { bearer, PASSWORD, registerAndLogin, uniqueEmail } from './support/test-app';

/** docs/mail.md: Account lifecycle and mail, verification (CONTRACT 4.12), over a real SMTP server. */
describe('email verification', () => {
  const app = mailTestApp();
  const { sink } = app;

  const signUp = (email = uniqueEmail('verify')) => registerAndLogin(app, email);

  it('mails a link at registration that verifies the address, shown by /auth/me and in refreshed tokens', async () => {
    const verified: AuthEventOf<'email.verified'>[] = [];
    const off = app.app.get(AuthEvents).on('email.verified', (event) => void verified.push(event));
    const user = await signUp();
    expect(claimsOf(user.accessToken).email_verified).toBe(false);
    const me = await app
      .http()
      .get('/auth/me')
      .set(...bearer(user.accessToken))
      .expect(200);
    expect(me.body.emailVerified).toBe(false);

    const mail = await sink.waitFor(user.email);
    expect(mail.raw).toContain('Subject: Verify your email address');
    expect(mail.raw).toContain('http://app.test/verify-email?token=');
    expect(mail.raw).not.toContain(PASSWORD);
    await app
      .http()
      .post('/auth/verify-email')
      .send({ token: tokenOf(mail, 'verify-email') })
      .expect(204);

    const after = await app
      .http()
      .get('/auth/me')
      .set(...bearer(user.accessToken))
      .expect(200);
    expect(after.body.emailVerified).toBe(true);
    const refreshed = await app
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: user.refreshToken })
      .expect(200);
    expect(claimsOf(refreshed.body.accessToken as string).email_verified).toBe(true);
    expect(verified).toEqual([
      { type: 'email.verified', userId: after.body.id, email: user.email },
    ]);
    off();
  });

  it('takes a token once', async () => {
    const user = await signUp();
    const token = tokenOf(await sink.waitFor(user.email), 'verify-email');
    await app.http().post('/auth/verify-email').send({ token }).expect(204);
    const again = await app.http().post('/auth/verify-email').send({ token }).expect(400);
    expect(again.body.message).toBe('Invalid or expired token');
  });

  it('sends no new link to an address already verified', async () => {
    const user = await signUp();
    const token = tokenOf(await sink.waitFor(user.email), 'verify-email');
    await app.http().post('/auth/verify-email').send({ token }).expect(204);
    await app
      .http()
      .post('/auth/verify-email/request')
      .set(...bearer(user.accessToken))
      .expect(202);
    // Mail leaves in the order queued: once the reset mail is in, a verification mail would be too.
    await app.http().post('/auth/password/forgot').send({ email: user.email }).expect(202);
    expect((await sink.waitFor(user.email, 2)).raw).toContain('Subject: Reset your password');
    expect(sink.to(user.email)).toHaveLength(2);
  });

  it('refuses a token past EMAIL_TOKEN_TTL', async () => {
    const user = await signUp();
    const token = tokenOf(await sink.waitFor(user.email), 'verify-email');
    app.clock.advance(86_400_000);
    const expired = await app.http().post('/auth/verify-email').send({ token }).expect(400);
    expect(expired.body.message).toBe('Invalid or expired token');
  });

  it('voids the older link when a new one is asked for', async () => {
    const user = await signUp();
    const first = tokenOf(await sink.waitFor(user.email), 'verify-email');
    await app
      .http()
      .post('/auth/verify-email/request')
      .set(...bearer(user.accessToken))
      .expect(202);
    const second = tokenOf(await sink.waitFor(user.email, 2), 'verify-email');
    expect(second).not.toBe(first);

    await app.http().post('/auth/verify-email').send({ token: first }).expect(400);
    await app.http().post('/auth/verify-email').send({ token: second }).expect(204);
  });

  it('refuses a verification token where another purpose is expected', async () => {
    const user = await signUp();
    const token = tokenOf(await sink.waitFor(user.email), 'verify-email');
    for (const [path, body] of [
      ['/auth/password/reset', { token, newPassword: 'another good passphrase' }],
      ['/auth/email/confirm', { token }],
    ] as const) {
      const refused = await app.http().post(path).send(body).expect(400);
      expect(refused.body.message).toBe('Invalid or expired token');
    }
    // Not spent by those attempts.
    await app.http().post('/auth/verify-email').send({ token }).expect(204);
  });

  it.each([
    ['an unknown token', { token: 'A'.repeat(43) }, 'Invalid or expired token'],
    ['an empty token', { token: '' }, ['token should not be empty']],
    ['a number', { token: 42 }, ['token must be a string']],
    [
      '600 characters',
      { token: 'x'.repeat(600) },
      ['token must be shorter than or equal to 512 characters'],
    ],
    ['no token', {}, ['token is required']],
    ['an unknown field', { token: 'a', extra: 1 }, ['property extra should not exist']],
  ])('answers 400 to %s', async (_case, body, message) => {
    const refused = await app.http().post('/auth/verify-email').send(body).expect(400);
    if (Array.isArray(message))
      expect(refused.body.message).toEqual(expect.arrayContaining(message));
    else expect(refused.body.message).toBe(message);
  });

  it.each(['/verify-email', '/reset-password', '/confirm-email'])(
    'serves the page of %s: plain HTML, a same-origin script, nothing kept, no referrer',
    async (path) => {
      const page = await app.http().get(`${path}?token=abc`).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).toContain('<script src="/demo/links.js" defer></script>');
      await app
        .http()
        .get('/demo/links.js')
        .expect(200)
        .expect('content-type', /javascript/);
    },
  );

  it('needs an access token to ask for a link', async () => {
    await app.http().post('/auth/verify-email/request').expect(401);
  });
});

describe('EMAIL_VERIFICATION=required', () => {
  const app = mailTestApp({ EMAIL_VERIFICATION: 'required' });
  const { sink } = app;

  it('refuses the login of an unverified account with 403, after the password held, until it is verified', async () => {
    const email = uniqueEmail('required');
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    await app.http().post('/auth/login').send({ email, password: 'wrong password!' }).expect(401);
    const refused = await app
      .http()
      .post('/auth/login')
      .send({ email, password: PASSWORD })
      .expect(403);
    expect(refused.body.message).toBe('Email not verified');

    const token = tokenOf(await sink.waitFor(email), 'verify-email');
    await app.http().post('/auth/verify-email').send({ token }).expect(204);
    await app.http().post('/auth/login').send({ email, password: PASSWORD }).expect(200);
  });
});

describe('EMAIL_VERIFICATION=off', () => {
  const app = mailTestApp({ EMAIL_VERIFICATION: 'off' });
  const { sink } = app;

  it('sends no verification mail at registration', async () => {
    const email = uniqueEmail('off');
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    // A password reset is mailed: by the time it arrives, a verification mail would have too.
    await app.http().post('/auth/password/forgot').send({ email }).expect(202);
    const mail = await sink.waitFor(email);
    expect(mail.raw).toContain('Subject: Reset your password');
    expect(sink.to(email)).toHaveLength(1);
  });
});
