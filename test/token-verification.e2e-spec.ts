import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { base64url, decodeJwt, forgeJwt } from './support/jwt-forge';
import {
  bearer,
  registerAndLogin,
  startTestApp,
  TEST_SECRETS,
  type LoggedIn,
  type TestApp,
} from './support/test-app';
import { expectInvalidToken } from './support/challenges';

/**
 * docs/sessions.md: Behaviour in detail, Tokens: every token that is not exactly what this server issued is
 * refused with 401 and `WWW-Authenticate: Bearer error="invalid_token"`, on the access side and on the refresh side.
 */

const ACCESS_LIFETIME = 60;
const REFRESH_LIFETIME = 600;
const ACCESS_TYP = 'at+jwt';
const REFRESH_TYP = 'refresh+jwt';
const WRONG_SECRET = 'not-the-server-secret-0123456789abcdefghij';

type Claims = Record<string, unknown>;

function withoutClaim(payload: Claims, name: string): Claims {
  const copy = { ...payload };
  delete copy[name];
  return copy;
}

/** The same token with another payload segment: the original signature kept. */
function withPayload(token: string, payload: Claims): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url(JSON.stringify(payload))}.${signature}`;
}

/** The same token with the first character of its signature changed (the last one may only hold padding bits). */
function withFlippedSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  const first = signature[0] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${first}${signature.slice(1)}`;
}

/** What a case needs to forge a token of one kind, from a real token of that kind. */
interface Kind {
  name: 'access' | 'refresh';
  typ: string;
  otherTyp: string;
  secret: string;
  otherSecret: string;
  real(user: LoggedIn): string;
}

const ACCESS: Kind = {
  name: 'access',
  typ: ACCESS_TYP,
  otherTyp: REFRESH_TYP,
  secret: TEST_SECRETS.JWT_SECRET,
  otherSecret: TEST_SECRETS.JWT_REFRESH_SECRET,
  real: (user) => user.accessToken,
};

const REFRESH: Kind = {
  name: 'refresh',
  typ: REFRESH_TYP,
  otherTyp: ACCESS_TYP,
  secret: TEST_SECRETS.JWT_REFRESH_SECRET,
  otherSecret: TEST_SECRETS.JWT_SECRET,
  real: (user) => user.refreshToken,
};

interface ForgeContext {
  kind: Kind;
  token: string;
  payload: Claims;
  nowSeconds: number;
}

/** Each builds, from a real token, one that must be refused. */
const BAD_TOKENS: Array<[string, (context: ForgeContext) => string]> = [
  [
    'a payload tampered after signing (role changed to admin, signature kept)',
    ({ token, payload }) => withPayload(token, { ...payload, roles: ['admin'] }),
  ],
  [
    'a payload tampered after signing (exp pushed a year ahead, signature kept)',
    ({ token, payload }) =>
      withPayload(token, { ...payload, exp: (payload.exp as number) + 365 * 86_400 }),
  ],
  ['a flipped signature', ({ token }) => withFlippedSignature(token)],
  [
    'a stripped signature (trailing dot kept)',
    ({ token }) => token.slice(0, token.lastIndexOf('.') + 1),
  ],
  [
    'a stripped signature (two segments only)',
    ({ token }) => token.slice(0, token.lastIndexOf('.')),
  ],
  ...['none', 'None', 'NONE'].map((alg): [string, (context: ForgeContext) => string] => [
    `alg "${alg}" with an empty signature`,
    ({ kind, payload }) => forgeJwt({ alg, typ: kind.typ }, payload),
  ]),
  [
    'a token signed with a wrong secret',
    ({ kind, payload }) => forgeJwt({ alg: 'HS256', typ: kind.typ }, payload, WRONG_SECRET),
  ],
  [
    'typ "JWT"',
    ({ kind, payload }) => forgeJwt({ alg: 'HS256', typ: 'JWT' }, payload, kind.secret),
  ],
  ['no typ', ({ kind, payload }) => forgeJwt({ alg: 'HS256' }, payload, kind.secret)],
  [
    "the other token type's typ (signed with the right secret)",
    ({ kind, payload }) => forgeJwt({ alg: 'HS256', typ: kind.otherTyp }, payload, kind.secret),
  ],
  [
    'a wrong iss',
    ({ kind, payload }) =>
      forgeJwt({ alg: 'HS256', typ: kind.typ }, { ...payload, iss: 'evil-issuer' }, kind.secret),
  ],
  [
    'a wrong aud',
    ({ kind, payload }) =>
      forgeJwt({ alg: 'HS256', typ: kind.typ }, { ...payload, aud: 'other-service' }, kind.secret),
  ],
  ...['sub', 'sid', 'jti', 'exp'].map((claim): [string, (context: ForgeContext) => string] => [
    `no ${claim} claim`,
    ({ kind, payload }) =>
      forgeJwt({ alg: 'HS256', typ: kind.typ }, withoutClaim(payload, claim), kind.secret),
  ]),
  [
    'an exp in the past (correctly signed)',
    ({ kind, payload, nowSeconds }) =>
      forgeJwt(
        { alg: 'HS256', typ: kind.typ },
        { ...payload, iat: nowSeconds - 3600, exp: nowSeconds - 60 },
        kind.secret,
      ),
  ],
  [
    'an nbf far in the future',
    ({ kind, payload, nowSeconds }) =>
      forgeJwt(
        { alg: 'HS256', typ: kind.typ },
        { ...payload, nbf: nowSeconds + 86_400 },
        kind.secret,
      ),
  ],
  [
    'an nbf just past the 30 s clock tolerance',
    ({ kind, payload, nowSeconds }) =>
      forgeJwt({ alg: 'HS256', typ: kind.typ }, { ...payload, nbf: nowSeconds + 90 }, kind.secret),
  ],
  [
    "a token of this type's shape and typ, signed with the other type's secret",
    ({ kind, payload }) => forgeJwt({ alg: 'HS256', typ: kind.typ }, payload, kind.otherSecret),
  ],
  ['a string that is not a JWT', () => 'not-a-jwt'],
  ['three segments of garbage', () => 'abc.def.ghi'],
];

describe('token verification', () => {
  let app: TestApp;
  let user: LoggedIn;

  beforeAll(async () => {
    app = await startTestApp({
      JWT_EXPIRATION: String(ACCESS_LIFETIME),
      JWT_REFRESH_EXPIRATION: String(REFRESH_LIFETIME),
      THROTTLE_AUTH_LIMIT: '100000',
    });
  });
  afterAll(() => app.close());

  beforeEach(async () => {
    user = await registerAndLogin(app);
  });

  const nowSeconds = () => Math.floor(app.clock.now() / 1000);
  const getProtected = (token: string) =>
    app
      .http()
      .get('/protected')
      .set(...bearer(token));
  const refreshInBody = (token: string) =>
    app.http().post('/auth/refresh').send({ refreshToken: token });
  const refreshInHeader = (token: string) =>
    app
      .http()
      .post('/auth/refresh')
      .set(...bearer(token));

  const targets: Array<[string, Kind, (token: string) => Promise<Response>]> = [
    ['an access token on GET /protected', ACCESS, (token) => getProtected(token)],
    ['a refresh token in the body of POST /auth/refresh', REFRESH, (token) => refreshInBody(token)],
    [
      'a refresh token in the Authorization header of POST /auth/refresh',
      REFRESH,
      (token) => refreshInHeader(token),
    ],
  ];

  describe.each(targets)('%s', (_target, kind, present) => {
    it.each(BAD_TOKENS)('refuses %s', async (_name, forge) => {
      const token = kind.real(user);
      const bad = forge({
        kind,
        token,
        payload: decodeJwt(token).payload,
        nowSeconds: nowSeconds(),
      });
      expect(bad).not.toBe(token);

      expectInvalidToken(await present(bad));
    });

    it('accepts a forged token with the right secret, typ and claims (the forger works)', async () => {
      const payload = decodeJwt(kind.real(user)).payload;
      const forged = forgeJwt({ alg: 'HS256', typ: kind.typ }, payload, kind.secret);

      const response = await present(forged);

      expect(response.status).toBe(200);
    });
  });

  describe('access tokens (GET /protected)', () => {
    it('accepts a forged access token with a fresh jti for a real session', async () => {
      const payload = { ...decodeJwt(user.accessToken).payload, jti: randomUUID() };
      const forged = forgeJwt({ alg: 'HS256', typ: ACCESS_TYP }, payload, TEST_SECRETS.JWT_SECRET);

      const response = await getProtected(forged).expect(200);

      expect(response.body.user).toMatchObject({ email: user.email, roles: ['user'] });
    });

    it.each(['application/at+jwt', 'AT+JWT', 'Application/At+Jwt'])(
      'accepts an access token typed %s: RFC 9068 media types, compared case-insensitively',
      async (typ) => {
        const payload = { ...decodeJwt(user.accessToken).payload, jti: randomUUID() };
        const forged = forgeJwt({ alg: 'HS256', typ }, payload, TEST_SECRETS.JWT_SECRET);

        await getProtected(forged).expect(200);
      },
    );

    it.each(['application/jwt', 'text/at+jwt', 'at+jwt; charset=utf-8', 'application/refresh+jwt'])(
      'refuses an access token typed %s',
      async (typ) => {
        const payload = { ...decodeJwt(user.accessToken).payload, jti: randomUUID() };
        const forged = forgeJwt({ alg: 'HS256', typ }, payload, TEST_SECRETS.JWT_SECRET);

        expectInvalidToken(await getProtected(forged));
      },
    );

    it('accepts an access token until its expiry, and refuses it once JWT_EXPIRATION has passed', async () => {
      app.clock.advanceSeconds(ACCESS_LIFETIME - 2);
      await getProtected(user.accessToken).expect(200);

      app.clock.advanceSeconds(2 + 31);
      expectInvalidToken(await getProtected(user.accessToken));
    });

    it('refuses an access token it has accepted before from the second its exp is reached', async () => {
      const { exp } = decodeJwt(user.accessToken).payload as { exp: number };
      app.clock.advance(exp * 1000 - 1 - app.clock.now());
      await getProtected(user.accessToken).expect(200);
      await getProtected(user.accessToken).expect(200);

      app.clock.advance(1);
      expectInvalidToken(await getProtected(user.accessToken));
    });

    it('refuses a refresh token used as an access token', async () => {
      expectInvalidToken(await getProtected(user.refreshToken));
    });

    it('refuses an access-shaped token signed with the refresh secret, even with typ at+jwt', async () => {
      const payload = { ...decodeJwt(user.accessToken).payload, jti: randomUUID() };
      const forged = forgeJwt(
        { alg: 'HS256', typ: ACCESS_TYP },
        payload,
        TEST_SECRETS.JWT_REFRESH_SECRET,
      );

      expectInvalidToken(await getProtected(forged));
    });

    it('refuses a token whose roles were raised to admin on /admin too', async () => {
      const payload = { ...decodeJwt(user.accessToken).payload, roles: ['admin'] };

      expectInvalidToken(
        await app
          .http()
          .get('/admin')
          .set(...bearer(withPayload(user.accessToken, payload))),
      );
    });

    it('ignores a token in the query string (bare Bearer challenge: no token was sent)', async () => {
      const response = await app.http().get('/protected').query({ access_token: user.accessToken });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers an Authorization header with the Basic scheme with a bare Bearer challenge', async () => {
      const response = await app
        .http()
        .get('/protected')
        .set('Authorization', `Basic ${Buffer.from(`${user.email}:x`).toString('base64')}`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers a request with no Authorization header with a bare Bearer challenge', async () => {
      const response = await app.http().get('/protected');

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('refresh tokens (POST /auth/refresh)', () => {
    it('refuses an access token used as a refresh token, in the body and in the header', async () => {
      expectInvalidToken(await refreshInBody(user.accessToken));
      expectInvalidToken(await refreshInHeader(user.accessToken));
    });

    it('refuses a refresh-shaped token signed with the access secret, even with typ refresh+jwt', async () => {
      const payload = decodeJwt(user.refreshToken).payload;
      const forged = forgeJwt({ alg: 'HS256', typ: REFRESH_TYP }, payload, TEST_SECRETS.JWT_SECRET);

      expectInvalidToken(await refreshInBody(forged));
    });

    it('refuses a refresh token once JWT_REFRESH_EXPIRATION has passed', async () => {
      app.clock.advanceSeconds(REFRESH_LIFETIME + 31);

      expectInvalidToken(await refreshInBody(user.refreshToken));
    });

    it('refuses a request that carries no refresh token', async () => {
      expectInvalidToken(await app.http().post('/auth/refresh').send({}));
    });

    it('still rotates the genuine token after forged ones were refused', async () => {
      const payload = decodeJwt(user.refreshToken).payload;
      expectInvalidToken(await refreshInBody(forgeJwt({ alg: 'none', typ: REFRESH_TYP }, payload)));
      expectInvalidToken(await refreshInBody(withFlippedSignature(user.refreshToken)));

      const response = await refreshInBody(user.refreshToken).expect(200);

      expect(response.body.refreshToken).not.toBe(user.refreshToken);
    });
  });
});
