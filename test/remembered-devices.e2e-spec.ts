import { AuthService } from '../src/auth';
import { decodeJwt } from './support/jwt-forge';
import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
} from './support/test-app';
import { totpCodeOf, totpEnable, totpEnrolled, totpSetUp } from './support/totp-enrolment';

/**
 * docs/security.md, "A pending change dies with the credential that authorized it": a remembered device stands for
 * a past sign-in, so it dies at every end of the user's credential epoch, not only at a password change, a reset
 * and a global logout: signing out every other session, a host or an admin revoking every session, a disabling.
 * Before, those moved the epoch on (voiding mail links) but left the devices, which kept skipping the second factor.
 */
describe('remembered devices die with the credential epoch', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ EMAIL_VERIFICATION: 'off' });
  });
  afterAll(() => app.close());

  const login = (email: string, deviceToken?: string) =>
    app.http().post('/auth/login').send({ email, password: PASSWORD, deviceToken });

  /** A user with TOTP and a remembered device: the device's token. */
  async function rememberedDevice(user: LoggedIn): Promise<string> {
    const secret = await totpEnrolled(app, user);
    const mfaToken = (await login(user.email).expect(200)).body.mfaToken as string;
    const verified = await app
      .http()
      .post('/auth/mfa/verify')
      .send({ mfaToken, code: totpCodeOf(app, secret), rememberDevice: true })
      .expect(200);
    app.clock.advance(30_000);
    return verified.body.deviceToken as string;
  }

  const ENDS: [string, (user: LoggedIn) => Promise<unknown>][] = [
    [
      'signing out every other session (logout?scope=others)',
      (user) =>
        app
          .http()
          .post('/auth/logout?scope=others')
          .set(...bearer(user.accessToken))
          .expect((response) => expect(response.status).toBeLessThan(300)),
    ],
    [
      "a host revoking every session (AuthService.revokeUserSessions, an admin's route alike)",
      (user) =>
        app.app
          .get(AuthService)
          .revokeUserSessions(decodeJwt(user.accessToken).payload.sub as string),
    ],
    [
      'a disabling, even once enabled again',
      async (user) => {
        const id = decodeJwt(user.accessToken).payload.sub as string;
        await app.app.get(AuthService).setDisabled(id, true);
        await app.app.get(AuthService).setDisabled(id, false);
      },
    ],
  ];

  it.each(ENDS)('after %s, the device no longer skips the second factor', async (_end, end) => {
    const user = await registerAndLogin(app);
    const deviceToken = await rememberedDevice(user);
    const skipped = await login(user.email, deviceToken).expect(200);
    expect(skipped.body.accessToken).toBeDefined();

    await end({ ...user, accessToken: skipped.body.accessToken as string });

    const challenged = await login(user.email, deviceToken).expect(200);
    expect(challenged.body.mfaRequired).toBe(true);
    expect(challenged.body.accessToken).toBeUndefined();
  });

  it.each(ENDS)(
    'after %s, a pending TOTP setup is dropped: its first code enables nothing',
    async (_end, end) => {
      const user = await registerAndLogin(app);
      const secret = await totpSetUp(app, user);

      await end(user);

      const signedIn = await app
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
      const enable = await totpEnable(
        app,
        { ...user, accessToken: signedIn.body.accessToken as string },
        totpCodeOf(app, secret),
      );
      // No pending setup left to enable (without the fix: 200 and a factor set up under the old credential).
      expect([enable.status, enable.body.code]).toEqual([409, 'MFA_NOT_ENABLED']);
      const status = await app
        .http()
        .get('/auth/mfa')
        .set(...bearer(signedIn.body.accessToken as string))
        .expect(200);
      expect(status.body.totp).toBe(false);
    },
  );
});
