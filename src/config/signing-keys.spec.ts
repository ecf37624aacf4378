import { escapedNewlines, pemKeyPair } from '../../test/key-pairs';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const REFRESH_SECRET = 'production-refresh-secret-0123456789abc';
const ES256 = pemKeyPair('ES256');

/** The asymmetric environment of a production server, with no JWT_SECRET. */
function production(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_REFRESH_SECRET: REFRESH_SECRET,
    JWT_ALGORITHM: 'ES256',
    JWT_PRIVATE_KEY: ES256.privateKey,
    JWT_PUBLIC_KEY: ES256.publicKey,
    SMTP_URL: 'smtp://mail.example.com:587',
    MFA_ENCRYPTION_KEY: 'production-mfa-encryption-key-0123456789',
    ...overrides,
  };
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig: JWT_ALGORITHM and its keys', () => {
  it.each(['ES256', 'RS256'] as const)(
    'starts in production with %s keys and no JWT_SECRET',
    (algorithm) => {
      const pair = pemKeyPair(algorithm);
      const { config, warnings } = loadConfig(
        production({
          JWT_ALGORITHM: algorithm,
          JWT_PRIVATE_KEY: pair.privateKey,
          JWT_PUBLIC_KEY: pair.publicKey,
        }),
      );

      expect(warnings).toEqual([]);
      expect(config.jwt).toMatchObject({
        algorithm,
        secret: '',
        privateKey: pair.privateKey.trim(),
        publicKey: pair.publicKey.trim(),
      });
    },
  );

  it('accepts PEMs on one line with literal \\n sequences, and several previous keys', () => {
    const previous = [pemKeyPair('ES256'), pemKeyPair('ES256')].map((pair) => pair.publicKey);

    expect(() =>
      loadConfig(
        production({
          JWT_PRIVATE_KEY: escapedNewlines(ES256.privateKey),
          JWT_PUBLIC_KEY: escapedNewlines(ES256.publicKey),
          JWT_PREVIOUS_PUBLIC_KEYS: escapedNewlines(previous.join('')),
        }),
      ),
    ).not.toThrow();
  });

  it('warns that JWT_SECRET is unused when it is set with an asymmetric algorithm', () => {
    const { warnings } = loadConfig(
      production({ JWT_SECRET: 'production-access-secret-0123456789abcd' }),
    );

    expect(warnings).toEqual([
      expect.stringMatching(/^JWT_SECRET is not used with JWT_ALGORITHM=ES256/),
    ]);
  });

  describe.each(['production', 'development'])('refuses to start in %s', (nodeEnv) => {
    it.each([
      ['a missing private key', { JWT_PRIVATE_KEY: '' }, 'JWT_PRIVATE_KEY is required with ES256'],
      ['a missing public key', { JWT_PUBLIC_KEY: '' }, 'JWT_PUBLIC_KEY is required with ES256'],
      [
        'a private key that does not parse',
        { JWT_PRIVATE_KEY: 'garbage' },
        'JWT_PRIVATE_KEY is not a PEM private key',
      ],
      [
        'a public key that does not parse',
        { JWT_PUBLIC_KEY: ES256.publicKey.slice(0, 80) },
        'JWT_PUBLIC_KEY is not a PEM public key',
      ],
      [
        'keys that are not a pair',
        { JWT_PUBLIC_KEY: pemKeyPair('ES256').publicKey },
        'JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are not a key pair',
      ],
      [
        'keys of another type',
        pemPair('RS256'),
        'JWT_PRIVATE_KEY must be an EC P-256 key for ES256',
      ],
      [
        'previous keys that do not parse',
        { JWT_PREVIOUS_PUBLIC_KEYS: 'garbage' },
        'JWT_PREVIOUS_PUBLIC_KEYS must be PEM public keys',
      ],
      [
        'an unknown algorithm',
        { JWT_ALGORITHM: 'HS512' },
        'JWT_ALGORITHM must be one of HS256, ES256, RS256',
      ],
    ])('with %s, in one line naming the variable', (_case, overrides, message) => {
      const problems = problemsOf(production({ NODE_ENV: nodeEnv, ...overrides }));

      expect(problems).toContainEqual(expect.stringContaining(message));
      for (const problem of problems) {
        expect(problem).not.toContain('\n');
        expect(problem).not.toContain('BEGIN');
      }
    });

    it('with JWT_ALGORITHM=EdDSA and Ed25519 keys, in one line that names ES256', () => {
      const pair = pemKeyPair('Ed25519');
      const problems = problemsOf(
        production({
          NODE_ENV: nodeEnv,
          JWT_ALGORITHM: 'EdDSA',
          JWT_PRIVATE_KEY: pair.privateKey,
          JWT_PUBLIC_KEY: pair.publicKey,
        }),
      );

      expect(problems).toEqual([
        'JWT_ALGORITHM EdDSA is not supported (the JWT library has no EdDSA): use ES256',
      ]);
    });

    it('with keys but JWT_ALGORITHM left at HS256', () => {
      const problems = problemsOf({
        NODE_ENV: nodeEnv,
        JWT_SECRET: 'production-access-secret-0123456789abcd',
        JWT_REFRESH_SECRET: REFRESH_SECRET,
        JWT_PRIVATE_KEY: ES256.privateKey,
        JWT_PUBLIC_KEY: ES256.publicKey,
        SMTP_URL: 'smtp://mail.example.com:587',
        MFA_ENCRYPTION_KEY: 'production-mfa-encryption-key-0123456789',
      });

      expect(problems).toEqual([
        'JWT_PRIVATE_KEY is set but JWT_ALGORITHM is HS256: set JWT_ALGORITHM to ES256 or RS256',
        'JWT_PUBLIC_KEY is set but JWT_ALGORITHM is HS256: set JWT_ALGORITHM to ES256 or RS256',
      ]);
    });
  });

  it('parses the PEMs once, at boot, into the KeyObjects the module is given', () => {
    const previous = pemKeyPair('ES256').publicKey;
    const { jwt } = loadConfig(production({ JWT_PREVIOUS_PUBLIC_KEYS: previous })).config;

    expect(jwt.keys?.privateKey).toMatchObject({ type: 'private', asymmetricKeyType: 'ec' });
    expect(jwt.keys?.publicKey.export({ format: 'pem', type: 'spki' })).toBe(ES256.publicKey);
    expect(jwt.keys?.previousPublicKeys).toHaveLength(1);
    expect(loadConfig({}).config.jwt.keys).toBeUndefined();
  });

  it('keeps the HS256 rules unchanged: JWT_SECRET required in production', () => {
    const env = {
      NODE_ENV: 'production',
      JWT_REFRESH_SECRET: REFRESH_SECRET,
      SMTP_URL: 'smtp://m:25',
      MFA_ENCRYPTION_KEY: 'production-mfa-encryption-key-0123456789',
    };
    expect(problemsOf(env)).toEqual([
      expect.stringMatching(/^JWT_SECRET is required in production/),
    ]);
  });
});

function pemPair(kind: 'RS256'): Record<string, string> {
  const pair = pemKeyPair(kind);
  return { JWT_PRIVATE_KEY: pair.privateKey, JWT_PUBLIC_KEY: pair.publicKey };
}
