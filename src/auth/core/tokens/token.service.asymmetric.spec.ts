import { JwtService } from '@nestjs/jwt';
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { decodeJwt, forgeJwt, signJwtWith } from '../../../../test/support/jwt-forge';
import { type PemKeyPair, pemKeyPair } from '../../../../test/key-pairs';
import { ManualClock } from '../clock/manual-clock';
import { TokenRejectedError } from '../errors/auth-error';
import { loadAccessKeys } from './access-keys';
import { jwkThumbprint } from './jwk-thumbprint';
import type { AsymmetricAlgorithm } from './jwt-algorithm';
import { hmacKey } from './token-keys';
import type { TokenSettings } from './token-settings';
import { TokenService } from './token.service';
import { TOKEN_TYPES } from '../model/token.types';

const ACCESS_SECRET = 'unit-access-secret-0123456789abcdefghij';
const REFRESH_SECRET = 'unit-refresh-secret-0123456789abcdefghij';
const NOW_SECONDS = 1_800_000_000;

function kidOf(pair: PemKeyPair): string {
  return jwkThumbprint(createPublicKey(pair.publicKey).export({ format: 'jwk' }));
}

function accessClaims() {
  return {
    sub: randomUUID(),
    sid: randomUUID(),
    jti: randomUUID(),
    iat: NOW_SECONDS,
    exp: NOW_SECONDS + 900,
    email: 'ada@example.com',
    roles: ['user'],
  };
}

function refreshClaims() {
  const { sub, sid, jti, iat } = accessClaims();
  return { sub, sid, jti, iat, exp: iat + 3600 };
}

const KEY_NAMES = { privateKey: 'priv', publicKey: 'pub', previousPublicKeys: 'prev' };

/** Settings of `algorithm` with `pair` signing, and `previous` (PEM) still verifying, as the module builds them. */
function asymmetricSettings(
  algorithm: AsymmetricAlgorithm,
  pair: PemKeyPair,
  previous?: string,
): TokenSettings {
  const { keys, problems } = loadAccessKeys(
    { algorithm, ...pair, previousPublicKeys: previous },
    KEY_NAMES,
  );
  if (keys === undefined) throw new Error(problems.join('; '));
  return {
    access: keys,
    refreshKey: hmacKey(REFRESH_SECRET),
    issuer: 'nest-auth',
    audience: 'nest-auth',
    accessLifetime: 900,
    refreshLifetime: 604_800,
  };
}

describe.each(['ES256', 'RS256'] as const)('TokenService with %s', (algorithm) => {
  const current = pemKeyPair(algorithm);
  const previous = pemKeyPair(algorithm);
  const clock = new ManualClock(NOW_SECONDS * 1000);

  function service(pair: PemKeyPair, previousPublicKeys?: string): TokenService {
    return new TokenService(
      asymmetricSettings(algorithm, pair, previousPublicKeys),
      clock,
      new JwtService(),
    );
  }

  const tokens = service(current, previous.publicKey);
  /** A valid payload as this server writes it, to forge tokens from. */
  const payload = () => ({ ...accessClaims(), iss: 'nest-auth', aud: 'nest-auth' });

  it('signs access tokens with the private key: alg, typ and the public key thumbprint as kid', () => {
    const { token } = tokens.signAccessToken(accessClaims());

    expect(decodeJwt(token).header).toEqual({
      alg: algorithm,
      typ: 'at+jwt',
      kid: kidOf(current),
    });
  });

  it('verifies an access token it signed and gives back its claims', () => {
    const claims = accessClaims();

    expect(tokens.verify('access', tokens.signAccessToken(claims).token)).toEqual({
      ...claims,
      iss: 'nest-auth',
      aud: 'nest-auth',
    });
  });

  it('keeps refresh tokens HS256 with the refresh secret, deterministic as before', () => {
    const claims = refreshClaims();
    const { token } = tokens.signRefreshToken(claims);

    expect(decodeJwt(token).header).toEqual({ alg: 'HS256', typ: 'refresh+jwt' });
    expect(tokens.signRefreshToken({ ...claims }).token).toBe(token);
    expect(tokens.verify('refresh', token).jti).toBe(claims.jti);
  });

  it('verifies a token signed with a previous key while that key is listed, by its kid', () => {
    const { token } = service(previous).signAccessToken(accessClaims());

    expect(decodeJwt(token).header.kid).toBe(kidOf(previous));
    expect(tokens.verify('access', token).sub).toEqual(expect.any(String));
    expect(() => service(current).verify('access', token)).toThrow(TokenRejectedError);
  });

  it('chooses the key by kid: a token signed by one listed key but naming another is refused', () => {
    const { token } = service(previous).signAccessToken(accessClaims());
    const [, body, signature] = token.split('.');
    const header = Buffer.from(
      JSON.stringify({ alg: algorithm, typ: 'at+jwt', kid: kidOf(current) }),
    ).toString('base64url');

    expect(() => tokens.verify('access', `${header}.${body}.${signature}`)).toThrow(
      TokenRejectedError,
    );
  });

  it('hands the strategies the key of the token kid, and refuses an unknown or missing kid', () => {
    const signedWith = (pair: PemKeyPair, header: Record<string, unknown>) =>
      signJwtWith(
        { alg: algorithm, typ: TOKEN_TYPES.access, ...header },
        payload(),
        createPrivateKeyOf(pair),
      );

    const key = tokens.keyFor('access', tokens.signAccessToken(accessClaims()).token);
    expect(key.equals(createPublicKey(current.publicKey))).toBe(true);
    expect(() => tokens.keyFor('access', signedWith(current, { kid: 'not-a-known-kid' }))).toThrow(
      TokenRejectedError,
    );
    expect(() => tokens.keyFor('access', signedWith(current, {}))).toThrow(TokenRejectedError);
    expect(() => tokens.verify('access', signedWith(current, {}))).toThrow(TokenRejectedError);
    expect(() => tokens.verify('access', signedWith(current, { kid: 42 }))).toThrow(
      TokenRejectedError,
    );
  });

  it("refuses a token signed with the attacker's own key embedded as a jwk header", () => {
    const attacker = pemKeyPair(algorithm);
    const jwk = createPublicKey(attacker.publicKey).export({ format: 'jwk' });
    const forged = signJwtWith(
      { alg: algorithm, typ: TOKEN_TYPES.access, kid: kidOf(attacker), jwk },
      payload(),
      createPrivateKeyOf(attacker),
    );

    expect(() => tokens.verify('access', forged)).toThrow(TokenRejectedError);
  });

  it('refuses an HS256 token using the PEM public key as HMAC secret (key confusion)', () => {
    for (const secret of [
      current.publicKey,
      createPublicKey(current.publicKey).export({ format: 'der', type: 'spki' }).toString('binary'),
    ]) {
      const forged = forgeJwt(
        { alg: 'HS256', typ: TOKEN_TYPES.access, kid: kidOf(current) },
        payload(),
        secret,
      );
      expect(() => tokens.verify('access', forged)).toThrow(TokenRejectedError);
    }
  });

  it('refuses an HS256 access token, whatever secret signed it (the settings hold no access secret)', () => {
    const forged = forgeJwt({ alg: 'HS256', typ: TOKEN_TYPES.access }, payload(), ACCESS_SECRET);

    expect(() => tokens.verify('access', forged)).toThrow(TokenRejectedError);
  });

  it('refuses alg none, with or without the kid', () => {
    for (const header of [{ alg: 'none' }, { alg: 'none', kid: kidOf(current) }]) {
      const forged = forgeJwt({ ...header, typ: TOKEN_TYPES.access }, payload());
      expect(() => tokens.verify('access', forged)).toThrow(TokenRejectedError);
    }
  });

  it('refuses a refresh token where an access token is expected, and back', () => {
    expect(() => tokens.verify('access', tokens.signRefreshToken(refreshClaims()).token)).toThrow(
      TokenRejectedError,
    );
    expect(() => tokens.verify('refresh', tokens.signAccessToken(accessClaims()).token)).toThrow(
      TokenRejectedError,
    );
  });

  it('refuses a token of another issuer or audience, correctly signed', () => {
    const signed = (claims: Record<string, unknown>) =>
      signJwtWith(
        { alg: algorithm, typ: TOKEN_TYPES.access, kid: kidOf(current) },
        claims,
        createPrivateKeyOf(current),
      );

    expect(tokens.verify('access', signed(payload())).iss).toBe('nest-auth');
    expect(() => tokens.verify('access', signed({ ...payload(), iss: 'evil' }))).toThrow(
      TokenRejectedError,
    );
    expect(() => tokens.verify('access', signed({ ...payload(), aud: 'evil' }))).toThrow(
      TokenRejectedError,
    );
    expect(
      tokens.verify('access', signed({ ...payload(), aud: ['other', 'nest-auth'] })).sub,
    ).toEqual(expect.any(String));
  });

  it('refuses an expired token', () => {
    const later = new ManualClock(NOW_SECONDS * 1000);
    const { token } = tokens.signAccessToken(accessClaims());
    const verifier = new TokenService(
      asymmetricSettings(algorithm, current),
      later,
      new JwtService(),
    );
    later.advanceSeconds(900);

    expect(() => verifier.verify('access', token)).toThrow(TokenRejectedError);
  });

  it('publishes the current and previous public keys as JWKS', () => {
    expect(tokens.jwks().keys.map(({ kid, alg, use }) => ({ kid, alg, use }))).toEqual([
      { kid: kidOf(current), alg: algorithm, use: 'sig' },
      { kid: kidOf(previous), alg: algorithm, use: 'sig' },
    ]);
  });
});

describe('TokenService with HS256', () => {
  it('publishes no key: the HMAC secret is never published', () => {
    const tokens = new TokenService(
      {
        ...asymmetricSettings('ES256', pemKeyPair('ES256')),
        access: { algorithm: 'HS256', key: hmacKey(ACCESS_SECRET) },
      },
      new ManualClock(NOW_SECONDS * 1000),
      new JwtService(),
    );

    expect(tokens.jwks()).toEqual({ keys: [] });
    expect(decodeJwt(tokens.signAccessToken(accessClaims()).token).header).toEqual({
      alg: 'HS256',
      typ: 'at+jwt',
    });
  });
});

function createPrivateKeyOf(pair: PemKeyPair) {
  return createPrivateKey(pair.privateKey);
}
