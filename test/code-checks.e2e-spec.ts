import {
  bearer,
  type LoggedIn,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  type TestApp,
} from './support/test-app';
import {
  totpCodeOf as codeOf,
  totpEnable as enable,
  totpEnrolled,
  totpSetUp as setUp,
} from './support/totp-enrolment';

/**
 * docs/security.md, "Every check of a second-factor code shares login's budget": each route that checks a TOTP code
 * of a signed-in caller (the enrolment's first code, re-authentication) counts a wrong code as a failed login of
 * the account, waits as login waits, and is limited per client as login is. The enrolment's first code had no
 * budget: an access token was an unlimited oracle for a pending factor's code.
 */
type Pending = ReturnType<ReturnType<TestApp['http']>['post']>;
/** A user at the point where the route checks a code, and how to send it one. */
type CodeCheck = {
  /** The status of a wrong code: 400 while enrolling (the code is input), else 401 (docs/errors.md). */
  wrongStatus: number;
  prepare: (app: TestApp, user: LoggedIn) => Promise<string>;
  send: (app: TestApp, user: LoggedIn, code: string) => Pending;
};

const CHECKS: [string, CodeCheck][] = [
  ['POST /auth/mfa/totp/enable', { wrongStatus: 400, prepare: setUp, send: enable }],
  [
    'POST /auth/reauthenticate',
    {
      wrongStatus: 401,
      prepare: totpEnrolled,
      send: (app, user, code) =>
        app
          .http()
          .post('/auth/reauthenticate')
          .set(...bearer(user.accessToken))
          .send({ code }),
    },
  ],
];

const WRONG = '000000';

describe("the per-account slowdown of failed logins, on every check of a signed-in caller's code", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ EMAIL_VERIFICATION: 'off' });
  });
  afterAll(() => app.close());

  it.each(CHECKS)(
    '%s: wrong codes count as failed logins; past the budget even the right code waits, and login too',
    async (_route, { wrongStatus, prepare, send }) => {
      const user = await registerAndLogin(app);
      const secret = await prepare(app, user);
      const right = codeOf(app, secret);
      const wrong = right === WRONG ? '111111' : WRONG;
      for (let failure = 0; failure < 6; failure += 1) {
        await send(app, user, wrong).expect(wrongStatus);
      }

      const waiting = await send(app, user, right);

      expect(waiting.status).toBe(429);
      expect(waiting.body).toMatchObject({ code: 'RATE_LIMITED' });
      await app
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(429);
      app.clock.advanceSeconds(1);
      expect((await send(app, user, codeOf(app, secret))).status).toBe(200);
    },
  );
});

describe("the per-client limit of login, on every check of a signed-in caller's code", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      THROTTLE_AUTH_LIMIT: '4',
      THROTTLE_AUTH_TTL: '60',
      EMAIL_VERIFICATION: 'off',
    });
  });
  afterAll(() => app.close());

  it.each(CHECKS)('%s answers 429 past the per-client limit', async (_route, check) => {
    const { wrongStatus, prepare, send } = check;
    const user = await registerAndLogin(app);
    await prepare(app, user);
    // The window starts afresh: register and login took their share of another route's.
    app.clock.advanceSeconds(61);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push((await send(app, user, WRONG)).status);
    }

    expect(statuses).toEqual([wrongStatus, wrongStatus, wrongStatus, wrongStatus, 429]);
    app.clock.advanceSeconds(61);
  });
});
