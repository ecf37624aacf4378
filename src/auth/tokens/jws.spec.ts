import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  randomBytes,
  sign as cryptoSign,
} from 'node:crypto';
import { sign, verify } from 'jsonwebtoken';
import { base64url, forgeJwt } from '../../../test/support/jwt-forge';
import { pemKeyPair } from '../../../test/key-pairs';
import { JwsError, signJws, verifyJws } from './jws';
import type { JwtAlgorithm } from './jwt-algorithm';

const PAYLOAD = { sub: 'user-1', iat: 1_800_000_000, exp: 1_800_000_900 };

/** The signing and the verifying key: one secret for HS256. */
function keys(algorithm: JwtAlgorithm) {
  if (algorithm === 'HS256') {
    const secret = createSecretKey(randomBytes(32));
    return { privateKey: secret, publicKey: secret };
  }
  const pair = pemKeyPair(algorithm);
  return {
    privateKey: createPrivateKey(pair.privateKey),
    publicKey: createPublicKey(pair.publicKey),
  };
}

describe('signJws and verifyJws', () => {
  describe.each(['HS256', 'ES256', 'EdDSA', 'RS256'] as const)('%s', (algorithm) => {
    const { privateKey, publicKey } = keys(algorithm);

    it('verifies what it signed and gives back the payload', () => {
      const token = signJws({ alg: algorithm, typ: 'at+jwt', kid: 'k' }, PAYLOAD, privateKey);

      expect(verifyJws(token, algorithm, publicKey)).toEqual(PAYLOAD);
    });

    it('refuses the token with another key of the same type', () => {
      const token = signJws({ alg: algorithm }, PAYLOAD, privateKey);

      expect(() => verifyJws(token, algorithm, keys(algorithm).publicKey)).toThrow(JwsError);
    });

    it('refuses a payload changed after signing', () => {
      const [header, , signature] = signJws({ alg: algorithm }, PAYLOAD, privateKey).split('.');
      const tampered = `${header}.${base64url(JSON.stringify({ ...PAYLOAD, sub: 'admin' }))}.${signature}`;

      expect(() => verifyJws(tampered, algorithm, publicKey)).toThrow(JwsError);
    });

    it('refuses a token whose header names another algorithm, even correctly signed for it', () => {
      const other = algorithm === 'EdDSA' ? 'ES256' : 'EdDSA';
      const otherKeys = keys(other);
      const token = signJws({ alg: other }, PAYLOAD, otherKeys.privateKey);

      expect(() => verifyJws(token, algorithm, publicKey)).toThrow(JwsError);
    });

    it('refuses alg none and a stripped signature', () => {
      const token = signJws({ alg: algorithm }, PAYLOAD, privateKey);

      expect(() => verifyJws(forgeJwt({ alg: 'none' }, PAYLOAD), algorithm, publicKey)).toThrow(
        JwsError,
      );
      expect(() =>
        verifyJws(token.slice(0, token.lastIndexOf('.') + 1), algorithm, publicKey),
      ).toThrow(JwsError);
    });

    it('refuses a critical header it does not understand (RFC 7515 §4.1.11)', () => {
      const token = signJws({ alg: algorithm, crit: ['exp'], exp: 1 }, PAYLOAD, privateKey);

      expect(() => verifyJws(token, algorithm, publicKey)).toThrow(JwsError);
    });
  });

  describe.each(['HS256', 'ES256', 'RS256'] as const)('%s, against jsonwebtoken', (algorithm) => {
    const { privateKey, publicKey } = keys(algorithm);

    it('signs tokens jsonwebtoken verifies', () => {
      const token = signJws({ alg: algorithm, typ: 'at+jwt' }, PAYLOAD, privateKey);

      expect(verify(token, publicKey, { algorithms: [algorithm] })).toEqual(PAYLOAD);
    });

    it('verifies tokens jsonwebtoken signs', () => {
      const token = sign(PAYLOAD, privateKey, { algorithm });

      expect(verifyJws(token, algorithm, publicKey)).toEqual(PAYLOAD);
    });
  });

  it('signs HS256 byte for byte as jsonwebtoken does (a refresh token is re-issued by signing again)', () => {
    const { privateKey } = keys('HS256');
    const header = { alg: 'HS256', typ: 'refresh+jwt' } as const;

    expect(signJws(header, PAYLOAD, privateKey)).toBe(
      sign(PAYLOAD, privateKey, { algorithm: 'HS256', header }),
    );
  });

  it('refuses an HS256 signature of the wrong length, truncated or padded', () => {
    const { privateKey } = keys('HS256');
    const token = signJws({ alg: 'HS256' }, PAYLOAD, privateKey);

    for (const changed of [token.slice(0, -2), `${token}AA`]) {
      expect(() => verifyJws(changed, 'HS256', privateKey)).toThrow(JwsError);
    }
  });

  it('signs EdDSA as RFC 8037 says: Ed25519 over the ASCII of header.payload', () => {
    const { privateKey, publicKey } = keys('EdDSA');
    const input = `${base64url(JSON.stringify({ alg: 'EdDSA' }))}.${base64url(JSON.stringify(PAYLOAD))}`;
    const byHand = `${input}.${cryptoSign(null, Buffer.from(input), privateKey).toString('base64url')}`;

    // Ed25519 is deterministic: the same input gives the same signature.
    expect(signJws({ alg: 'EdDSA' }, PAYLOAD, privateKey)).toBe(byHand);
    expect(verifyJws(byHand, 'EdDSA', publicKey)).toEqual(PAYLOAD);
  });

  it('refuses strings that are not a compact JWS, and segments that are not JSON objects', () => {
    const { publicKey } = keys('ES256');
    const notObject = `${base64url('"ES256"')}.${base64url('{}')}.AAAA`;

    for (const garbage of ['', 'abc', 'a.b', 'a.b.c.d', 'a b.c.d', '..', notObject]) {
      expect(() => verifyJws(garbage, 'ES256', publicKey)).toThrow(JwsError);
    }
  });
});
