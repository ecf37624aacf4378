import { createPublicKey } from 'node:crypto';
import { pemKeyPair } from '../../../../test/key-pairs';
import { jwkThumbprint } from './jwk-thumbprint';

describe('jwkThumbprint', () => {
  it('gives the thumbprint of the example key of RFC 7638 §3.1', () => {
    const jwk = {
      kty: 'RSA',
      n:
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn6' +
        '4tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n9' +
        '1CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };

    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('hashes only the required members, whatever else the JWK carries and in whatever order', () => {
    const jwk = createPublicKey(pemKeyPair('ES256').publicKey).export({ format: 'jwk' });

    expect(jwkThumbprint({ y: jwk.y, x: jwk.x, kty: 'EC', crv: 'P-256', use: 'sig' })).toBe(
      jwkThumbprint(jwk),
    );
  });

  it.each(['ES256', 'RS256'] as const)(
    'gives different %s keys different thumbprints, 43 base64url characters each',
    (kind) => {
      const first = jwkThumbprint(
        createPublicKey(pemKeyPair(kind).publicKey).export({ format: 'jwk' }),
      );
      const second = jwkThumbprint(
        createPublicKey(pemKeyPair(kind).publicKey).export({ format: 'jwk' }),
      );

      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(first).not.toBe(second);
    },
  );

  it('refuses a key type it has no member list for, and a JWK missing a required member', () => {
    expect(() => jwkThumbprint({ kty: 'oct', k: 'c2VjcmV0' })).toThrow(/key type oct/);
    expect(() => jwkThumbprint({ kty: 'EC', crv: 'P-256', y: 'eQ' })).toThrow(/member x/);
  });
});
