import { createPublicKey } from 'node:crypto';
import { escapedNewlines, type KeyKind, pemKeyPair } from '../../../../test/key-pairs';
import { type AccessKeyNames, type AccessKeyInputs, loadAccessKeys } from './access-keys';
import { jwkThumbprint } from './jwk-thumbprint';

const NAMES: AccessKeyNames = {
  privateKey: 'PRIV',
  publicKey: 'PUB',
  previousPublicKeys: 'PREV',
};

function problemsOf(pems: AccessKeyInputs): string[] {
  return loadAccessKeys(pems, NAMES).problems;
}

function kidOf(publicPem: string): string {
  return jwkThumbprint(createPublicKey(publicPem).export({ format: 'jwk' }));
}

describe('loadAccessKeys', () => {
  describe.each(['ES256', 'RS256'] as const)('%s', (algorithm) => {
    const current = pemKeyPair(algorithm);
    const previous = pemKeyPair(algorithm);

    it('loads a matching pair: kid is the public key thumbprint, published with alg and use', () => {
      const { keys, problems } = loadAccessKeys({ algorithm, ...current }, NAMES);

      expect(problems).toEqual([]);
      expect(keys?.kid).toBe(kidOf(current.publicKey));
      expect(keys?.jwks.keys).toEqual([
        {
          ...createPublicKey(current.publicKey).export({ format: 'jwk' }),
          kid: kidOf(current.publicKey),
          alg: algorithm,
          use: 'sig',
        },
      ]);
    });

    it('verifies with the current key and every previous one, the current one first', () => {
      const other = pemKeyPair(algorithm);
      const { keys } = loadAccessKeys(
        { algorithm, ...current, previousPublicKeys: previous.publicKey + other.publicKey },
        NAMES,
      );

      expect([...(keys?.publicKeys.keys() ?? [])]).toEqual([
        kidOf(current.publicKey),
        kidOf(previous.publicKey),
        kidOf(other.publicKey),
      ]);
      expect(keys?.jwks.keys.map((jwk) => jwk.kid)).toEqual([...(keys?.publicKeys.keys() ?? [])]);
    });

    it('publishes a key listed twice, or the current one listed as previous, once', () => {
      const { keys } = loadAccessKeys(
        {
          algorithm,
          ...current,
          previousPublicKeys: `${current.publicKey}\n${previous.publicKey}\n${previous.publicKey}`,
        },
        NAMES,
      );

      expect(keys?.jwks.keys).toHaveLength(2);
    });

    it('accepts PEMs with literal \\n sequences instead of line breaks', () => {
      const { problems, keys } = loadAccessKeys(
        {
          algorithm,
          privateKey: escapedNewlines(current.privateKey),
          publicKey: escapedNewlines(current.publicKey),
          previousPublicKeys: escapedNewlines(previous.publicKey),
        },
        NAMES,
      );

      expect(problems).toEqual([]);
      expect(keys?.publicKeys.size).toBe(2);
    });

    it('refuses a private and a public key that are not a pair', () => {
      expect(
        problemsOf({ algorithm, privateKey: current.privateKey, publicKey: previous.publicKey }),
      ).toEqual(['PRIV and PUB are not a key pair']);
    });
  });

  it('requires both keys, naming each', () => {
    expect(problemsOf({ algorithm: 'ES256' })).toEqual([
      'PRIV is required with ES256',
      'PUB is required with ES256',
    ]);
  });

  it('refuses PEMs that do not parse, naming each and never quoting them', () => {
    const pair = pemKeyPair('ES256');
    const broken = pair.privateKey.replace(/[A-Za-z]{12}/, 'AAAAAAAAAAAA');
    const problems = problemsOf({
      algorithm: 'ES256',
      privateKey: broken,
      publicKey: 'not a key',
      previousPublicKeys: `${pair.publicKey}\nstray line`,
    });

    expect(problems).toEqual([
      expect.stringMatching(/^PRIV is not a PEM private key/),
      expect.stringMatching(/^PUB is not a PEM public key/),
      expect.stringMatching(/^PREV must be PEM public keys, concatenated/),
    ]);
    for (const problem of problems) {
      expect(problem).not.toContain('BEGIN');
      expect(problem).not.toContain('\n');
    }
  });

  it('refuses a private key where a public one belongs: public keys are meant to be shared', () => {
    const pair = pemKeyPair('ES256');

    expect(
      problemsOf({
        algorithm: 'ES256',
        privateKey: pair.privateKey,
        publicKey: pair.privateKey,
        previousPublicKeys: pair.privateKey,
      }),
    ).toEqual([
      expect.stringMatching(/^PUB holds a private key/),
      expect.stringMatching(/^PREV \(key 1\) holds a private key/),
    ]);
  });

  it.each<[AccessKeyInputs['algorithm'], KeyKind, RegExp]>([
    ['ES256', 'P-384', /must be an EC P-256 key for ES256/],
    ['ES256', 'Ed25519', /must be an EC P-256 key for ES256/],
    ['RS256', 'Ed25519', /must be an RSA key for RS256/],
    ['RS256', 'RSA-1024', /must be an RSA key of at least 2048 bits for RS256 \(got 1024 bits\)/],
    ['RS256', 'ES256', /must be an RSA key for RS256/],
  ])('refuses with %s a key pair of type %s', (algorithm, kind, message) => {
    const problems = problemsOf({ algorithm, ...pemKeyPair(kind) });

    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^PRIV ${message.source}`)),
      expect.stringMatching(new RegExp(`^PUB ${message.source}`)),
    ]);
  });

  it('refuses a previous key of another type than the algorithm takes, naming which one', () => {
    const pair = pemKeyPair('ES256');

    expect(
      problemsOf({
        algorithm: 'ES256',
        ...pair,
        previousPublicKeys: pemKeyPair('ES256').publicKey + pemKeyPair('RS256').publicKey,
      }),
    ).toEqual(['PREV (key 2) must be an EC P-256 key for ES256']);
  });
});
