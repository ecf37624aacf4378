import { base32Decode, totpAt, totpStep } from '../../src/auth/features/mfa/totp';
import { bearer, type LoggedIn, type TestApp } from './test-app';

/** The code an authenticator app holding `secret` shows now, by the app's (manual) clock. */
export function totpCodeOf(app: TestApp, secret: string): string {
  return totpAt(base32Decode(secret), totpStep(Math.floor(app.clock.now() / 1000)));
}

/** `POST /auth/mfa/totp/setup` for `user`: the pending factor's secret (base32). */
export async function totpSetUp(app: TestApp, user: LoggedIn): Promise<string> {
  const setup = await app
    .http()
    .post('/auth/mfa/totp/setup')
    .set(...bearer(user.accessToken))
    .expect(200);
  return setup.body.secret as string;
}

/** `POST /auth/mfa/totp/enable` with `code`, unchecked. */
export function totpEnable(app: TestApp, user: LoggedIn, code: string) {
  return app
    .http()
    .post('/auth/mfa/totp/enable')
    .set(...bearer(user.accessToken))
    .send({ code });
}

/**
 * Enrols `user` in TOTP (setup, then enable with the current code) and moves the clock to the next step, whose code
 * is unspent: the secret.
 */
export async function totpEnrolled(app: TestApp, user: LoggedIn): Promise<string> {
  const secret = await totpSetUp(app, user);
  await totpEnable(app, user, totpCodeOf(app, secret)).expect(200);
  app.clock.advance(30_000);
  return secret;
}
