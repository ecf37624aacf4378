import {
  createHmac,
  createPrivateKey,
  createSign,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { base64url, decodeJwt, forgeJwt } from './support/jwt-forge';
import {
  bearer,
  registerAndLogin,
  startTestApp,
  TEST_SECRETS,
  type TestApp,
} from './support/test-app';
import { pemKeyPair } from './key-pairs';

/**
 * The JWT attack catalogue (issue 5), against an HS256 and an ES256 configuration. Each attack starts from a real
 * access token of a signed-in user and must end in 401 `invalid_token` on /protected; the untouched token is
 * accepted, so a 401 is the attack's doing.
 */
type Configuration = 'HS256' | 'ES256';

const es256 = pemKeyPair('ES256');
const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Signs `header.payload` as the server would, with the configuration's own key: a token only the server can make. */
function signAsServer(configuration: Configuration, header: object, payload: object): string {
  if (configuration === 'HS256')
    return forgeJwt({ ...header }, { ...payload }, TEST_SECRETS.JWT_SECRET);
  return signEs256(createPrivateKey(es256.privateKey), header, payload);
}

function signEs256(key: KeyObject, header: object, payload: object): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createSign('SHA256').update(input).sign({ key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

function splice(token: string, index: number, replacement: string): string {
  const parts = token.split('.');
  parts[index] = replacement;
  return parts.join('.');
}

describe.each<Configuration>(['HS256', 'ES256'])(
  'JWT attacks on a %s configuration',
  (configuration) => {
    let app: TestApp;
    let token: string;
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;

    beforeAll(async () => {
      const env: Record<string, string> =
        configuration === 'ES256'
          ? {
              JWT_ALGORITHM: 'ES256',
              JWT_PRIVATE_KEY: es256.privateKey,
              JWT_PUBLIC_KEY: es256.publicKey,
            }
          : {};
      app = await startTestApp(env);
      token = (await registerAndLogin(app)).accessToken;
      ({ header, payload } = decodeJwt(token));
    });
    afterAll(() => app.close());

    async function expectRefused(candidate: string): Promise<void> {
      const response = await app
        .http()
        .get('/protected')
        .set('Authorization', `Bearer ${candidate}`);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    }

    it('accepts the genuine token, and one the server could have signed itself', async () => {
      await app
        .http()
        .get('/protected')
        .set(...bearer(token))
        .expect(200);
      await app
        .http()
        .get('/protected')
        .set(...bearer(signAsServer(configuration, header, payload)))
        .expect(200);
    });

    it.each(['none', 'None', 'NONE', 'nOnE'])(
      'refuses alg %s with or without a signature',
      async (alg) => {
        const unsigned = forgeJwt({ ...header, alg }, { ...payload, roles: ['admin'] });
        await expectRefused(unsigned);
        await expectRefused(splice(unsigned, 2, token.split('.')[2]));
      },
    );

    it('refuses algorithm confusion: HS256 signed with the public key (or the secret) as the HMAC key', async () => {
      const hmacKeys =
        configuration === 'ES256' ? [es256.publicKey, es256.publicKey.trim()] : [es256.publicKey];
      for (const key of hmacKeys) {
        await expectRefused(forgeJwt({ ...header, alg: 'HS256' }, payload, key));
      }
      if (configuration === 'HS256') {
        // The other way round: an ES256 token where HS256 is pinned.
        await expectRefused(signEs256(attacker.privateKey, { ...header, alg: 'ES256' }, payload));
      }
    });

    it('refuses a stripped, truncated, flipped or borrowed signature', async () => {
      const [h, p, signature] = token.split('.');
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      await expectRefused(`${h}.${p}.`);
      await expectRefused(`${h}.${p}`);
      await expectRefused(`${h}.${p}.${signature.slice(0, -4)}`);
      await expectRefused(`${h}.${p}.${flipped}`);
      const other = (await registerAndLogin(app)).accessToken;
      await expectRefused(`${h}.${p}.${other.split('.')[2]}`);
    });

    it('refuses a changed payload under the original signature', async () => {
      await expectRefused(
        splice(token, 1, base64url(JSON.stringify({ ...payload, roles: ['admin'] }))),
      );
    });

    it('refuses unknown and hostile kid values', async () => {
      const kids = [
        'unknown',
        '../../../../dev/null',
        "' OR '1'='1",
        '',
        0,
        null,
        { kid: 'x' },
        'a'.repeat(500),
      ];
      for (const kid of kids) {
        // ES256: the server's own key, but a kid naming no configured key. HS256 has no kid: a kid cannot make the
        // attacker's own HMAC key count.
        const candidate =
          configuration === 'ES256'
            ? signAsServer(configuration, { ...header, kid }, payload)
            : forgeJwt(
                { ...header, kid },
                { ...payload, roles: ['admin'] },
                'attacker-secret-0123456789abcdefghij',
              );
        await expectRefused(candidate);
      }
    });

    it('never uses a key the token brings itself: embedded jwk, jku, x5u, x5c', async () => {
      const jwk = attacker.publicKey.export({ format: 'jwk' });
      const attackerHeader = { ...header, alg: 'ES256' };
      for (const extra of [
        { jwk },
        { jku: 'http://127.0.0.1:9/jwks.json' },
        { x5u: 'http://127.0.0.1:9/cert.pem' },
        { x5c: ['MIIB'] },
      ]) {
        await expectRefused(
          signEs256(
            attacker.privateKey,
            { ...attackerHeader, ...extra },
            { ...payload, roles: ['admin'] },
          ),
        );
      }
    });

    it('refuses duplicate keys in the header or the payload, even under a valid signature', async () => {
      const encode = (json: string) => Buffer.from(json).toString('base64url');
      const headerJson = JSON.stringify(header);
      const payloadJson = JSON.stringify(payload);
      const signed = (h: string, p: string) => {
        // Signed by the server's own key over the exact bytes: only the duplicate keys can make it fail.
        if (configuration === 'HS256') {
          const input = `${encode(h)}.${encode(p)}`;
          return `${input}.${createHmac('sha256', TEST_SECRETS.JWT_SECRET).update(input).digest('base64url')}`;
        }
        const input = `${encode(h)}.${encode(p)}`;
        const signature = createSign('SHA256')
          .update(input)
          .sign({ key: createPrivateKey(es256.privateKey), dsaEncoding: 'ieee-p1363' });
        return `${input}.${base64url(signature)}`;
      };
      await app
        .http()
        .get('/protected')
        .set(...bearer(signed(headerJson, payloadJson)))
        .expect(200);
      await expectRefused(signed(headerJson.replace(/}$/, ',"typ":"JWT"}'), payloadJson));
      await expectRefused(signed(headerJson, payloadJson.replace(/}$/, ',"roles":["admin"]}')));
    });

    it('refuses malformed base64url: padding, +, /, spaces, non-ASCII', async () => {
      const [h, p, signature] = token.split('.');
      await expectRefused(`${h}=.${p}.${signature}`);
      await expectRefused(`${h}.${p}.${signature}==`);
      await expectRefused(
        `${h}.${p}.${signature.replace(/-/g, '+').replace(/_/g, '/')}${signature.includes('-') || signature.includes('_') ? '' : '+'}`,
      );
      await expectRefused(`${h}.${p}. ${signature}`);
      await expectRefused(`${h}.${p}.${signature}é`);
    });

    it('refuses an oversized token without trying it', async () => {
      const big = signAsServer(configuration, header, { ...payload, pad: 'x'.repeat(10_000) });
      await expectRefused(big);
    });

    it('ignores a token in the query string', async () => {
      const response = await app.http().get('/protected').query({ access_token: token });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });
  },
);
