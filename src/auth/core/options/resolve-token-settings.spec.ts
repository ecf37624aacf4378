import { JwtService } from '@nestjs/jwt';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { pemKeyPair } from '../../../../test/key-pairs';
import type { ResolvedAuthOptions } from './auth.options';
import { ManualClock } from '../clock/manual-clock';
import { resolveAuthOptions } from './resolve-auth-options';
import { tokenSettingsFrom } from './resolve-token-settings';
import { TokenService } from '../tokens/token.service';

const ACCESS_SECRET = 'unit-access-secret-0123456789abcdefghij';
const REFRESH_SECRET = 'unit-refresh-secret-0123456789abcdefghij';
const NOW_SECONDS = 1_800_000_000;

function accessClaims() {
  const iat = NOW_SECONDS;
  return {
    sub: 'user-1',
    sid: 'session-1',
    jti: 'jti-1',
    iat,
    exp: iat + 900,
    email: 'a@b.c',
    roles: ['user'],
  };
}

describe('tokenSettingsFrom', () => {
  it('takes HS256 settings from the options: both secrets as KeyObjects, names and lifetimes', () => {
    const settings = tokenSettingsFrom(
      resolveAuthOptions({
        jwtSecret: ACCESS_SECRET,
        jwtRefreshSecret: REFRESH_SECRET,
        jwtIssuer: 'issuer-x',
        jwtAudience: 'audience-y',
        jwtExpiration: 60,
        jwtRefreshExpiration: 3600,
      }),
    );

    expect(settings).toMatchObject({
      access: { algorithm: 'HS256' },
      issuer: 'issuer-x',
      audience: 'audience-y',
      accessLifetime: 60,
      refreshLifetime: 3600,
    });
    const access = settings.access as { key: KeyObject };
    expect(access.key.type).toBe('secret');
    expect(access.key.export().toString('utf8')).toBe(ACCESS_SECRET);
    expect(settings.refreshKey.export().toString('utf8')).toBe(REFRESH_SECRET);
  });

  it('hands on the KeyObjects resolveAuthOptions parsed: each PEM is parsed once, at boot', () => {
    const current = pemKeyPair('ES256');
    const previous = pemKeyPair('ES256');
    const options = resolveAuthOptions({
      jwtRefreshSecret: REFRESH_SECRET,
      jwtAlgorithm: 'ES256',
      jwtPrivateKey: current.privateKey,
      jwtPublicKey: current.publicKey,
      jwtPreviousPublicKeys: previous.publicKey,
    });

    const { access } = tokenSettingsFrom(options);

    if (!('privateKey' in access)) throw new Error('expected asymmetric keys');
    // The very objects of the options: nothing parsed again, so nothing can be parsed per call either.
    expect(access.privateKey).toBe(options.jwtPrivateKey);
    expect(access.publicKey).toBe(options.jwtPublicKey);
    expect(access.previousPublicKeys[0]).toBe((options.jwtPreviousPublicKeys as KeyObject[])[0]);
    expect([...access.publicKeys.values()]).toEqual([
      options.jwtPublicKey,
      (options.jwtPreviousPublicKeys as KeyObject[])[0],
    ]);
    expect(access.jwks.keys.map((key) => key.kid)).toEqual([...access.publicKeys.keys()]);
  });

  it('gives a TokenService that signs and verifies with those keys, and never sees the options', () => {
    const pair = pemKeyPair('RS256');
    const settings = tokenSettingsFrom(
      resolveAuthOptions({
        jwtRefreshSecret: REFRESH_SECRET,
        jwtAlgorithm: 'RS256',
        jwtPrivateKey: pair.privateKey,
        jwtPublicKey: pair.publicKey,
      }),
    );
    const tokens = new TokenService(
      settings,
      new ManualClock(NOW_SECONDS * 1000),
      new JwtService(),
    );

    const { token } = tokens.signAccessToken(accessClaims());

    expect(tokens.verify('access', token).sub).toBe('user-1');
    expect(tokens.jwks().keys).toHaveLength(1);
  });

  it('refuses options that did not go through resolveAuthOptions with keys that are no pair', () => {
    const options = {
      ...resolveAuthOptions({ jwtSecret: ACCESS_SECRET, jwtRefreshSecret: REFRESH_SECRET }),
      jwtAlgorithm: 'ES256',
      jwtPrivateKey: createPrivateKey(pemKeyPair('ES256').privateKey),
      jwtPublicKey: createPublicKey(pemKeyPair('ES256').publicKey),
    } as ResolvedAuthOptions;

    expect(() => tokenSettingsFrom(options)).toThrow(
      'Invalid AuthModule options: jwtPrivateKey and jwtPublicKey are not a key pair',
    );
  });
});
