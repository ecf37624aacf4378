import request from 'supertest';
import { AuthEvents, type AuthEvent, AuthService } from '../src/auth';
import { instancesForSuite, signUp } from './support/instances';
import { decodeJwt } from './support/jwt-forge';
import { mailTestApp } from './support/mail-env';
import { tokenOf } from './support/smtp-sink';
import {
  type CreationOptions,
  type RequestOptions,
  SoftwareAuthenticator,
} from './support/software-authenticator';
import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
} from './support/test-app';
import { E2E_DATABASE } from './support/test-database';

type Options = CreationOptions & RequestOptions & { [key: string]: unknown };

/**
 * CONTRACT 4.16 on the reference server over HTTP, with a software authenticator made in the test (ES256 keys,
 * `none` attestation): registration, management, passwordless login, a passkey as second factor and for
 * re-authentication, and every refusal (replay, wrong origin, wrong RP ID, counter going backwards, another user's
 * credential, expired challenge, disabled or deleted user). The ManualClock moves time: nothing sleeps.
 */
describe('passkeys', () => {
  let app: TestApp;
  let origin: string;
  const events: AuthEvent[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    origin = app.config.passkeys.origins[0];
    const authEvents = app.app.get(AuthEvents);
    authEvents.on('passkey.clone_suspected', (event) => void events.push(event));
    authEvents.on('mfa.removed', (event) => void events.push(event));
  });
  afterAll(() => app.close());

  const claims = (token: string) => decodeJwt(token).payload;
  const post = (path: string, body: object = {}, token?: string) => {
    const call = app.http().post(path).send(body);
    return token === undefined ? call : call.set(...bearer(token));
  };
  const loginOptions = async (body: object = {}) =>
    (await post('/auth/passkeys/login/options', body).expect(200)).body as Options;

  /** A fresh user holding one passkey of `authenticator` (a new one unless given). */
  async function enrolled(authenticator = new SoftwareAuthenticator(origin)) {
    const user = await registerAndLogin(app);
    const options = (
      await post('/auth/passkeys/register/options', {}, user.accessToken).expect(200)
    ).body as Options;
    const created = await post(
      '/auth/passkeys/register',
      { response: authenticator.create(options), name: 'Laptop' },
      user.accessToken,
    ).expect(201);
    return { user, authenticator, passkey: created.body as { id: string; name: string } };
  }

  describe('registration', () => {
    it('offers a discoverable credential for the RP, excludes what the user holds, and stores what one recognises', async () => {
      const { user, authenticator, passkey } = await enrolled();
      expect(passkey).toEqual({
        id: expect.any(String),
        name: 'Laptop',
        createdAt: new Date(app.clock.now()).toISOString(),
        lastUsedAt: null,
        backedUp: false,
        deviceType: 'singleDevice',
      });

      const options = (await post('/auth/passkeys/register/options', {}, user.accessToken))
        .body as Options & {
        authenticatorSelection: object;
        excludeCredentials: { id: string }[];
      };
      expect(options.rp.id).toBe(app.config.passkeys.rpId);
      expect(Buffer.from(options.challenge, 'base64url').length).toBeGreaterThanOrEqual(16);
      expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required' });
      expect(options.excludeCredentials.map(({ id }) => id)).toEqual([
        authenticator.credentials[0].id.toString('base64url'),
      ]);
      const status = await app
        .http()
        .get('/auth/mfa')
        .set(...bearer(user.accessToken));
      expect(status.body).toMatchObject({ totp: false, passkeys: 1 });
    });

    it('refuses a wrong origin, another RP ID, a spent or unknown challenge (400), and a stale session', async () => {
      const user = await registerAndLogin(app);
      const authenticator = new SoftwareAuthenticator(origin);
      const attempt = async (overrides: object) => {
        const options = (await post('/auth/passkeys/register/options', {}, user.accessToken)).body;
        const response = authenticator.create(options as Options, overrides);
        return post('/auth/passkeys/register', { response }, user.accessToken);
      };
      for (const overrides of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }]) {
        const refused = await attempt(overrides);
        expect(refused.status).toBe(400);
        expect(refused.body.code).toBe('PASSKEY_REGISTRATION_FAILED');
      }
      // A challenge answered once, even wrongly, is spent: a good answer to it comes too late.
      const options = (await post('/auth/passkeys/register/options', {}, user.accessToken)).body;
      const wrong = authenticator.create(options as Options, { origin: 'https://evil.example' });
      await post('/auth/passkeys/register', { response: wrong }, user.accessToken).expect(400);
      const response = authenticator.create(options as Options);
      const spent = await post('/auth/passkeys/register', { response }, user.accessToken);
      expect([spent.status, spent.body.code]).toEqual([400, 'PASSKEY_REGISTRATION_FAILED']);
      const unknown = authenticator.create({ ...(options as Options), challenge: 'A'.repeat(43) });
      await post('/auth/passkeys/register', { response: unknown }, user.accessToken).expect(400);

      app.clock.advance(301_000);
      const stale = await post('/auth/passkeys/register/options', {}, user.accessToken);
      expect(stale.status).toBe(401);
      expect(stale.body.code).toBe('INSUFFICIENT_USER_AUTHENTICATION');
    });
  });

  describe('management', () => {
    it("lists, renames and deletes one's own passkeys; another user's is 404; deleting is a removed factor", async () => {
      const { user, passkey } = await enrolled();
      const other = await registerAndLogin(app);
      const second = await post('/auth/login', { email: user.email, password: PASSWORD });
      expect(second.body.mfaRequired).toBe(true);

      const list = await app
        .http()
        .get('/auth/passkeys')
        .set(...bearer(user.accessToken));
      expect(list.body).toEqual([expect.objectContaining({ id: passkey.id, name: 'Laptop' })]);
      const renamed = await app
        .http()
        .patch(`/auth/passkeys/${passkey.id}`)
        .set(...bearer(user.accessToken))
        .send({ name: 'Phone' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Phone');
      await app
        .http()
        .patch(`/auth/passkeys/${passkey.id}`)
        .set(...bearer(other.accessToken))
        .send({ name: 'Mine' })
        .expect(404);
      const foreign = await app
        .http()
        .delete(`/auth/passkeys/${passkey.id}`)
        .set(...bearer(other.accessToken));
      expect([foreign.status, foreign.body.code]).toEqual([404, 'PASSKEY_NOT_FOUND']);

      await app
        .http()
        .delete(`/auth/passkeys/${passkey.id}`)
        .set(...bearer(user.accessToken))
        .expect(204);
      expect(events).toContainEqual({
        type: 'mfa.removed',
        userId: claims(user.accessToken).sub,
        method: 'passkey',
        by: 'user',
      });
      const status = await app
        .http()
        .get('/auth/mfa')
        .set(...bearer(user.accessToken));
      expect(status.body.passkeys).toBe(0);
      // A password alone opens a session again.
      const login = await post('/auth/login', { email: user.email, password: PASSWORD });
      expect(login.body.accessToken).toEqual(expect.any(String));
    });
    it("goes with the user's factors when an admin removes them (told as removed by an admin)", async () => {
      const { user, authenticator } = await enrolled();
      const admin = await registerAndLogin(app);
      await app.app.get(AuthService).setRoles(claims(admin.accessToken).sub as string, ['admin']);
      const adminLogin = await post('/auth/login', { email: admin.email, password: PASSWORD });
      const userId = claims(user.accessToken).sub as string;
      await app
        .http()
        .delete(`/auth/admin/users/${userId}/mfa`)
        .set(...bearer(adminLogin.body.accessToken as string))
        .expect(204);
      expect(events).toContainEqual({
        type: 'mfa.removed',
        userId,
        method: 'passkey',
        by: 'admin',
      });
      await post('/auth/passkeys/login', {
        response: authenticator.get(await loginOptions()),
      }).expect(401);
    });
  });

  describe('passwordless login', () => {
    it('signs in with a discoverable credential: amr and acr follow the user-verification flag', async () => {
      const { user, authenticator } = await enrolled(
        new SoftwareAuthenticator(origin, { synced: true }),
      );
      const options = await loginOptions();
      expect(options).toMatchObject({
        rpId: app.config.passkeys.rpId,
        userVerification: 'preferred',
      });
      expect(options.allowCredentials ?? []).toEqual([]);

      const verified = await post('/auth/passkeys/login', { response: authenticator.get(options) });
      expect(verified.status).toBe(200);
      expect(claims(verified.body.accessToken)).toMatchObject({
        sub: claims(user.accessToken).sub,
        amr: ['swk', 'user'],
        acr: 'aal2',
      });

      const presenceOnly = await post('/auth/passkeys/login', {
        response: authenticator.get(await loginOptions(), { userVerified: false }),
      });
      expect(claims(presenceOnly.body.accessToken)).toMatchObject({ amr: ['swk'], acr: 'aal1' });
      const list = await app
        .http()
        .get('/auth/passkeys')
        .set(...bearer(user.accessToken));
      expect(list.body[0]).toMatchObject({ backedUp: true, deviceType: 'multiDevice' });
      expect(list.body[0].lastUsedAt).toEqual(expect.any(String));
    });

    it('refuses (401) a replayed assertion, a wrong origin or RP ID, an unknown credential and an expired challenge', async () => {
      const { authenticator } = await enrolled();
      const refused = async (response: object) => {
        const answer = await post('/auth/passkeys/login', { response });
        expect([answer.status, answer.body.code]).toEqual([401, 'PASSKEY_AUTHENTICATION_FAILED']);
      };
      // Counter 0 (an authenticator that keeps none): only the spent challenge refuses the replay.
      const response = authenticator.get(await loginOptions(), { counter: 0 });
      await post('/auth/passkeys/login', { response }).expect(200);
      await refused(response);
      await refused(authenticator.get(await loginOptions(), { origin: 'https://evil.example' }));
      await refused(authenticator.get(await loginOptions(), { rpId: 'evil.example' }));
      await refused(
        new SoftwareAuthenticator(origin).get(await loginOptions(), {
          credential: { ...authenticator.credentials[0], id: Buffer.alloc(16, 7) },
        }),
      );
      const options = await loginOptions();
      app.clock.advance(300_000);
      await refused(authenticator.get(options));
    });

    it('refuses a signature counter that went backwards and tells "clone suspected"', async () => {
      const { user, authenticator } = await enrolled();
      await post('/auth/passkeys/login', {
        response: authenticator.get(await loginOptions(), { counter: 5 }),
      }).expect(200);
      const cloned = await post('/auth/passkeys/login', {
        response: authenticator.get(await loginOptions(), { counter: 5 }),
      });
      expect(cloned.status).toBe(401);
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'passkey.clone_suspected',
          userId: claims(user.accessToken).sub,
        }),
      );
      await post('/auth/passkeys/login', {
        response: authenticator.get(await loginOptions(), { counter: 6 }),
      }).expect(200);
    });

    it("answers a disabled user's valid passkey 403 ACCOUNT_DISABLED; a deleted user's passkey is unknown", async () => {
      const { user, authenticator } = await enrolled();
      const id = claims(user.accessToken).sub as string;
      await app.app.get(AuthService).setDisabled(id, true);
      const disabled = await post('/auth/passkeys/login', {
        response: authenticator.get(await loginOptions()),
      });
      expect([disabled.status, disabled.body.code]).toEqual([403, 'ACCOUNT_DISABLED']);
      await app.app.get(AuthService).deleteUser(id);
      await post('/auth/passkeys/login', {
        response: authenticator.get(await loginOptions()),
      }).expect(401);
    });
  });

  describe('second factor and re-authentication', () => {
    async function challenged(): Promise<{
      user: LoggedIn;
      authenticator: SoftwareAuthenticator;
      mfaToken: string;
    }> {
      const { user, authenticator } = await enrolled();
      const login = await post('/auth/login', { email: user.email, password: PASSWORD }).expect(
        200,
      );
      expect(login.body).toEqual({
        mfaRequired: true,
        mfaToken: expect.any(String),
        methods: ['passkey'],
      });
      return { user, authenticator, mfaToken: login.body.mfaToken as string };
    }

    it("meets the login's challenge with a passkey of that user only, options limited to their credentials", async () => {
      const { authenticator, mfaToken } = await challenged();
      const stranger = await enrolled();
      const options = await loginOptions({ mfaToken });
      expect(options.allowCredentials?.map(({ id }) => id)).toEqual([
        authenticator.credentials[0].id.toString('base64url'),
      ]);
      const foreign = await post('/auth/mfa/verify', {
        mfaToken,
        passkey: stranger.authenticator.get(await loginOptions()),
      });
      expect([foreign.status, foreign.body.code]).toEqual([401, 'INVALID_MFA_CODE']);

      const verified = await post('/auth/mfa/verify', {
        mfaToken,
        passkey: authenticator.get(await loginOptions({ mfaToken })),
      }).expect(200);
      expect(claims(verified.body.accessToken)).toMatchObject({
        amr: ['pwd', 'hwk', 'user', 'mfa'],
        acr: 'aal2',
      });
      // Spent by the success.
      await post('/auth/passkeys/login/options', { mfaToken }).expect(401);
    });

    it("re-authenticates a session with a passkey: fresh auth_time, aal2; another user's passkey is 401", async () => {
      const { authenticator, mfaToken } = await challenged();
      const session = await post('/auth/mfa/verify', {
        mfaToken,
        passkey: authenticator.get(await loginOptions({ mfaToken })),
      }).expect(200);
      const stranger = await enrolled();
      app.clock.advance(600_000);
      const foreign = await post(
        '/auth/reauthenticate',
        { passkey: stranger.authenticator.get(await loginOptions()) },
        session.body.accessToken,
      );
      expect([foreign.status, foreign.body.code]).toEqual([401, 'INVALID_MFA_CODE']);
      const fresh = await post(
        '/auth/reauthenticate',
        { passkey: authenticator.get(await loginOptions()) },
        session.body.accessToken,
      ).expect(200);
      expect(claims(fresh.body.accessToken)).toMatchObject({
        auth_time: Math.floor(app.clock.now() / 1000),
        acr: 'aal2',
      });
    });
  });
});

const describeOnPostgres = E2E_DATABASE === 'postgres' ? describe : describe.skip;

describeOnPostgres('passkeys across instances', () => {
  const instances = instancesForSuite();

  it('finishes on instance B the ceremonies instance A started (registration and login)', async () => {
    const { a, b } = instances();
    const user = await signUp(a);
    const authenticator = new SoftwareAuthenticator('http://localhost:3000');
    const auth = ['Authorization', `Bearer ${user.accessToken}`] as const;
    const creation = await request(a.url)
      .post('/auth/passkeys/register/options')
      .set(...auth);
    await request(b.url)
      .post('/auth/passkeys/register')
      .set(...auth)
      .send({ response: authenticator.create(creation.body as Options) })
      .expect(201);

    const options = await request(b.url).post('/auth/passkeys/login/options').send({}).expect(200);
    const response = authenticator.get(options.body as Options);
    await request(a.url).post('/auth/passkeys/login').send({ response }).expect(200);
    // Spent for both.
    await request(b.url).post('/auth/passkeys/login').send({ response }).expect(401);
  });
});

describe('password reset of a user whose second factor is a passkey (CONTRACT 4.15)', () => {
  const mail = mailTestApp({ EMAIL_VERIFICATION: 'off' });
  const NEW_PASSWORD = 'a passkey guards this reset';

  it("needs the passkey: 400 MFA_REQUIRED without it (the link kept), another user's refused, 204 with an assertion", async () => {
    const origin = mail.config.passkeys.origins[0];
    const http = () => mail.http();
    const enrol = async () => {
      const user = await registerAndLogin(mail);
      const authenticator = new SoftwareAuthenticator(origin);
      const options = (
        await http()
          .post('/auth/passkeys/register/options')
          .set(...bearer(user.accessToken))
          .expect(200)
      ).body as Options;
      await http()
        .post('/auth/passkeys/register')
        .set(...bearer(user.accessToken))
        .send({ response: authenticator.create(options) })
        .expect(201);
      return { user, authenticator };
    };
    const owner = await enrol();
    const stranger = await enrol();
    const assertion = async (authenticator: SoftwareAuthenticator) =>
      authenticator.get(
        (await http().post('/auth/passkeys/login/options').send({}).expect(200)).body as Options,
      );

    await http().post('/auth/password/forgot').send({ email: owner.user.email }).expect(202);
    // The second mail: the first is the notice of the passkey's enrolment.
    const token = tokenOf(await mail.sink.waitFor(owner.user.email, 2), 'reset-password');
    const reset = (extras: object) =>
      http()
        .post('/auth/password/reset')
        .send({ token, newPassword: NEW_PASSWORD, ...extras });

    const bare = await reset({});
    expect([bare.status, bare.body.code]).toEqual([400, 'MFA_REQUIRED']);
    const foreign = await reset({ passkey: await assertion(stranger.authenticator) });
    expect([foreign.status, foreign.body.code]).toEqual([400, 'INVALID_MFA_CODE']);
    await reset({ passkey: await assertion(owner.authenticator) }).expect(204);

    const login = await http()
      .post('/auth/login')
      .send({ email: owner.user.email, password: NEW_PASSWORD })
      .expect(200);
    expect(login.body.mfaRequired).toBe(true);
  });
});
