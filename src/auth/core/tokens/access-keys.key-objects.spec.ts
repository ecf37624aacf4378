import { createPrivateKey, createPublicKey } from 'node:crypto';
import { pemKeyPair } from '../../../../test/key-pairs';
import { type AccessKeyNames, loadAccessKeys } from './access-keys';

const NAMES: AccessKeyNames = {
  privateKey: 'PRIV',
  publicKey: 'PUB',
  previousPublicKeys: 'PREV',
};

describe('loadAccessKeys given KeyObjects (parsed already, e.g. by the host at boot)', () => {
  const current = pemKeyPair('ES256');
  const previous = pemKeyPair('ES256');

  it('checks them without parsing them again: the same keys, kid and JWKS as from the PEMs', () => {
    const fromPems = loadAccessKeys(
      { algorithm: 'ES256', ...current, previousPublicKeys: previous.publicKey },
      NAMES,
    ).keys!;
    const { keys, problems } = loadAccessKeys(
      {
        algorithm: 'ES256',
        privateKey: fromPems.privateKey,
        publicKey: fromPems.publicKey,
        previousPublicKeys: fromPems.previousPublicKeys,
      },
      NAMES,
    );

    expect(problems).toEqual([]);
    expect(keys?.privateKey).toBe(fromPems.privateKey);
    expect(keys?.publicKey).toBe(fromPems.publicKey);
    expect(keys?.previousPublicKeys).toEqual(fromPems.previousPublicKeys);
    expect(keys?.kid).toBe(fromPems.kid);
    expect(keys?.jwks).toEqual(fromPems.jwks);
  });

  it('refuses a private key where a public one belongs (it would be published), naming the key', () => {
    const privateKey = createPrivateKey(current.privateKey);

    expect(
      loadAccessKeys({ algorithm: 'ES256', privateKey, publicKey: privateKey }, NAMES).problems,
    ).toEqual(['PUB must be a public key (a KeyObject of type "public")']);
    expect(
      loadAccessKeys(
        {
          algorithm: 'ES256',
          privateKey,
          publicKey: createPublicKey(current.publicKey),
          previousPublicKeys: [privateKey],
        },
        NAMES,
      ).problems,
    ).toEqual(['PREV (key 1) must be a public key (a KeyObject of type "public")']);
  });

  it('refuses a public key as the private key, and a key of another algorithm', () => {
    const rsa = pemKeyPair('RS256');

    expect(
      loadAccessKeys(
        {
          algorithm: 'ES256',
          privateKey: createPublicKey(current.publicKey),
          publicKey: createPublicKey(current.publicKey),
        },
        NAMES,
      ).problems,
    ).toEqual(['PRIV must be a private key (a KeyObject of type "private")']);
    expect(
      loadAccessKeys(
        {
          algorithm: 'ES256',
          privateKey: createPrivateKey(rsa.privateKey),
          publicKey: createPublicKey(rsa.publicKey),
        },
        NAMES,
      ).problems,
    ).toEqual(['PRIV must be an EC P-256 key for ES256', 'PUB must be an EC P-256 key for ES256']);
  });
});
