import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { type Algorithm, verify } from 'jsonwebtoken';
import { type PemKeyPair, pemKeyPair } from './key-pairs';
import { decodeJwt, forgeJwt, signJwtWith } from './support/jwt-forge';
import { runServerToExit } from './support/server-process';
import {
  bearer,
  type LoggedIn,
  registerAndLogin,
  startTestApp,
  type TestApp,
} from './support/test-app';
import { ManualClock } from '../src/auth/testing';
import { expectInvalidToken } from './support/challenges';

/**
 * docs/configuration.md: Configuration: with an asymmetric JWT_ALGORITHM, access tokens are signed with JWT_PRIVATE_KEY and carry
 * the key's RFC 7638 thumbprint as `kid`; `GET /.well-known/jwks.json` publishes JWT_PUBLIC_KEY and
 * JWT_PREVIOUS_PUBLIC_KEYS, and a third party verifies access tokens with that alone; rotation keeps listed keys
 * working; refresh tokens stay HS256.
 */

type Asymmetric = 'ES256' | 'RS256';

interface PublishedJwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: string;
}

function keyEnv(algorithm: Asymmetric, pair: PemKeyPair, previous?: string) {
  return {
    JWT_ALGORITHM: algorithm,
    JWT_PRIVATE_KEY: pair.privateKey,
    JWT_PUBLIC_KEY: pair.publicKey,
    ...(previous === undefined ? {} : { JWT_PREVIOUS_PUBLIC_KEYS: previous }),
    THROTTLE_AUTH_LIMIT: '100000',
  };
}

/**
 * What another service does with nothing but the JWKS: pick the key by `kid`, pin the algorithm the JWKS gives it,
 * verify.
 */
function verifyWithJwks(token: string, keys: PublishedJwk[]): Record<string, unknown> {
  const { header } = decodeJwt(token);
  const jwk = keys.find((candidate) => candidate.kid === header.kid);
  if (jwk === undefined) throw new Error(`no key ${String(header.kid)} in the JWKS`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return verify(token, key, {
    algorithms: [jwk.alg as Algorithm],
    issuer: 'nest-auth',
    audience: 'nest-auth',
  }) as Record<string, unknown>;
}

describe.each<Asymmetric>(['ES256', 'RS256'])('%s access tokens', (algorithm) => {
  const current = pemKeyPair(algorithm);
  const next = pemKeyPair(algorithm);
  const clock = new ManualClock();
  let app: TestApp;
  let user: LoggedIn;

  const jwks = (on: TestApp = app) => on.http().get('/.well-known/jwks.json').expect(200);
  const getProtected = (token: string, on: TestApp = app) =>
    on
      .http()
      .get('/protected')
      .set(...bearer(token));

  beforeAll(async () => {
    app = await startTestApp(keyEnv(algorithm, current), clock);
    user = await registerAndLogin(app);
  });
  afterAll(() => app.close());

  it('signs access tokens with alg and kid, and /protected accepts them', async () => {
    const { header } = decodeJwt(user.accessToken);

    expect(header).toEqual({ alg: algorithm, typ: 'at+jwt', kid: expect.any(String) });
    const response = await getProtected(user.accessToken).expect(200);
    expect(response.body.user).toMatchObject({ email: user.email, roles: ['user'] });
  });

  it('publishes the public key at /.well-known/jwks.json, cacheable for five minutes', async () => {
    const response = await jwks();

    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body.keys).toEqual([
      expect.objectContaining({
        kid: decodeJwt(user.accessToken).header.kid,
        alg: algorithm,
        use: 'sig',
        kty: algorithm === 'ES256' ? 'EC' : 'RSA',
      }),
    ]);
    // Public members only: a private JWK would carry d (and p, q, dp, dq, qi for RSA).
    expect(response.body.keys[0]).not.toHaveProperty('d');
  });

  it('lets a third party verify an access token with nothing but the JWKS', async () => {
    const { body } = await jwks();

    expect(verifyWithJwks(user.accessToken, body.keys)).toMatchObject({
      email: user.email,
      iss: 'nest-auth',
      aud: 'nest-auth',
    });
  });

  it('refreshes as before: HS256 refresh tokens, and a new access token that works', async () => {
    const fresh = await registerAndLogin(app);
    expect(decodeJwt(fresh.refreshToken).header).toEqual({ alg: 'HS256', typ: 'refresh+jwt' });

    const response = await app
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: fresh.refreshToken })
      .expect(200);

    expect(decodeJwt(response.body.accessToken).header.alg).toBe(algorithm);
    await getProtected(response.body.accessToken).expect(200);
  });

  describe('forged access tokens', () => {
    const claims = () => decodeJwt(user.accessToken).payload;
    const kid = () => decodeJwt(user.accessToken).header.kid;

    it('refuses HS256 signed with the PEM public key as HMAC secret (key confusion)', async () => {
      const forged = forgeJwt(
        { alg: 'HS256', typ: 'at+jwt', kid: kid() },
        claims(),
        current.publicKey,
      );

      expectInvalidToken(await getProtected(forged));
    });

    it('refuses alg none', async () => {
      for (const alg of ['none', 'None']) {
        expectInvalidToken(
          await getProtected(forgeJwt({ alg, typ: 'at+jwt', kid: kid() }, claims())),
        );
      }
    });

    it('refuses an unknown kid and a missing one, even signed with the real private key', async () => {
      const key = createPrivateKey(current.privateKey);
      const unknownKid = signJwtWith(
        { alg: algorithm, typ: 'at+jwt', kid: 'unknown' },
        claims(),
        key,
      );
      const noKid = signJwtWith({ alg: algorithm, typ: 'at+jwt' }, claims(), key);

      expectInvalidToken(await getProtected(unknownKid));
      expectInvalidToken(await getProtected(noKid));
      // The forger works: the same token with the right kid passes.
      await getProtected(
        signJwtWith({ alg: algorithm, typ: 'at+jwt', kid: kid() }, claims(), key),
      ).expect(200);
    });

    it("refuses a token carrying the attacker's own key in a jwk header", async () => {
      const attacker = pemKeyPair(algorithm);
      const jwk = createPublicKey(attacker.publicKey).export({ format: 'jwk' });
      const attackerKey = createPrivateKey(attacker.privateKey);

      for (const header of [
        { jwk },
        { jwk, kid: kid() },
        { jku: 'https://evil.example/jwks.json', kid: kid() },
      ]) {
        const forged = signJwtWith(
          { alg: algorithm, typ: 'at+jwt', ...header },
          { ...claims(), roles: ['admin'] },
          attackerKey,
        );
        expectInvalidToken(await getProtected(forged));
      }
    });
  });

  describe('key rotation', () => {
    it('keeps old tokens working and publishes both keys while the old key is listed as previous', async () => {
      const rotated = await startTestApp(keyEnv(algorithm, next, current.publicKey), clock);
      try {
        await getProtected(user.accessToken, rotated).expect(200);

        const { body } = await jwks(rotated);
        expect(body.keys).toHaveLength(2);
        const fresh = await registerAndLogin(rotated);
        expect(body.keys[0].kid).toBe(decodeJwt(fresh.accessToken).header.kid);
        expect(body.keys[1].kid).toBe(decodeJwt(user.accessToken).header.kid);
        expect(verifyWithJwks(user.accessToken, body.keys).sub).toEqual(expect.any(String));
        expect(verifyWithJwks(fresh.accessToken, body.keys).sub).toEqual(expect.any(String));
      } finally {
        await rotated.close();
      }
    });

    it('refuses old tokens once the old key is no longer listed', async () => {
      const rotated = await startTestApp(keyEnv(algorithm, next), clock);
      try {
        expectInvalidToken(await getProtected(user.accessToken, rotated));
        expect((await jwks(rotated)).body.keys).toHaveLength(1);
      } finally {
        await rotated.close();
      }
    });
  });
});

describe('HS256 (the default)', () => {
  it('answers the JWKS with an empty set: the HMAC secret is never published', async () => {
    const app = await startTestApp();
    try {
      const response = await app.http().get('/.well-known/jwks.json').expect(200);

      expect(response.body).toEqual({ keys: [] });
      expect(response.headers['cache-control']).toBe('public, max-age=300');
    } finally {
      await app.close();
    }
  });
});

describe('the server process refuses to start, with one line naming the variable', () => {
  const es256 = pemKeyPair('ES256');
  const base = {
    JWT_REFRESH_SECRET: 'jwks-refresh-secret-0123456789abcdefghij',
    JWT_ALGORITHM: 'ES256',
  };

  it.each([
    [
      'a private key that does not parse',
      { JWT_PRIVATE_KEY: 'garbage', JWT_PUBLIC_KEY: es256.publicKey },
      'JWT_PRIVATE_KEY',
    ],
    [
      'a public key that does not parse',
      {
        JWT_PRIVATE_KEY: es256.privateKey,
        JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      },
      'JWT_PUBLIC_KEY',
    ],
    [
      'keys that are not a pair',
      { JWT_PRIVATE_KEY: es256.privateKey, JWT_PUBLIC_KEY: pemKeyPair('ES256').publicKey },
      'JWT_PUBLIC_KEY',
    ],
    ['a missing private key', { JWT_PUBLIC_KEY: es256.publicKey }, 'JWT_PRIVATE_KEY'],
    [
      'a previous key that does not parse',
      {
        JWT_PRIVATE_KEY: es256.privateKey,
        JWT_PUBLIC_KEY: es256.publicKey,
        JWT_PREVIOUS_PUBLIC_KEYS: 'garbage',
      },
      'JWT_PREVIOUS_PUBLIC_KEYS',
    ],
  ])('%s, in production and in development', async (_case, keys, variable) => {
    for (const NODE_ENV of ['production', 'development']) {
      const { code, output } = await runServerToExit({ NODE_ENV, ...base, ...keys });

      expect(code).toBe(1);
      expect(output).toContain(variable);
      expect(output).not.toContain('BEGIN');
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('JWT_ALGORITHM=EdDSA, naming ES256 instead', async () => {
    const ed25519 = pemKeyPair('Ed25519');
    const { code, output } = await runServerToExit({
      NODE_ENV: 'production',
      ...base,
      SMTP_URL: 'smtp://127.0.0.1:9',
      JWT_ALGORITHM: 'EdDSA',
      JWT_PRIVATE_KEY: ed25519.privateKey,
      JWT_PUBLIC_KEY: ed25519.publicKey,
    });

    expect(code).toBe(1);
    expect(output).toContain(
      'JWT_ALGORITHM EdDSA is not supported (the JWT library has no EdDSA): use ES256',
    );
    expect(output).not.toContain('BEGIN');
  });
});
