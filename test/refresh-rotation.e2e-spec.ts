import type { Response } from 'supertest';
import { decodeJwt, forgeJwt } from './support/jwt-forge';
import {
  bearer,
  PASSWORD,
  registerAndLogin,
  startTestApp,
  TEST_SECRETS,
  uniqueEmail,
  type LoggedIn,
  type TestApp,
  sql,
} from './support/test-app';
import { expectInvalidToken } from './support/challenges';

/**
 * docs/sessions.md: Behaviour in detail, Refresh and Grace: rotation, reuse grace, reuse detection (theft revokes the whole session), idle and absolute
 * lifetimes. docs/architecture.md: "How it is built": one successor per token, the grace answer is the same token.
 */

/** Far above what the suites send: rate limiting is not what is tested here. */
const NO_THROTTLE = { THROTTLE_AUTH_LIMIT: '100000' };

function claimsOf(token: string): { jti: string; sid: string; iat: number; exp: number } {
  const { payload } = decodeJwt(token);
  return {
    jti: payload.jti as string,
    sid: payload.sid as string,
    iat: payload.iat as number,
    exp: payload.exp as number,
  };
}

interface TokenRow {
  id: string;
  successor_id: string | null;
  spent_at: number | string | null;
}

function tokenRows(app: TestApp, sessionId: string): Promise<TokenRow[]> {
  return sql<TokenRow[]>(
    app,
    'SELECT id, successor_id, spent_at FROM auth_refresh_tokens WHERE session_id = ?',
    [sessionId],
  );
}

function refresh(app: TestApp, refreshToken: string) {
  return app.http().post('/auth/refresh').send({ refreshToken });
}

function getProtected(app: TestApp, accessToken: string) {
  return app
    .http()
    .get('/protected')
    .set(...bearer(accessToken));
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  refreshExpiresIn: number;
}

/** Refreshes and expects success: the new pair. */
async function rotate(app: TestApp, refreshToken: string): Promise<TokenPair> {
  const response = await refresh(app, refreshToken).expect(200);
  return response.body as TokenPair;
}

async function login(app: TestApp, email: string): Promise<LoggedIn> {
  const response = await app
    .http()
    .post('/auth/login')
    .send({ email, password: PASSWORD })
    .expect(200);
  return {
    email,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
  };
}

describe('refresh rotation', () => {
  const ACCESS_LIFETIME = 300;
  const REFRESH_LIFETIME = 3600;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      ...NO_THROTTLE,
      JWT_EXPIRATION: String(ACCESS_LIFETIME),
      JWT_REFRESH_EXPIRATION: String(REFRESH_LIFETIME),
    });
  });
  afterAll(() => app.close());

  it.each([
    ['in the JSON body', (token: string) => refresh(app, token)],
    [
      'as Authorization: Bearer',
      (token: string) =>
        app
          .http()
          .post('/auth/refresh')
          .set(...bearer(token)),
    ],
  ])('rotates a refresh token sent %s into a new working pair', async (_how, send) => {
    const user = await registerAndLogin(app);

    const response = await send(user.refreshToken);

    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: ACCESS_LIFETIME,
      refreshExpiresIn: REFRESH_LIFETIME,
    });
    expect(response.body.refreshToken).not.toBe(user.refreshToken);
    expect(response.body.accessToken).not.toBe(user.accessToken);
    expect(claimsOf(response.body.refreshToken).sid).toBe(claimsOf(user.refreshToken).sid);
    const me = await getProtected(app, response.body.accessToken).expect(200);
    expect(me.body.user.email).toBe(user.email);
    await refresh(app, response.body.refreshToken).expect(200);
  });

  it('spends the presented token: it records exactly one successor, the token it answered with', async () => {
    const user = await registerAndLogin(app);
    const { sid, jti } = claimsOf(user.refreshToken);

    const next = await rotate(app, user.refreshToken);

    const rows = await tokenRows(app, sid);
    expect(rows).toHaveLength(2);
    const spent = rows.find((row) => row.id === jti);
    expect(spent?.spent_at).not.toBeNull();
    expect(spent?.successor_id).toBe(claimsOf(next.refreshToken).jti);
  });

  it('answers login and refresh with expiresIn = JWT_EXPIRATION and refreshExpiresIn = JWT_REFRESH_EXPIRATION', async () => {
    const email = uniqueEmail();
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    const loginResponse = await app
      .http()
      .post('/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);
    expect(loginResponse.headers['cache-control']).toBe('no-store');
    expect(loginResponse.body.expiresIn).toBe(ACCESS_LIFETIME);
    expect(loginResponse.body.refreshExpiresIn).toBe(REFRESH_LIFETIME);

    app.clock.advanceSeconds(100);
    const next = await rotate(app, loginResponse.body.refreshToken);

    expect(next).toMatchObject({
      expiresIn: ACCESS_LIFETIME,
      refreshExpiresIn: REFRESH_LIFETIME,
    });
    const access = claimsOf(next.accessToken);
    const refreshed = claimsOf(next.refreshToken);
    expect(access.exp - access.iat).toBe(ACCESS_LIFETIME);
    expect(refreshed.exp - refreshed.iat).toBe(REFRESH_LIFETIME);
    expect(access.iat).toBe(Math.floor(app.clock.now() / 1000));
  });

  it("refuses a logged-out session's refresh token", async () => {
    const user = await registerAndLogin(app);
    await app
      .http()
      .post('/auth/logout')
      .set(...bearer(user.accessToken))
      .expect(204);

    expectInvalidToken(await refresh(app, user.refreshToken));
  });

  it('refuses the refresh token of every session after a global logout from one of them', async () => {
    const first = await registerAndLogin(app);
    const second = await login(app, first.email);
    await app
      .http()
      .post('/auth/logout?scope=global')
      .set(...bearer(first.accessToken))
      .expect(204);

    expectInvalidToken(await refresh(app, first.refreshToken));
    expectInvalidToken(await refresh(app, second.refreshToken));
  });

  it('refuses the refresh token of a deleted user', async () => {
    const user = await registerAndLogin(app);
    await sql(app, 'DELETE FROM auth_users WHERE email = ?', [user.email]);

    expectInvalidToken(await refresh(app, user.refreshToken));
  });
});

describe('refresh reuse grace and theft detection', () => {
  const GRACE = 10;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      ...NO_THROTTLE,
      REFRESH_REUSE_GRACE: String(GRACE),
      JWT_EXPIRATION: '300',
    });
  });
  afterAll(() => app.close());

  it('answers the just-spent token within the grace with the byte-identical successor and a fresh access token', async () => {
    const user = await registerAndLogin(app);
    const first = await rotate(app, user.refreshToken);

    app.clock.advanceSeconds(GRACE - 1);
    const again = await refresh(app, user.refreshToken);

    expect(again.status).toBe(200);
    expect(again.headers['cache-control']).toBe('no-store');
    expect(again.body.refreshToken).toBe(first.refreshToken);
    expect(again.body.accessToken).not.toBe(first.accessToken);
    await getProtected(app, again.body.accessToken).expect(200);
    expect(await tokenRows(app, claimsOf(user.refreshToken).sid)).toHaveLength(2);
    // The successor is still the session's live token: the grace answer opened no branch and revoked nothing.
    await refresh(app, first.refreshToken).expect(200);
  });

  it('revokes the whole session when a rotated token is reused after the grace', async () => {
    const user = await registerAndLogin(app);
    const current = await rotate(app, user.refreshToken);
    await getProtected(app, user.accessToken).expect(200);
    await getProtected(app, current.accessToken).expect(200);

    app.clock.advanceSeconds(GRACE + 1);
    expectInvalidToken(await refresh(app, user.refreshToken));

    expectInvalidToken(await refresh(app, current.refreshToken));
    expectInvalidToken(await getProtected(app, user.accessToken));
    expectInvalidToken(await getProtected(app, current.accessToken));
  });

  it('treats an ancestor two rotations back as theft even within the grace, and revokes the session', async () => {
    const user = await registerAndLogin(app);
    const second = await rotate(app, user.refreshToken);
    const third = await rotate(app, second.refreshToken);
    await getProtected(app, third.accessToken).expect(200);

    expectInvalidToken(await refresh(app, user.refreshToken));

    expectInvalidToken(await refresh(app, third.refreshToken));
    expectInvalidToken(await getProtected(app, third.accessToken));
    expectInvalidToken(await getProtected(app, second.accessToken));
    expectInvalidToken(await getProtected(app, user.accessToken));
  });

  it('leaves the other sessions of the same user alone when one is revoked for theft', async () => {
    const victim = await registerAndLogin(app);
    const other = await login(app, victim.email);
    await rotate(app, victim.refreshToken);
    app.clock.advanceSeconds(GRACE + 1);
    expectInvalidToken(await refresh(app, victim.refreshToken));

    await getProtected(app, other.accessToken).expect(200);
    const next = await rotate(app, other.refreshToken);
    await getProtected(app, next.accessToken).expect(200);
  });

  it('issues one successor for 25 concurrent refreshes of one token, and answers each with it or 401', async () => {
    const user = await registerAndLogin(app);
    const { sid, jti } = claimsOf(user.refreshToken);

    const responses = await Promise.all(
      Array.from({ length: 25 }, () => refresh(app, user.refreshToken)),
    );

    for (const response of responses) expect([200, 401]).toContain(response.status);
    const successors = new Set(
      responses.filter((r) => r.status === 200).map((r) => r.body.refreshToken as string),
    );
    expect(successors.size).toBe(1);
    const [successor] = [...successors];
    expect(successor).not.toBe(user.refreshToken);

    const rows = await tokenRows(app, sid);
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.successor_id !== null)).toEqual([
      expect.objectContaining({ id: jti, successor_id: claimsOf(successor).jti }),
    ]);
    // All the racers were within the grace: none of them is theft, the successor still rotates.
    await refresh(app, successor).expect(200);
  });
});

describe('refresh idle lifetime', () => {
  const REFRESH_LIFETIME = 600;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      ...NO_THROTTLE,
      JWT_EXPIRATION: '60',
      JWT_REFRESH_EXPIRATION: String(REFRESH_LIFETIME),
    });
  });
  afterAll(() => app.close());

  it('refuses a refresh token once JWT_REFRESH_EXPIRATION has passed without use', async () => {
    const used = await registerAndLogin(app);
    const idle = await login(app, used.email);

    app.clock.advanceSeconds(REFRESH_LIFETIME - 1);
    await refresh(app, used.refreshToken).expect(200);

    app.clock.advanceSeconds(2);
    expectInvalidToken(await refresh(app, idle.refreshToken));
  });

  it('moves the idle deadline on each refresh: refreshing every 0.6 × lifetime keeps the session alive', async () => {
    const user = await registerAndLogin(app);
    const originalDeadline = claimsOf(user.refreshToken).exp;
    let current: Pick<TokenPair, 'accessToken' | 'refreshToken'> = user;

    for (let round = 0; round < 5; round += 1) {
      app.clock.advanceSeconds(REFRESH_LIFETIME * 0.6);
      current = await rotate(app, current.refreshToken);
      expect(claimsOf(current.refreshToken).exp).toBe(
        Math.floor(app.clock.now() / 1000) + REFRESH_LIFETIME,
      );
    }

    expect(Math.floor(app.clock.now() / 1000)).toBeGreaterThan(originalDeadline);
    await getProtected(app, current.accessToken).expect(200);
    await refresh(app, current.refreshToken).expect(200);
  });
});

describe('refresh absolute lifetime', () => {
  const MAX_AGE = 100;
  const REFRESH_LIFETIME = 60;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      ...NO_THROTTLE,
      SESSION_MAX_AGE: String(MAX_AGE),
      JWT_REFRESH_EXPIRATION: String(REFRESH_LIFETIME),
      JWT_EXPIRATION: '30',
    });
  });
  afterAll(() => app.close());

  it('keeps refreshing until SESSION_MAX_AGE, never past it, then refuses', async () => {
    const startedAt = app.clock.now();
    const user = await registerAndLogin(app);
    const absoluteDeadline = Math.floor(startedAt / 1000) + MAX_AGE;
    const tokens = [user.refreshToken];

    for (const step of [40, 40, 19]) {
      app.clock.advanceSeconds(step);
      const next = await rotate(app, tokens[tokens.length - 1]);
      await getProtected(app, next.accessToken).expect(200);
      const secondsLeft = absoluteDeadline - Math.floor(app.clock.now() / 1000);
      expect(next.refreshExpiresIn).toBeLessThanOrEqual(secondsLeft);
      tokens.push(next.refreshToken);
    }

    for (const token of tokens) expect(claimsOf(token).exp).toBeLessThanOrEqual(absoluteDeadline);

    app.clock.advanceSeconds(2);
    expectInvalidToken(await refresh(app, tokens[tokens.length - 1]));
  });

  it('refuses a session past SESSION_MAX_AGE even with a validly signed refresh token that has not expired', async () => {
    const user = await registerAndLogin(app);
    app.clock.advanceSeconds(MAX_AGE + 1);
    const { header, payload } = decodeJwt(user.refreshToken);
    const nowSeconds = Math.floor(app.clock.now() / 1000);
    const stillUnexpired = forgeJwt(
      header,
      { ...payload, iat: nowSeconds, exp: nowSeconds + REFRESH_LIFETIME },
      TEST_SECRETS.JWT_REFRESH_SECRET,
    );

    expectInvalidToken(await refresh(app, stillUnexpired));
  });
});

describe('the reuse grace answers only the client that spent the token (behind a trusted proxy)', () => {
  const GRACE = 10;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      ...NO_THROTTLE,
      REFRESH_REUSE_GRACE: String(GRACE),
      TRUST_PROXY: 'true',
    });
  });
  afterAll(() => app.close());

  /** A refresh as a client at `ip` with user agent `userAgent` sends it, through the proxy. */
  function refreshAs(refreshToken: string, ip: string, userAgent: string) {
    return app
      .http()
      .post('/auth/refresh')
      .set('X-Forwarded-For', ip)
      .set('User-Agent', userAgent)
      .send({ refreshToken });
  }

  /** A user whose login token was just spent by a client at `ip` with `userAgent`: returns both tokens. */
  async function justRotatedBy(ip: string, userAgent: string) {
    const user = await registerAndLogin(app);
    const rotated = await refreshAs(user.refreshToken, ip, userAgent).expect(200);
    return { spent: user.refreshToken, current: rotated.body.refreshToken as string };
  }

  it.each([
    ['the same address', '203.0.113.5', '203.0.113.5'],
    ['another address of the same IPv4 /24', '203.0.113.5', '203.0.113.77'],
    ['another address of the same IPv6 /64', '2001:db8:1:2::5', '2001:db8:1:2:ffff::9'],
    ['the IPv4-mapped IPv6 form of the address', '203.0.113.5', '::ffff:203.0.113.6'],
  ])('answers the same client from %s with the same successor', async (_, spentFrom, again) => {
    const { spent, current } = await justRotatedBy(spentFrom, 'tab/1');

    const response = await refreshAs(spent, again, 'tab/1').expect(200);

    expect(response.body.refreshToken).toBe(current);
  });

  it.each([
    ['another user agent', '203.0.113.5', 'thief/1'],
    ['another IPv4 /24', '203.0.114.5', 'tab/1'],
    ['another IPv6 /64', '2001:db8:1:3::5', 'tab/1'],
  ])(
    'takes the spent token from %s as theft, within the grace, and revokes the session',
    async (_, ip, userAgent) => {
      const { spent, current } = await justRotatedBy('2001:db8:1:2::5', 'tab/1');
      const { spent: spentV4, current: currentV4 } = await justRotatedBy('203.0.113.5', 'tab/1');

      const isV6 = ip.includes(':');
      expectInvalidToken(await refreshAs(isV6 ? spent : spentV4, ip, userAgent));

      // Theft revokes the whole session: even the legitimate client's current token is refused.
      expectInvalidToken(
        await refreshAs(
          isV6 ? current : currentV4,
          isV6 ? '2001:db8:1:2::5' : '203.0.113.5',
          'tab/1',
        ),
      );
    },
  );

  it('lists where each session was last used, beside where it logged in', async () => {
    const email = uniqueEmail('last-used');
    await app.http().post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    const login = await app
      .http()
      .post('/auth/login')
      .set('X-Forwarded-For', '198.51.100.10')
      .set('User-Agent', 'laptop/1')
      .send({ email, password: PASSWORD })
      .expect(200);
    const rotated = await refreshAs(login.body.refreshToken, '192.0.2.44', 'phone/2').expect(200);

    const sessions = await app
      .http()
      .get('/auth/sessions')
      .set(...bearer(rotated.body.accessToken))
      .expect(200);

    expect(sessions.body).toEqual([
      expect.objectContaining({
        ip: '198.51.100.10',
        userAgent: 'laptop/1',
        lastIp: '192.0.2.44',
        lastUserAgent: 'phone/2',
      }),
    ]);
  });
});
