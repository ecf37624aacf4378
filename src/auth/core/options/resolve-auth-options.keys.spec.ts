import { createPrivateKey, createPublicKey } from 'node:crypto';
import { pemKeyPair } from '../../../../test/key-pairs';
import { resolveAuthOptions } from './resolve-auth-options';

const ACCESS_SECRET = 'unit-access-secret-0123456789abcdefghij';
const REFRESH_SECRET = 'unit-refresh-secret-0123456789abcdefghij';

describe('resolveAuthOptions with an asymmetric algorithm', () => {
  const pair = pemKeyPair('ES256');
  const base = {
    jwtAlgorithm: 'ES256',
    jwtRefreshSecret: 'refresh-secret-0123456789abcdefghijklm',
  };

  it('parses each PEM once, and hands on the KeyObjects in place of the PEMs', () => {
    const resolved = resolveAuthOptions({
      ...base,
      jwtAlgorithm: 'ES256',
      jwtPrivateKey: pair.privateKey,
      jwtPublicKey: pair.publicKey,
    });

    expect(resolved.jwtPrivateKey).toMatchObject({ type: 'private', asymmetricKeyType: 'ec' });
    expect(resolved.jwtPublicKey).toMatchObject({ type: 'public', asymmetricKeyType: 'ec' });
    expect(resolved.jwtPreviousPublicKeys).toEqual([]);
  });

  it('takes KeyObjects as they are', () => {
    const privateKey = createPrivateKey(pair.privateKey);
    const publicKey = createPublicKey(pair.publicKey);
    const resolved = resolveAuthOptions({
      ...base,
      jwtAlgorithm: 'ES256',
      jwtPrivateKey: privateKey,
      jwtPublicKey: publicKey,
    });

    expect(resolved.jwtPrivateKey).toBe(privateKey);
    expect(resolved.jwtPublicKey).toBe(publicKey);
  });

  it('refuses KeyObjects that are not a pair, naming the options', () => {
    expect(() =>
      resolveAuthOptions({
        ...base,
        jwtAlgorithm: 'ES256',
        jwtPrivateKey: createPrivateKey(pair.privateKey),
        jwtPublicKey: createPublicKey(pemKeyPair('ES256').publicKey),
      }),
    ).toThrow('Invalid AuthModule options: jwtPrivateKey and jwtPublicKey are not a key pair');
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
