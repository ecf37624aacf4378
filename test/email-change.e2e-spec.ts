import { AuthEvents, type AuthEventOf } from '../src/auth';
import { mailTestApp } from './support/mail-env';
import { tokenOf } from './support/smtp-sink';
import { bearer, PASSWORD, registerAndLogin, uniqueEmail } from './support/test-app';

/** docs/mail.md: Account lifecycle and mail, email change (CONTRACT 4.12), over a real SMTP server. */
describe('email change', () => {
  const app = mailTestApp({ EMAIL_VERIFICATION: 'off' });
  const { sink } = app;

  const change = (accessToken: string, body: object) =>
    app
      .http()
      .post('/auth/email')
      .set(...bearer(accessToken))
      .send(body);
  const confirm = (token: string) => app.http().post('/auth/email/confirm').send({ token });

  it('mails a link to the new address and a notice to the old one, and changes the address once confirmed', async () => {
    const changed: AuthEventOf<'email.changed'>[] = [];
    const off = app.app.get(AuthEvents).on('email.changed', (event) => void changed.push(event));
    const user = await registerAndLogin(app);
    const newEmail = uniqueEmail('moved');
    await change(user.accessToken, { newEmail, currentPassword: PASSWORD }).expect(202);

    const link = await sink.waitFor(newEmail);
    const notice = await sink.waitFor(user.email);
    expect(link.raw).toContain('Subject: Confirm your new email address');
    expect(notice.raw).toContain('Subject: A change of your email address was requested');
    expect(notice.raw).not.toMatch(/token=/);
    for (const mail of [link, notice]) expect(mail.raw).not.toContain(PASSWORD);
    // Nothing changes before the link is opened.
    const before = await app
      .http()
      .get('/auth/me')
      .set(...bearer(user.accessToken))
      .expect(200);
    expect(before.body.email).toBe(user.email);

    await confirm(tokenOf(link, 'confirm-email')).expect(204);
    const login = await app
      .http()
      .post('/auth/login')
      .send({ email: newEmail, password: PASSWORD })
      .expect(200);
    const me = await app
      .http()
      .get('/auth/me')
      .set(...bearer(login.body.accessToken))
      .expect(200);
    expect(me.body).toMatchObject({ email: newEmail, emailVerified: true });
    await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(401);
    expect(changed).toEqual([
      { type: 'email.changed', userId: me.body.id, previousEmail: user.email, email: newEmail },
    ]);
    off();
  });

  it('takes a confirmation token once', async () => {
    const user = await registerAndLogin(app);
    const newEmail = uniqueEmail('once');
    await change(user.accessToken, { newEmail, currentPassword: PASSWORD }).expect(202);
    const token = tokenOf(await sink.waitFor(newEmail), 'confirm-email');
    await confirm(token).expect(204);
    expect((await confirm(token).expect(400)).body.message).toBe('Invalid or expired token');
  });

  it('answers 409 at confirmation when the address was taken meanwhile', async () => {
    const user = await registerAndLogin(app);
    const newEmail = uniqueEmail('contested');
    await change(user.accessToken, { newEmail, currentPassword: PASSWORD }).expect(202);
    const token = tokenOf(await sink.waitFor(newEmail), 'confirm-email');
    await app
      .http()
      .post('/auth/register')
      .send({ email: newEmail, password: PASSWORD })
      .expect(201);

    await confirm(token).expect(409);
    const me = await app
      .http()
      .get('/auth/me')
      .set(...bearer(user.accessToken))
      .expect(200);
    expect(me.body.email).toBe(user.email);
  });

  it('refuses a wrong password (403), a taken address (409), a bad or the same address (400), no token (401)', async () => {
    const user = await registerAndLogin(app);
    const other = await registerAndLogin(app);
    const newEmail = uniqueEmail('refused');
    await change(user.accessToken, { newEmail, currentPassword: 'not my password' }).expect(403);
    await change(user.accessToken, {
      newEmail: other.email.toUpperCase(),
      currentPassword: PASSWORD,
    }).expect(409);
    await change(user.accessToken, { newEmail: 'no-at-sign', currentPassword: PASSWORD }).expect(
      400,
    );
    await change(user.accessToken, { newEmail: user.email, currentPassword: PASSWORD }).expect(400);
    await change(user.accessToken, { newEmail, currentPassword: PASSWORD, x: 1 }).expect(400);
    await app.http().post('/auth/email').send({ newEmail, currentPassword: PASSWORD }).expect(401);
    expect(sink.to(newEmail)).toEqual([]);
  });
});
