import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import * as ts from 'typescript';
import { AuthService } from '../src/auth';
import { base32Decode, totpAt, totpStep } from '../src/auth/features/mfa/totp';
import { expectInvalidToken } from './support/challenges';
import { mailTestApp } from './support/mail-env';
import { tokenOf } from './support/smtp-sink';
import { ask, connected, disconnected, listen, socketClient } from './support/realtime-clients';
import { refreshCookieOf, sentBack, setCookies } from './support/cookies';
import { instancesForSuite, signUp } from './support/instances';
import { E2E_DATABASE } from './support/test-database';
import request, { type Response, type Test } from 'supertest';
import { decodeJwt } from './support/jwt-forge';
import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './support/test-app';

const claims = (token: string) => decodeJwt(token).payload;

/** The code of the authenticator app holding `secret` at `app`'s time, `offset` steps away. */
function codeAt(app: TestApp, secret: string, offset = 0): string {
  return totpAt(base32Decode(secret), totpStep(Math.floor(app.clock.now() / 1000)) + offset);
}

interface EnrolledUser extends LoggedIn {
  id: string;
  secret: string;
  recoveryCodes: string[];
}

/**
 * `user` (a fresh user by default) with TOTP enabled on `app` through its own session: the secret, the ten recovery
 * codes. The clock then moves to the next step, so that a new code exists (the enabling one's step is spent).
 */
async function enrolledUser(app: TestApp, user?: LoggedIn): Promise<EnrolledUser> {
  const signedIn = user ?? (await registerAndLogin(app, uniqueEmail('mfa')));
  const setup = await app
    .http()
    .post('/auth/mfa/totp/setup')
    .set(...bearer(signedIn.accessToken))
    .expect(200);
  const secret = setup.body.secret as string;
  const enable = await app
    .http()
    .post('/auth/mfa/totp/enable')
    .set(...bearer(signedIn.accessToken))
    .send({ code: codeAt(app, secret) })
    .expect(200);
  app.clock.advance(30_000);
  const id = claims(signedIn.accessToken).sub as string;
  return { ...signedIn, id, secret, recoveryCodes: enable.body.recoveryCodes as string[] };
}

/**
 * Logs `user` in with the password and meets the challenge with the current code (and `extra`, e.g.
 * `rememberDevice`): the verify's answer (200). The clock then moves to the next step.
 */
async function signInWithCode(
  app: TestApp,
  user: { email: string; secret: string; password?: string },
  extra: object = {},
): Promise<Response> {
  const challenge = await app
    .http()
    .post('/auth/login')
    .send({ email: user.email, password: user.password ?? PASSWORD })
    .expect(200);
  const verified = await app
    .http()
    .post('/auth/mfa/verify')
    .send({ mfaToken: challenge.body.mfaToken, code: codeAt(app, user.secret), ...extra })
    .expect(200);
  app.clock.advance(30_000);
  return verified;
}

/**
 * CONTRACT 4.15 on the reference server over HTTP: the claims of how a session authenticated, TOTP enrolment and
 * recovery codes, the login's challenge and its verification, step-up (RFC 9470) and re-authentication. The
 * ManualClock moves TOTP time: nothing sleeps.
 */
describe('second factor and step-up', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const nowSeconds = () => Math.floor(app.clock.now() / 1000);
  /** The code of the authenticator app holding `secret`, `offset` steps from now. */
  const codeOf = (secret: string, offset = 0) => codeAt(app, secret, offset);
  /** Moves to the next TOTP step, so that a new code exists (a used one is refused). */
  const nextStep = () => app.clock.advance(30_000);

  const login = (email: string, password = PASSWORD) =>
    app.http().post('/auth/login').send({ email, password });
  /** `POST /auth/mfa/verify` with `body` (`mfaToken` and a code, a recovery code, `rememberDevice`). */
  const verify = (body: object) => app.http().post('/auth/mfa/verify').send(body);

  const enrolled = () => enrolledUser(app);

  describe('claims of how a session authenticated', () => {
    it('carries auth_time, amr pwd and acr aal1 after a password login, kept by a refresh, shown to @CurrentUser', async () => {
      const user = await registerAndLogin(app);
      const loggedInAt = nowSeconds();
      expect(claims(user.accessToken)).toMatchObject({
        auth_time: loggedInAt,
        amr: ['pwd'],
        acr: 'aal1',
      });

      app.clock.advance(120_000);
      const refreshed = await app
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(200);

      expect(claims(refreshed.body.accessToken)).toMatchObject({
        auth_time: loggedInAt,
        acr: 'aal1',
      });
      const recent = await app
        .http()
        .get('/protected/recent')
        .set(...bearer(refreshed.body.accessToken));
      expect(recent.status).toBe(401);
    });
  });

  describe('step-up (RFC 9470)', () => {
    /** RFC 9470 §3, exactly: a sensitive route of a session older than STEP_UP_MAX_AGE (300 s by default). */
    const STALE_CHALLENGE =
      'Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required for this resource", max_age="300"';
    it('refuses a one-factor token on an aal2 route with the challenge, the session unharmed', async () => {
      const user = await registerAndLogin(app);

      const refused = await app
        .http()
        .get('/protected/mfa')
        .set(...bearer(user.accessToken));

      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('INSUFFICIENT_USER_AUTHENTICATION');
      expect(refused.headers['www-authenticate']).toBe(
        'Bearer error="insufficient_user_authentication", error_description="A second factor is required for this resource", acr_values="aal2"',
      );
      await app
        .http()
        .get('/protected')
        .set(...bearer(user.accessToken))
        .expect(200);
      await app.http().post('/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
    });

    it('refuses a stale authentication with max_age, and passes after POST /auth/reauthenticate with the password', async () => {
      const user = await registerAndLogin(app);
      await app
        .http()
        .get('/protected/recent')
        .set(...bearer(user.accessToken))
        .expect(200);
      app.clock.advance(61_000);

      const stale = await app
        .http()
        .get('/protected/recent')
        .set(...bearer(user.accessToken));
      expect(stale.status).toBe(401);
      expect(stale.headers['www-authenticate']).toBe(
        'Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required for this resource", max_age="60"',
      );

      const wrong = await app
        .http()
        .post('/auth/reauthenticate')
        .set(...bearer(user.accessToken))
        .send({ password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');

      const again = await app
        .http()
        .post('/auth/reauthenticate')
        .set(...bearer(user.accessToken))
        .send({ password: PASSWORD })
        .expect(200);
      expect(again.headers['cache-control']).toBe('no-store');
      expect(claims(again.body.accessToken)).toMatchObject({
        sid: claims(user.accessToken).sid,
        auth_time: nowSeconds(),
      });
      expect(again.body.refreshToken).toBe(user.refreshToken);
      await app
        .http()
        .get('/protected/recent')
        .set(...bearer(again.body.accessToken))
        .expect(200);
    });

    it('asks for a recent authentication to end other sessions; a re-authentication lets it through', async () => {
      const user = await registerAndLogin(app);
      const other = await login(user.email).expect(200);
      const otherId = claims(other.body.accessToken).sid as string;
      app.clock.advance(301_000);

      for (const scope of ['others', 'global']) {
        const stale = await app
          .http()
          .post(`/auth/logout?scope=${scope}`)
          .set(...bearer(user.accessToken));
        expect(stale.status).toBe(401);
        expect(stale.body.code).toBe('INSUFFICIENT_USER_AUTHENTICATION');
        expect(stale.headers['www-authenticate']).toBe(STALE_CHALLENGE);
      }
      const revoke = await app
        .http()
        .delete(`/auth/sessions/${otherId}`)
        .set(...bearer(user.accessToken));
      expect(revoke.status).toBe(401);
      await app
        .http()
        .get('/protected')
        .set(...bearer(other.body.accessToken))
        .expect(200);

      const fresh = await app
        .http()
        .post('/auth/reauthenticate')
        .set(...bearer(user.accessToken))
        .send({ password: PASSWORD })
        .expect(200);
      await app
        .http()
        .delete(`/auth/sessions/${otherId}`)
        .set(...bearer(fresh.body.accessToken))
        .expect(204);
      await app
        .http()
        .post('/auth/logout?scope=global')
        .set(...bearer(fresh.body.accessToken))
        .expect(204);
    });

    it('asks for a recent authentication to enrol: max_age of STEP_UP_MAX_AGE', async () => {
      const user = await registerAndLogin(app);
      app.clock.advance(301_000);

      const stale = await app
        .http()
        .post('/auth/mfa/totp/setup')
        .set(...bearer(user.accessToken));

      expect(stale.status).toBe(401);
      expect(stale.body.code).toBe('INSUFFICIENT_USER_AUTHENTICATION');
      expect(stale.headers['www-authenticate']).toBe(STALE_CHALLENGE);
    });
  });

  describe('step-up in GraphQL and on socket.io', () => {
    it('refuses a one-factor token with the same code and acrValues, and serves an aal2 one', async () => {
      const weak = await registerAndLogin(app);
      const strong = (await signInWithCode(app, await enrolled())).body.accessToken as string;
      const graphql = (token: string) =>
        app
          .http()
          .post('/graphql')
          .set(...bearer(token))
          .send({ query: '{ mfaPing }' })
          .expect(200);

      const refused = (await graphql(weak.accessToken)).body as {
        errors: { extensions: Record<string, unknown> }[];
      };
      expect(refused.errors[0].extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        authCode: 'INSUFFICIENT_USER_AUTHENTICATION',
        acrValues: 'aal2',
      });
      expect((await graphql(strong)).body.data).toEqual({ mfaPing: 'pong' });

      const baseUrl = await listen(app.app);
      const weakSocket = await connected(socketClient(baseUrl, weak.accessToken));
      const strongSocket = await connected(socketClient(baseUrl, strong));
      try {
        expect(await ask(weakSocket, 'mfaPing')).toEqual({
          error: {
            code: 'INSUFFICIENT_USER_AUTHENTICATION',
            message: 'A second factor is required for this resource',
            acrValues: 'aal2',
          },
        });
        expect(weakSocket.connected).toBe(true);
        expect(await ask(strongSocket, 'mfaPing')).toBe('pong');
      } finally {
        weakSocket.disconnect();
        strongSocket.disconnect();
      }
    });
  });

  describe('enrolment', () => {
    it('sets up a pending secret, refuses a wrong first code with 400, enables with a right one and ten recovery codes', async () => {
      const user = await registerAndLogin(app, uniqueEmail('enrol'));
      const other = await app
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD });

      const setup = await app
        .http()
        .post('/auth/mfa/totp/setup')
        .set(...bearer(user.accessToken))
        .expect(200);
      expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/nest-auth:/);
      await app
        .http()
        .get('/auth/mfa')
        .set(...bearer(user.accessToken))
        .expect(200, { totp: false, passkeys: 0, recoveryCodesLeft: 0 });

      const wrong = await app
        .http()
        .post('/auth/mfa/totp/enable')
        .set(...bearer(user.accessToken))
        .send({ code: codeOf(setup.body.secret, 3) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('INVALID_MFA_CODE');

      const enabled = await app
        .http()
        .post('/auth/mfa/totp/enable')
        .set(...bearer(user.accessToken))
        .send({ code: codeOf(setup.body.secret) })
        .expect(200);
      expect(enabled.body.recoveryCodes).toHaveLength(10);
      await app
        .http()
        .get('/auth/mfa')
        .set(...bearer(user.accessToken))
        .expect(200, { totp: true, passkeys: 0, recoveryCodesLeft: 10 });
      // Enrolling revokes every other session; the enrolling one keeps its acr.
      expectInvalidToken(
        await app
          .http()
          .get('/protected')
          .set(...bearer(other.body.accessToken)),
      );
      await app
        .http()
        .get('/protected')
        .set(...bearer(user.accessToken))
        .expect(200);
      const again = await app
        .http()
        .post('/auth/mfa/totp/setup')
        .set(...bearer(user.accessToken));
      expect(again.status).toBe(409);
    });
  });

  describe('login with a second factor', () => {
    it('answers a challenge and no session; the code opens an aal2 session', async () => {
      const user = await enrolled();

      const challenge = await login(user.email).expect(200);
      expect(challenge.body).toEqual({
        mfaRequired: true,
        mfaToken: expect.any(String),
        methods: ['totp', 'recovery_code'],
      });
      expect(challenge.body.accessToken).toBeUndefined();
      expect(decodeJwt(challenge.body.mfaToken).header.typ).toBe('mfa+jwt');

      const verified = await verify({
        mfaToken: challenge.body.mfaToken,
        code: codeOf(user.secret),
      }).expect(200);
      expect(claims(verified.body.accessToken)).toMatchObject({
        amr: ['pwd', 'otp', 'mfa'],
        acr: 'aal2',
        auth_time: nowSeconds(),
      });
      await app
        .http()
        .get('/protected/mfa')
        .set(...bearer(verified.body.accessToken))
        .expect(200);
      const refreshed = await app
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: verified.body.refreshToken })
        .expect(200);
      expect(claims(refreshed.body.accessToken)).toMatchObject({ acr: 'aal2' });
    });

    it('never takes the mfaToken as an access or refresh token, nor an access token as an mfaToken', async () => {
      const user = await enrolled();
      const { mfaToken } = (await login(user.email).expect(200)).body as { mfaToken: string };

      expectInvalidToken(
        await app
          .http()
          .get('/protected')
          .set(...bearer(mfaToken)),
      );
      expectInvalidToken(await app.http().post('/auth/refresh').send({ refreshToken: mfaToken }));
      const asMfa = await verify({ mfaToken: user.accessToken, code: codeOf(user.secret) });
      expect(asMfa.status).toBe(401);
      expect(asMfa.body.code).toBe('TOKEN_INVALID');
    });

    it('accepts a code once (the same code again is refused), and one step of drift', async () => {
      const user = await enrolled();
      const code = codeOf(user.secret);
      const first = (await login(user.email)).body.mfaToken as string;
      await verify({ mfaToken: first, code }).expect(200);

      const second = (await login(user.email)).body.mfaToken as string;
      const replay = await verify({ mfaToken: second, code });
      expect(replay.status).toBe(401);
      expect(replay.body).toMatchObject({ code: 'INVALID_MFA_CODE', message: 'Invalid code' });

      nextStep();
      // The code of the step before: a phone's clock a little behind.
      const drifted = codeOf(user.secret, 0);
      app.clock.advance(30_000);
      await verify({ mfaToken: second, code: drifted }).expect(200);
    });

    it('spends the mfaToken at the first success, and it expires after 5 minutes', async () => {
      const user = await enrolled();
      const mfaToken = (await login(user.email)).body.mfaToken as string;
      await verify({ mfaToken, code: codeOf(user.secret) }).expect(200);
      nextStep();
      const spent = await verify({ mfaToken, code: codeOf(user.secret) });
      expect(spent.status).toBe(401);
      expect(spent.body.code).toBe('TOKEN_INVALID');

      const late = (await login(user.email)).body.mfaToken as string;
      app.clock.advance(301_000);
      const expired = await verify({ mfaToken: late, code: codeOf(user.secret) });
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('TOKEN_EXPIRED');
    });

    it('kills the mfaToken after 5 wrong codes, and counts them in the account slowdown', async () => {
      const user = await enrolled();
      const mfaToken = (await login(user.email)).body.mfaToken as string;
      const wrong = codeOf(user.secret, 5);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const refused = await verify({ mfaToken, code: wrong });
        expect(refused.body.code).toBe('INVALID_MFA_CODE');
      }

      const dead = await verify({ mfaToken, code: codeOf(user.secret) });
      expect(dead.status).toBe(401);
      expect(dead.body.code).toBe('TOKEN_INVALID');
      // Five failures of the account: the next wrong password makes it wait.
      const slowed = await login(user.email, 'not the password');
      expect(slowed.status).toBe(401);
      const waiting = await login(user.email, 'not the password');
      expect(waiting.status).toBe(429);
    });

    it('takes a recovery code once, in any case and spacing', async () => {
      const user = await enrolled();
      const [code] = user.recoveryCodes;
      const first = (await login(user.email)).body.mfaToken as string;
      const verified = await verify({
        mfaToken: first,
        recoveryCode: code.toUpperCase().replace(/-/g, ' '),
      }).expect(200);
      expect(claims(verified.body.accessToken)).toMatchObject({ acr: 'aal2' });
      await app
        .http()
        .get('/auth/mfa')
        .set(...bearer(verified.body.accessToken))
        .expect(200, { totp: true, passkeys: 0, recoveryCodesLeft: 9 });

      const second = (await login(user.email)).body.mfaToken as string;
      const reused = await verify({ mfaToken: second, recoveryCode: code });
      expect(reused.body.code).toBe('INVALID_MFA_CODE');
    });

    it('refuses a body with both a code and a recovery code, or neither, with 400', async () => {
      const user = await enrolled();
      const mfaToken = (await login(user.email)).body.mfaToken as string;

      for (const body of [{ mfaToken }, { mfaToken, code: '123456', recoveryCode: 'abcd' }]) {
        const refused = await verify(body);
        expect(refused.status).toBe(400);
        expect(refused.body.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('remembered devices', () => {
    async function remembered(user: EnrolledUser): Promise<string> {
      const verified = await signInWithCode(app, user, { rememberDevice: true });
      expect(verified.body.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      return verified.body.deviceToken as string;
    }

    it('skips the second factor with its deviceToken (amr mfa, acr aal2) at every login of its lifetime, and ignores another user’s', async () => {
      const user = await enrolled();
      const other = await enrolled();
      const deviceToken = await remembered(user);

      // Trusted for its whole lifetime, not one login: again and again, until its last minute.
      for (const later of [0, 0, 2_592_000_000 - 60_000]) {
        app.clock.advance(later);
        const skipped = await app
          .http()
          .post('/auth/login')
          .send({ email: user.email, password: PASSWORD, deviceToken })
          .expect(200);
        expect(claims(skipped.body.accessToken)).toMatchObject({
          amr: ['pwd', 'mfa'],
          acr: 'aal2',
        });
      }

      const foreign = await app
        .http()
        .post('/auth/login')
        .send({ email: other.email, password: PASSWORD, deviceToken })
        .expect(200);
      expect(foreign.body.mfaRequired).toBe(true);
      const wrongPassword = await app
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: 'not the password', deviceToken });
      expect(wrongPassword.status).toBe(401);
    });

    it('is forgotten after MFA_REMEMBER_DEVICE, a password change and logout?scope=global', async () => {
      const user = await enrolled();
      const loginWith = (deviceToken: string) =>
        app.http().post('/auth/login').send({ email: user.email, password: PASSWORD, deviceToken });

      const expiring = await remembered(user);
      app.clock.advance(2_592_001_000);
      expect((await loginWith(expiring).expect(200)).body.mfaRequired).toBe(true);

      const beforeChange = await remembered(user);
      const session = (await loginWith(beforeChange).expect(200)).body.accessToken as string;
      await app
        .http()
        .post('/auth/password')
        .set(...bearer(session))
        .send({ currentPassword: PASSWORD, newPassword: `${PASSWORD} again` })
        .expect(204);
      const afterChange = await app
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: `${PASSWORD} again`, deviceToken: beforeChange })
        .expect(200);
      expect(afterChange.body.mfaRequired).toBe(true);

      const verified = await signInWithCode(
        app,
        { ...user, password: `${PASSWORD} again` },
        { rememberDevice: true },
      );
      await app
        .http()
        .post('/auth/logout?scope=global')
        .set(...bearer(verified.body.accessToken))
        .expect(204);
      const afterLogout = await app
        .http()
        .post('/auth/login')
        .send({
          email: user.email,
          password: `${PASSWORD} again`,
          deviceToken: verified.body.deviceToken,
        })
        .expect(200);
      expect(afterLogout.body.mfaRequired).toBe(true);
    });
  });

  describe('re-authentication and removal', () => {
    it("re-authenticates with a code (aal2), then removes the factor: the user's other sockets close, login needs the password only again", async () => {
      const user = await enrolled();
      const elsewhere = (await signInWithCode(app, user)).body.accessToken as string;
      const reauthenticated = await app
        .http()
        .post('/auth/reauthenticate')
        .set(...bearer(user.accessToken))
        .send({ code: codeOf(user.secret) })
        .expect(200);
      expect(claims(reauthenticated.body.accessToken)).toMatchObject({
        amr: ['otp', 'mfa'],
        acr: 'aal2',
      });

      const baseUrl = await listen(app.app);
      const own = await connected(socketClient(baseUrl, reauthenticated.body.accessToken));
      const other = await connected(socketClient(baseUrl, elsewhere));
      try {
        await app
          .http()
          .delete('/auth/mfa/totp')
          .set(...bearer(reauthenticated.body.accessToken))
          .expect(204);

        // Removing a factor revokes every other session at once: their sockets close; this one's stays.
        expect(await disconnected(other)).toBe('io server disconnect');
        expect(await ask(own, 'whoami')).toMatchObject({ id: user.id });
      } finally {
        own.disconnect();
        other.disconnect();
      }
      const plain = await login(user.email).expect(200);
      expect(plain.body.accessToken).toEqual(expect.any(String));
    });

    it('renews the recovery codes: the old ones are void', async () => {
      const user = await enrolled();
      const renewed = await app
        .http()
        .post('/auth/mfa/recovery-codes')
        .set(...bearer(user.accessToken))
        .expect(200);
      expect(renewed.body.recoveryCodes).toHaveLength(10);

      const mfaToken = (await login(user.email)).body.mfaToken as string;
      const old = await verify({ mfaToken, recoveryCode: user.recoveryCodes[0] });
      expect(old.body.code).toBe('INVALID_MFA_CODE');
      await verify({ mfaToken, recoveryCode: renewed.body.recoveryCodes[0] }).expect(200);
    });

    it("lets an admin remove a user's factors, revoking the user's sessions and closing their sockets", async () => {
      const user = await enrolled();
      const socket = await connected(socketClient(await listen(app.app), user.accessToken));
      const adminUser = await registerAndLogin(app, uniqueEmail('admin'));
      const adminId = claims(adminUser.accessToken).sub as string;
      await app.app.get(AuthService).setRoles(adminId, ['user', 'admin']);
      const admin = (await login(adminUser.email).expect(200)).body.accessToken as string;
      const userId = claims(user.accessToken).sub as string;

      await app
        .http()
        .delete(`/auth/admin/users/${userId}/mfa`)
        .set(...bearer(admin))
        .expect(204);
      expect(await disconnected(socket)).toBe('io server disconnect');

      expectInvalidToken(
        await app
          .http()
          .get('/protected')
          .set(...bearer(user.accessToken)),
      );
      expect((await login(user.email).expect(200)).body.accessToken).toEqual(expect.any(String));
      await app
        .http()
        .delete(`/auth/admin/users/${userId}/mfa`)
        .set(...bearer(user.accessToken))
        .expect(401);
    });
  });

  describe("docs/mfa.md's client code, run against the server", () => {
    /** The client functions of docs/mfa.md, as its compiled blocks declare them. */
    interface GuideClient {
      enrolTotp(
        accessToken: string,
        askCode: (otpauthUrl: string, secret: string) => Promise<string>,
      ): Promise<string[]>;
      logIn(
        email: string,
        password: string,
        askCode: () => Promise<string>,
        deviceToken?: string,
      ): Promise<{ accessToken: string; deviceToken?: string }>;
      getWithStepUp(
        path: string,
        accessToken: string,
        askProof: (secondFactor: boolean) => Promise<{ password: string } | { code: string }>,
      ): Promise<{ response: globalThis.Response; accessToken: string }>;
      renewRecoveryCodes(accessToken: string): Promise<string[]>;
    }

    /** The guide's blocks that export a function, run as written, with `fetch` reaching this app. */
    async function guideClient(): Promise<GuideClient> {
      const guide = readFileSync(join(__dirname, '..', 'docs', 'mfa.md'), 'utf8');
      const baseUrl = await listen(app.app);
      const fetchHere = (path: string, init?: RequestInit) => fetch(`${baseUrl}${path}`, init);
      const exported = {} as GuideClient;
      for (const [, code] of guide.matchAll(/<!-- compiled -->\s*```ts\n([\s\S]*?)```/g)) {
        if (!code.includes('export async function')) continue;
        const { outputText } = ts.transpileModule(code, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        });
        // The block in a scope of its own: its exports, and a `fetch` for its relative paths.
        const block = runInThisContext(`(function (exports, fetch) {\n${outputText}\n})`) as (
          exports: GuideClient,
          fetch: typeof fetchHere,
        ) => void;
        block(exported, fetchHere);
      }
      return exported;
    }

    it('enrols, logs in with a wrong then a right code and a remembered device, steps up, renews the codes', async () => {
      const client = await guideClient();
      const user = await registerAndLogin(app);
      let secret = '';
      const recoveryCodes = await client.enrolTotp(user.accessToken, (url, key) => {
        expect(url).toMatch(/^otpauth:\/\/totp\//);
        secret = key;
        return Promise.resolve(codeOf(secret));
      });
      expect(recoveryCodes).toHaveLength(10);
      nextStep();

      // A wrong code is asked again with the same challenge; the right one opens an aal2 session.
      const typed = [codeOf(secret, 5), codeOf(secret)];
      const pair = await client.logIn(user.email, PASSWORD, () =>
        Promise.resolve(typed.shift() ?? ''),
      );
      expect(typed).toEqual([]);
      expect(claims(pair.accessToken)).toMatchObject({ acr: 'aal2' });
      nextStep();
      const remembered = await client.logIn(
        user.email,
        PASSWORD,
        () => Promise.reject(new Error('asked for a code on a remembered device')),
        pair.deviceToken,
      );
      expect(claims(remembered.accessToken)).toMatchObject({ amr: ['pwd', 'mfa'] });

      app.clock.advance(301_000);
      const asked: boolean[] = [];
      const stepped = await client.getWithStepUp(
        '/protected/recent',
        remembered.accessToken,
        (secondFactor) => {
          asked.push(secondFactor);
          return Promise.resolve({ password: PASSWORD });
        },
      );
      expect(asked).toEqual([false]);
      expect(stepped.response.status).toBe(200);
      expect(await client.renewRecoveryCodes(stepped.accessToken)).toHaveLength(10);
    });
  });

  describe('the OpenAPI document of every route of the feature (GET /docs-json)', () => {
    interface Operation {
      summary?: string;
      security?: Record<string, string[]>[];
      requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
      responses?: Record<
        string,
        { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }
      >;
    }
    interface Schema {
      properties?: Record<string, unknown>;
      required?: string[];
    }
    interface Document {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    }
    let document: Document;
    beforeAll(async () => {
      document = (await app.http().get('/docs-json').expect(200)).body as Document;
    });

    /** Each route: bearer or public, its body's required and optional fields, its success, its refusals' codes. */
    const ROUTES: {
      route: string;
      guarded: boolean;
      body?: { required: string[]; optional: string[] };
      success: '200' | '204';
      refusals: Record<string, string[]>;
    }[] = [
      {
        route: 'GET /auth/mfa',
        guarded: true,
        success: '200',
        refusals: { 401: ['TOKEN_INVALID', 'TOKEN_EXPIRED', 'TOKEN_REVOKED'] },
      },
      {
        route: 'POST /auth/mfa/totp/setup',
        guarded: true,
        success: '200',
        refusals: {
          401: ['TOKEN_INVALID', 'INSUFFICIENT_USER_AUTHENTICATION'],
          409: ['MFA_ALREADY_ENABLED'],
        },
      },
      {
        route: 'POST /auth/mfa/totp/enable',
        guarded: true,
        body: { required: ['code'], optional: [] },
        success: '200',
        refusals: {
          400: ['INVALID_MFA_CODE', 'VALIDATION_FAILED'],
          401: ['TOKEN_INVALID'],
          409: ['MFA_NOT_ENABLED'],
        },
      },
      {
        route: 'DELETE /auth/mfa/totp',
        guarded: true,
        success: '204',
        refusals: { 401: ['INSUFFICIENT_USER_AUTHENTICATION'], 409: ['MFA_NOT_ENABLED'] },
      },
      {
        route: 'POST /auth/mfa/recovery-codes',
        guarded: true,
        success: '200',
        refusals: { 401: ['INSUFFICIENT_USER_AUTHENTICATION'], 409: ['MFA_NOT_ENABLED'] },
      },
      {
        route: 'POST /auth/mfa/verify',
        guarded: false,
        body: {
          required: ['mfaToken'],
          optional: ['code', 'recoveryCode', 'passkey', 'rememberDevice'],
        },
        success: '200',
        refusals: {
          400: ['VALIDATION_FAILED'],
          401: ['INVALID_MFA_CODE', 'TOKEN_INVALID', 'TOKEN_EXPIRED'],
          403: ['ACCOUNT_DISABLED'],
          429: ['RATE_LIMITED'],
        },
      },
      {
        route: 'POST /auth/reauthenticate',
        guarded: true,
        body: { required: [], optional: ['password', 'code', 'passkey'] },
        success: '200',
        refusals: {
          400: ['VALIDATION_FAILED'],
          401: ['INVALID_CREDENTIALS', 'INVALID_MFA_CODE'],
          409: ['MFA_NOT_ENABLED'],
          429: ['RATE_LIMITED'],
        },
      },
      {
        route: 'DELETE /auth/admin/users/{id}/mfa',
        guarded: true,
        success: '204',
        refusals: {
          401: ['TOKEN_INVALID', 'INSUFFICIENT_USER_AUTHENTICATION'],
          403: ['INSUFFICIENT_ROLE'],
          404: ['USER_NOT_FOUND'],
        },
      },
    ];
    const operationOf = (route: string): Operation | undefined => {
      const [method, path] = route.split(' ');
      return document.paths[path]?.[method.toLowerCase()];
    };
    const schemaOf = (ref: string | undefined) =>
      ref === undefined ? undefined : document.components.schemas[ref.split('/').pop() ?? ''];

    it('lists these routes, and no other of the feature', () => {
      const documented = Object.entries(document.paths).flatMap(([path, item]) =>
        /^\/auth\/(mfa\b|reauthenticate|.*\/mfa$)/.test(path)
          ? Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)
          : [],
      );
      expect(documented.sort()).toEqual(ROUTES.map(({ route }) => route).sort());
    });

    it.each(ROUTES)(
      '$route: a summary, its body, its answers with their codes, its security',
      ({ route, guarded, body, success, refusals }) => {
        const operation = operationOf(route);
        expect(operation?.summary).toEqual(expect.stringMatching(/\w{3}/));

        const bodySchema = schemaOf(
          operation?.requestBody?.content?.['application/json']?.schema?.$ref,
        );
        if (body === undefined) {
          expect(operation?.requestBody).toBeUndefined();
        } else {
          expect(Object.keys(bodySchema?.properties ?? {}).sort()).toEqual(
            [...body.required, ...body.optional].sort(),
          );
          expect([...(bodySchema?.required ?? [])].sort()).toEqual([...body.required].sort());
        }

        const answers = operation?.responses ?? {};
        if (success === '200') {
          expect(answers['200']?.content?.['application/json']?.schema?.$ref).toEqual(
            expect.any(String),
          );
        } else {
          expect(answers['204']).toBeDefined();
        }
        for (const [status, codes] of Object.entries(refusals)) {
          const refusal = answers[status];
          expect({ status, schema: refusal?.content?.['application/json']?.schema?.$ref }).toEqual({
            status,
            schema: '#/components/schemas/ErrorResponse',
          });
          for (const code of codes) {
            expect({ status, code, named: refusal?.description?.includes(`\`${code}\``) }).toEqual({
              status,
              code,
              named: true,
            });
          }
        }

        expect(operation?.security).toEqual(guarded ? [{ bearer: [] }] : undefined);
      },
    );
  });
});

describe('MFA_REQUIRED_ROLES', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ MFA_REQUIRED_ROLES: 'admin' });
  });
  afterAll(() => app.close());

  it('serves an admin route to an admin only with an aal2 session', async () => {
    const user = await registerAndLogin(app, uniqueEmail('role'));
    const id = decodeJwt(user.accessToken).payload.sub as string;
    await app.app.get(AuthService).setRoles(id, ['user', 'admin']);
    const login = () =>
      app.http().post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    const aal1 = (await login()).body.accessToken as string;

    const refused = await app
      .http()
      .get('/admin')
      .set(...bearer(aal1));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('INSUFFICIENT_USER_AUTHENTICATION');
    expect(refused.headers['www-authenticate']).toContain('acr_values="aal2"');
    expect(
      (
        await app
          .http()
          .get('/auth/admin/users')
          .set(...bearer(aal1))
      ).status,
    ).toBe(401);

    const enrolled = await enrolledUser(app, { ...user, accessToken: aal1 });
    const aal2 = (await signInWithCode(app, enrolled)).body.accessToken as string;

    await app
      .http()
      .get('/admin')
      .set(...bearer(aal2))
      .expect(200);
    await app
      .http()
      .get('/auth/admin/users')
      .set(...bearer(aal2))
      .expect(200);
  });
});

/** The mails' SMTP sink and the device cookie: one app mailing, in cookie transport. */
describe('with mail, in cookie transport (AUTH_REFRESH_TRANSPORT=cookie)', () => {
  const app = mailTestApp({ EMAIL_VERIFICATION: 'off', AUTH_REFRESH_TRANSPORT: 'cookie' });
  const { sink } = app;
  const NEW_PASSWORD = 'a brand new passphrase';

  /** Asks for a reset link for `email`: the token of the next mail to it that holds one. */
  async function resetTokenOf(email: string): Promise<string> {
    const seen = sink.to(email).length;
    await app.http().post('/auth/password/forgot').send({ email }).expect(202);
    for (let count = seen + 1; ; count += 1) {
      const mail = await sink.waitFor(email, count);
      if (mail.raw.includes('reset-password')) return tokenOf(mail, 'reset-password');
    }
  }

  it('mails a notice at enrolment; a reset needs the code too (400 MFA_REQUIRED, the link still usable), and takes it', async () => {
    const user = await enrolledUser(app, await registerAndLogin(app, uniqueEmail('reset')));
    // Enrolling mailed a notice (no link) through the account-mail feature.
    const notice = await sink.waitFor(user.email, 1);
    expect(notice.raw).toContain('A second factor was added to your account');
    expect(notice.raw).not.toMatch(/token=/);
    const token = await resetTokenOf(user.email);
    const reset = (extra: object) =>
      app
        .http()
        .post('/auth/password/reset')
        .send({ token, newPassword: NEW_PASSWORD, ...extra });

    const bare = await reset({});
    expect(bare.status).toBe(400);
    expect(bare.body.code).toBe('MFA_REQUIRED');
    const wrong = await reset({ code: totpAt(base32Decode(user.secret), 1) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('INVALID_MFA_CODE');

    await reset({ code: codeAt(app, user.secret) }).expect(204);
    const login = await app
      .http()
      .post('/auth/login')
      .send({ email: user.email, password: NEW_PASSWORD })
      .expect(200);
    expect(login.body.mfaRequired).toBe(true);
  });

  const DEVICE_COOKIE =
    /^device_token=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/auth; Max-Age=2592000$/;
  const CLEARED_DEVICE_COOKIE = 'device_token=; HttpOnly; SameSite=Strict; Path=/auth; Max-Age=0';
  /** The device cookies a response sets, attributes included. */
  const deviceCookiesOf = (response: Response) =>
    setCookies(response).filter((cookie) => cookie.startsWith('device_token='));
  /** Meets a login's challenge with `rememberDevice`: the verify's answer and its device cookie as sent back. */
  async function rememberedDevice(user: EnrolledUser, password = PASSWORD) {
    const verified = await signInWithCode(app, { ...user, password }, { rememberDevice: true });
    const [setCookie] = deviceCookiesOf(verified);
    return { verified, setCookie, cookie: sentBack(setCookie) };
  }
  const loginWithCookie = (email: string, cookie: string, password = PASSWORD) =>
    app.http().post('/auth/login').set('Cookie', cookie).send({ email, password }).expect(200);

  it('remembers a device in an HttpOnly cookie (not the body) scoped as the refresh cookie, which login reads', async () => {
    const user = await enrolledUser(app);
    const other = await enrolledUser(app);

    const { verified, setCookie, cookie } = await rememberedDevice(user);

    expect(setCookie).toMatch(DEVICE_COOKIE);
    expect(verified.body.deviceToken).toBeUndefined();
    expect(verified.body.refreshToken).toBeUndefined();
    // Both cookies of the answer, each scoped to the module's routes (not to /auth/mfa): the refresh cookie
    // reaches /auth/refresh, the device cookie /auth/login.
    expect(refreshCookieOf(verified)).toMatch(/; Path=\/auth; /);
    await app
      .http()
      .post('/auth/refresh')
      .set('Cookie', sentBack(refreshCookieOf(verified)))
      .set('X-Requested-With', '1')
      .expect(200);
    for (let login = 0; login < 2; login += 1) {
      const skipped = await loginWithCookie(user.email, cookie);
      expect(claims(skipped.body.accessToken)).toMatchObject({ amr: ['pwd', 'mfa'], acr: 'aal2' });
    }
    expect((await loginWithCookie(other.email, cookie)).body.mfaRequired).toBe(true);
    expect((await loginWithCookie(user.email, 'device_token=unknown')).body.mfaRequired).toBe(true);
  });

  it('clears the device cookie where the device is forgotten: password change, global logout, reset, factor removal', async () => {
    const user = await enrolledUser(app);
    /** A session opened by a code with `rememberDevice`: its access token and the device cookie. */
    const withDevice = async (password: string) => {
      const { verified, cookie } = await rememberedDevice(user, password);
      return { cookie, accessToken: verified.body.accessToken as string };
    };
    /** `request` from the browser of `device`: its access token and its device cookie. */
    const from = (device: { cookie: string; accessToken: string }, request: Test) =>
      request.set(...bearer(device.accessToken)).set('Cookie', device.cookie);
    /** The answer cleared the device cookie, and the server forgot the device: its login asks for a code. */
    async function expectForgotten(answer: Response, cookie: string, password: string) {
      expect(deviceCookiesOf(answer)).toEqual([CLEARED_DEVICE_COOKIE]);
      expect((await loginWithCookie(user.email, cookie, password)).body.mfaRequired).toBe(true);
    }

    // A password change.
    const changing = await withDevice(PASSWORD);
    const changed = await from(changing, app.http().post('/auth/password'))
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
      .expect(204);
    await expectForgotten(changed, changing.cookie, NEW_PASSWORD);

    // A global logout.
    const leaving = await withDevice(NEW_PASSWORD);
    const loggedOut = await from(leaving, app.http().post('/auth/logout?scope=global')).expect(204);
    await expectForgotten(loggedOut, leaving.cookie, NEW_PASSWORD);

    // A password reset by a mailed link, from the browser that holds the cookie.
    const resetting = await withDevice(NEW_PASSWORD);
    const token = await resetTokenOf(user.email);
    const reset = await app
      .http()
      .post('/auth/password/reset')
      .set('Cookie', resetting.cookie)
      .send({ token, newPassword: PASSWORD, code: codeAt(app, user.secret) })
      .expect(204);
    app.clock.advance(30_000);
    await expectForgotten(reset, resetting.cookie, PASSWORD);

    // The factor's removal (a recent authentication: the session the code just opened).
    const removing = await withDevice(PASSWORD);
    const removed = await from(removing, app.http().delete('/auth/mfa/totp')).expect(204);
    expect(deviceCookiesOf(removed)).toEqual([CLEARED_DEVICE_COOKIE]);

    // A request without the cookie gets no Set-Cookie for it.
    const bare = await app
      .http()
      .post('/auth/password')
      .set(...bearer(removing.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
      .expect(204);
    expect(deviceCookiesOf(bare)).toEqual([]);
  });
});

/** Only where instances share a database: PostgreSQL (SQLite is not shared). Needs `npm run build`. */
const describeOnPostgres = E2E_DATABASE === 'postgres' ? describe : describe.skip;

describeOnPostgres('two instances sharing PostgreSQL', () => {
  const instances = instancesForSuite();

  it('refuses on one instance a code the other accepted (the step used is in the database); a device remembered on one is remembered on the other', async () => {
    const { a, b } = instances();
    const user = await signUp(a);
    const auth = ['Authorization', `Bearer ${user.accessToken}`] as const;
    const { secret } = (
      await request(a.url)
        .post('/auth/mfa/totp/setup')
        .set(...auth)
        .expect(200)
    ).body as { secret: string };
    /** The code of `offset` steps from now, on the real clock of the spawned servers. */
    const codeNow = (offset = 0) =>
      totpAt(base32Decode(secret), totpStep(Math.floor(Date.now() / 1000)) + offset);
    // Enabled with the code of the step before (one step of drift): the current step's code is still unused.
    await request(a.url)
      .post('/auth/mfa/totp/enable')
      .set(...auth)
      .send({ code: codeNow(-1) })
      .expect(200);

    const login = (url: string, deviceToken?: string) =>
      request(url)
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD, deviceToken })
        .expect(200);
    const onA = (await login(a.url)).body.mfaToken as string;
    const onB = (await login(b.url)).body.mfaToken as string;
    const code = codeNow();

    const verified = await request(a.url)
      .post('/auth/mfa/verify')
      .send({ mfaToken: onA, code, rememberDevice: true })
      .expect(200);
    const replay = await request(b.url).post('/auth/mfa/verify').send({ mfaToken: onB, code });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('INVALID_MFA_CODE');

    // Remembered on A, trusted on B, at every login.
    for (const url of [b.url, b.url, a.url]) {
      const skipped = await login(url, verified.body.deviceToken as string);
      expect(claims(skipped.body.accessToken)).toMatchObject({ amr: ['pwd', 'mfa'], acr: 'aal2' });
    }
  }, 90_000);
});
