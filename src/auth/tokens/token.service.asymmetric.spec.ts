import { JwtService } from '@nestjs/jwt';
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { decodeJwt, forgeJwt, signJwtWith } from '../../../test/support/jwt-forge';
import { type PemKeyPair, pemKeyPair } from '../../../test/key-pairs';
import { type AuthModuleOptions } from '../auth.options';
import { resolveAuthOptions } from '../resolve-auth-options';
import { ManualClock } from '../clock/manual-clock';
import { TokenRejectedError } from '../errors/auth-error';
import { jwkThumbprint } from './jwk-thumbprint';
import { TokenService } from './token.service';
import { TOKEN_TYPES } from './token.types';

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

describe.each(['ES256', 'RS256'] as const)('TokenService with %s', (algorithm) => {
  const current = pemKeyPair(algorithm);
  const previous = pemKeyPair(algorithm);
  const clock = new ManualClock(NOW_SECONDS * 1000);

  function service(pair: PemKeyPair, options: Partial<AuthModuleOptions> = {}): TokenService {
    return new TokenService(
      resolveAuthOptions({
        jwtRefreshSecret: REFRESH_SECRET,
        jwtAlgorithm: algorithm,
        jwtPrivateKey: pair.privateKey,
        jwtPublicKey: pair.publicKey,
        ...options,
      }),
      clock,
      new JwtService(),
    );
  }

  const tokens = service(current, { jwtPreviousPublicKeys: previous.publicKey });
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

  it('refuses an HS256 access token even with the right jwtSecret, when one is still configured', () => {
    const withSecret = service(current, { jwtSecret: ACCESS_SECRET });
    const forged = forgeJwt({ alg: 'HS256', typ: TOKEN_TYPES.access }, payload(), ACCESS_SECRET);

    expect(() => withSecret.verify('access', forged)).toThrow(TokenRejectedError);
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
      resolveAuthOptions({
        jwtRefreshSecret: REFRESH_SECRET,
        jwtAlgorithm: algorithm,
        jwtPrivateKey: current.privateKey,
        jwtPublicKey: current.publicKey,
      }),
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
      resolveAuthOptions({ jwtSecret: ACCESS_SECRET, jwtRefreshSecret: REFRESH_SECRET }),
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

describe('resolveAuthOptions, access-token keys', () => {
  const pair = pemKeyPair('ES256');

  it('does not require jwtSecret with an asymmetric algorithm', () => {
    expect(
      resolveAuthOptions({
        jwtRefreshSecret: REFRESH_SECRET,
        jwtAlgorithm: 'ES256',
        jwtPrivateKey: pair.privateKey,
        jwtPublicKey: pair.publicKey,
      }).jwtAlgorithm,
    ).toBe('ES256');
  });

  it('still requires jwtSecret with HS256, the default', () => {
    expect(() => resolveAuthOptions({ jwtRefreshSecret: REFRESH_SECRET })).toThrow(
      'jwtSecret is required',
    );
  });

  it('refuses missing, unparsable and mismatched keys, naming the options', () => {
    expect(() =>
      resolveAuthOptions({ jwtRefreshSecret: REFRESH_SECRET, jwtAlgorithm: 'RS256' }),
    ).toThrow('jwtPrivateKey is required with RS256; jwtPublicKey is required with RS256');
    expect(() =>
      resolveAuthOptions({
        jwtRefreshSecret: REFRESH_SECRET,
        jwtAlgorithm: 'ES256',
        jwtPrivateKey: 'garbage',
        jwtPublicKey: pair.publicKey,
      }),
    ).toThrow(/jwtPrivateKey is not a PEM private key/);
    expect(() =>
      resolveAuthOptions({
        jwtRefreshSecret: REFRESH_SECRET,
        jwtAlgorithm: 'ES256',
        jwtPrivateKey: pair.privateKey,
        jwtPublicKey: pemKeyPair('ES256').publicKey,
      }),
    ).toThrow('jwtPrivateKey and jwtPublicKey are not a key pair');
  });

  it('refuses keys given with HS256, and an unknown algorithm', () => {
    expect(() =>
      resolveAuthOptions({
        jwtSecret: ACCESS_SECRET,
        jwtRefreshSecret: REFRESH_SECRET,
        jwtPublicKey: pair.publicKey,
      }),
    ).toThrow('jwtPublicKey is only used with jwtAlgorithm ES256 or RS256');
    expect(() =>
      resolveAuthOptions({
        jwtSecret: ACCESS_SECRET,
        jwtRefreshSecret: REFRESH_SECRET,
        jwtAlgorithm: 'HS512' as 'HS256',
      }),
    ).toThrow('jwtAlgorithm must be one of HS256, ES256, RS256');
  });
});

describe('resolveAuthOptions, EdDSA', () => {
  it('refuses jwtAlgorithm EdDSA in one line that names ES256', () => {
    const pair = pemKeyPair('Ed25519');
    let message = '';
    try {
      resolveAuthOptions({
        jwtRefreshSecret: REFRESH_SECRET,
        // No longer in the type: a JavaScript caller, or an options object from before, can still pass it.
        jwtAlgorithm: 'EdDSA' as 'ES256',
        jwtPrivateKey: pair.privateKey,
        jwtPublicKey: pair.publicKey,
      });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toBe(
      'Invalid AuthModule options: jwtAlgorithm EdDSA is not supported (the JWT library has no EdDSA): use ES256',
    );
  });
});

function createPrivateKeyOf(pair: PemKeyPair) {
  return createPrivateKey(pair.privateKey);
}
